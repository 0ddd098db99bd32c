package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
)

// lpm roadmap writes the same roadmap as SVG, PNG and JSON, to stdout or a
// file, and refuses a span over three years.
func TestRoadmapCommand(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		c := lpmCLI{t, dsn}
		st := c.store()
		p := createPortfolio(t, st, "Digital Banking")
		e := &lpm.Epic{PortfolioID: p.ID, Type: lpm.Business, Title: `Pay <now> & "later"`, State: lpm.Analyzing}
		if err := st.ImportEpic(context.Background(), e, nil, nil, lpm.SystemActor("test")); err != nil {
			t.Fatal(err)
		}

		out, _ := c.ok("", "roadmap", "--portfolio", "Digital Banking", "--format", "json")
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("JSON: %v\n%s", err, out)
		}
		miss := doc["not_forecastable"].([]any)
		if len(doc["pis"].([]any)) != 6 || len(miss) != 1 || miss[0].(map[string]any)["title"] != e.Title {
			t.Errorf("JSON: %s", out)
		}

		out, _ = c.ok("", "roadmap", "--portfolio", "Digital Banking", "--pis", "3")
		dec := xml.NewDecoder(strings.NewReader(out))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
		}
		if !strings.Contains(out, "<title id=\"roadmap-title\">Roadmap of Digital Banking, PI") {
			t.Errorf("SVG without its title: %.300s", out)
		}

		file := filepath.Join(t.TempDir(), "roadmap.png")
		_, errOut := c.ok("", "roadmap", "--portfolio", "1", "--format", "png", "--out", file)
		if !strings.Contains(errOut, "wrote the roadmap of Digital Banking") {
			t.Errorf("stderr %q", errOut)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("PNG: %v", err)
		}

		c.fails(2, "at most 3 years", "roadmap", "--portfolio", "Digital Banking", "--pis", "16")
		c.fails(2, "--from must be a date", "roadmap", "--portfolio", "Digital Banking", "--from", "soon")
		c.fails(1, `there is no portfolio "Retail"`, "roadmap", "--portfolio", "Retail")
	})
}
