package roadmap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func sample(t testing.TB, n int) *lpm.Roadmap {
	t.Helper()
	in := lpm.RoadmapInput{
		Cadence:      lpm.PICadence{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), LengthWeeks: 10},
		Now:          now,
		ValueStreams: []*lpm.ValueStream{{ID: 1, Name: "Retail"}, {ID: 2, Name: "Payments & <Risk>"}},
		Shares:       map[int64][]lpm.ARTShare{},
		MonteCarlo:   map[int64]time.Time{},
	}
	states := []lpm.State{lpm.ImplementingMVP, lpm.Ready, lpm.Analyzing, lpm.ImplementingPersevere}
	for i := 1; i <= n; i++ {
		e := &lpm.Epic{ID: int64(i), Key: "EP-" + itoa(i), Title: "Epic number " + itoa(i), State: states[i%4],
			StateEnteredAt: now.AddDate(0, 0, -i%200), ValueStreamIDs: []int64{int64(i%3) % 3}}
		if e.ValueStreamIDs[0] == 0 {
			e.ValueStreamIDs = nil
		}
		if i == 1 {
			e.Title = `Quotes "and" <tags> & ampersands`
		}
		in.Epics = append(in.Epics, e)
		switch {
		case i%2 == 1:
			in.Shares[e.ID] = []lpm.ARTShare{{ART: "A", RemainingPoints: float64(50 + i%400), Velocity: 100, Allocation: 0.2}}
		case e.State != lpm.Analyzing:
			in.MonteCarlo[e.ID] = now.AddDate(0, 0, 7*(i%60))
		}
	}
	r, err := lpm.ComputeRoadmap(in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func itoa(i int) string {
	var b []byte
	for ; i > 0 || len(b) == 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// TestSVGIsWellFormedText: a title with <, & and " stays text in well-formed
// XML, and the SVG has a title, a description and the legend in words.
func TestSVGIsWellFormedText(t *testing.T) {
	c := New(sample(t, 12), `Roadmap of "Retail & <Co>"`, now)
	var buf bytes.Buffer
	if err := c.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	writeOutput(t, "roadmap.svg", buf.Bytes())
	texts, title := svgTexts(t, buf.Bytes())
	if title != `Roadmap of "Retail & <Co>"` {
		t.Errorf("title %q", title)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		`EP-1 Quotes "and" <tags> & ampersands`, "Payments & <Risk>", "No value stream",
		"PI 5 committed", "PI 7 forecast", "2026 Q4", "Committed (solid)", "Forecast (hatched, dashed outline)", "today",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the SVG's text lacks %q", want)
		}
	}
	if !strings.Contains(buf.String(), `<desc id="roadmap-desc">Portfolio roadmap from 2026-10-12`) {
		t.Error("no description")
	}
}

// svgTexts returns the texts of the SVG's text elements and its title,
// failing the test when it is not well-formed XML.
func svgTexts(t *testing.T, svg []byte) (texts []string, title string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return texts, title
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch stack[len(stack)-1] {
			case "text":
				texts = append(texts, string(tok))
			case "title":
				title = string(tok)
			}
		}
	}
}

// TestLabelStopsAtTheNextBar: a label too long for its bar is not written
// after it when the next bar of its row starts there (that bar would cover
// it), but cut short on its own bar.
func TestLabelStopsAtTheNextBar(t *testing.T) {
	in := lpm.RoadmapInput{
		Cadence:      lpm.PICadence{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), LengthWeeks: 10},
		Now:          now,
		ValueStreams: []*lpm.ValueStream{{ID: 1, Name: "Retail"}},
		// Short finishes in the current PI; Next starts with the next PI.
		Shares: map[int64][]lpm.ARTShare{
			1: {{ART: "A", RemainingPoints: 10, Velocity: 100, Allocation: 1}},
			2: {{ART: "A", RemainingPoints: 300, Velocity: 100, Allocation: 1}},
		},
		Epics: []*lpm.Epic{
			{ID: 1, Key: "EP-1", Title: "A title far too long for the one PI its bar spans on this chart, by a wide margin", State: lpm.ImplementingMVP,
				StateEnteredAt: now.AddDate(0, 0, -20), ValueStreamIDs: []int64{1}},
			{ID: 2, Key: "EP-2", Title: "Next", State: lpm.Ready, ValueStreamIDs: []int64{1}},
		},
	}
	r, err := lpm.ComputeRoadmap(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lanes) != 1 || len(r.Lanes[0].Bars) != 2 || r.Lanes[0].Bars[0].Row != r.Lanes[0].Bars[1].Row {
		t.Fatalf("want both bars in one row: %+v", r.Lanes)
	}
	var buf bytes.Buffer
	if err := New(r, "Roadmap", now).WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	texts, _ := svgTexts(t, buf.Bytes())
	var cut bool
	for _, s := range texts {
		if s == "EP-1 "+in.Epics[0].Title {
			t.Errorf("the whole label %q is written, under the next bar", s)
		}
		cut = cut || (strings.HasPrefix(s, "EP-1 A title") && strings.HasSuffix(s, "…"))
	}
	if !cut {
		t.Errorf("no label of EP-1 cut short on its bar among %q", texts)
	}
}

func TestPNGMatchesSize(t *testing.T) {
	c := New(sample(t, 12), "Roadmap", now)
	var buf bytes.Buffer
	if err := c.WritePNG(&buf, 96); err != nil {
		t.Fatal(err)
	}
	writeOutput(t, "roadmap.png", buf.Bytes())
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w, h := c.Size()
	if got, want := img.Bounds().Dx(), int(w.Points()*96/72+0.5); got != want {
		t.Errorf("width %d px, want %d", got, want)
	}
	if got, want := img.Bounds().Dy(), int(h.Points()*96/72+0.5); got != want {
		t.Errorf("height %d px, want %d", got, want)
	}
}

// TestManyEpicsAreCut: the rows drawn stop at MaxRows and the note counts
// the rest.
func TestManyEpicsAreCut(t *testing.T) {
	c := New(sample(t, 2000), "Roadmap", now)
	if c.omitted == 0 {
		t.Fatal("nothing omitted from 2,000 epics")
	}
	var buf bytes.Buffer
	if err := c.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "more bars are not drawn") {
		t.Error("no note of the bars left out")
	}
	_, h := c.Size()
	if h > 2500 {
		t.Errorf("height %v for 2,000 epics", h)
	}
}

func writeOutput(t *testing.T, name string, b []byte) {
	dir := filepath.Join("..", "..", "test-output", "roadmap")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
}

// BenchmarkDraw draws the roadmap of 1,000 and 10,000 epics (MaxRows rows
// drawn) as SVG and as PNG.
func BenchmarkDraw(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		c := New(sample(b, n), "Roadmap", now)
		b.Run(fmt.Sprintf("epics=%d/svg", n), func(b *testing.B) {
			for b.Loop() {
				if err := c.WriteSVG(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("epics=%d/png", n), func(b *testing.B) {
			for b.Loop() {
				if err := c.WritePNG(io.Discard, 96); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
