package api_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The roadmap through the API on both stores: an implementing epic with
// SAFe's forecast is committed in the current PI and the next, a Ready one
// with shares is forecast, one without shares nor throughput is listed as
// not forecastable; the SVG is well-formed XML with the title as text, the
// PNG an image; a span over three years is refused.
func TestRoadmap(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/value-streams", pid), map[string]any{
			"name": "Core", "kind": "development", "arts": []any{map[string]any{"name": "A"}}}))
		shares := func(ep int64, points int) {
			e.must(http.StatusOK, alice, "PUT", fmt.Sprintf("/api/v1/epics/%d/forecast", ep), map[string]any{"shares": []any{
				map[string]any{"art": "A", "remaining_points": points, "velocity": 1000, "allocation": 0.5}}})
		}
		impl := id(e.epic(pid, `Build <the> "thing" & more`, readyBody(vs, [4]int{5, 5, 5, 5})))
		e.toReady(impl)
		e.move(alice, impl, http.StatusOK, map[string]any{"to": "implementing_mvp"})
		shares(impl, 1500) // 3 PIs from the current one
		ready := id(e.epic(pid, "Ready with shares", readyBody(vs, [4]int{5, 5, 5, 5})))
		e.toReady(ready)
		shares(ready, 500) // the next PI
		bare := id(e.epic(pid, "Ready without shares", readyBody(vs, [4]int{5, 5, 5, 5})))
		e.toReady(bare)
		e.epic(pid, "In the funnel", nil)

		base := fmt.Sprintf("/api/v1/portfolios/%d/roadmap", pid)
		got := e.must(http.StatusOK, victor, "GET", base, nil)
		if pis := got["pis"].([]any); len(pis) != 6 || pis[0].(map[string]any)["committed"] != true ||
			pis[1].(map[string]any)["committed"] != true || pis[2].(map[string]any)["committed"] != false {
			t.Errorf("pis = %v, want six, the first two committed", pis)
		}
		lanes := got["lanes"].([]any)
		if len(lanes) != 1 {
			t.Fatalf("lanes = %v, want Core only", lanes)
		}
		checkFields(t, lanes[0].(map[string]any), map[string]any{"name": "Core", "value_stream_id": vs})
		bars := map[int64]map[string]any{}
		for _, b := range lanes[0].(map[string]any)["bars"].([]any) {
			bars[int64(b.(map[string]any)["epic_id"].(float64))] = b.(map[string]any)
		}
		checkFields(t, bars[impl], map[string]any{"committed": true, "start_basis": "implementation_started", "finish_basis": "safe_forecast",
			"segments.0.committed": true, "segments.1.committed": false})
		checkFields(t, bars[ready], map[string]any{"committed": false, "start_basis": "next_pi", "finish_basis": "safe_forecast"})
		if _, ok := bars[bare]; ok {
			t.Error("the epic without shares nor throughput is drawn")
		}
		checkFields(t, got, map[string]any{"not_forecastable.0.epic_id": bare})
		if r := fmt.Sprint(got["not_forecastable"].([]any)[0].(map[string]any)["reason"]); !strings.Contains(r, "no epic was finished") {
			t.Errorf("reason %q", r)
		}

		svg := e.do(victor, "GET", base+".svg", nil)
		if svg.status != http.StatusOK || svg.header.Get("Content-Type") != "image/svg+xml" ||
			!strings.HasPrefix(svg.header.Get("Content-Disposition"), `attachment; filename="roadmap-portfolio-`) {
			t.Fatalf("SVG: %d %v", svg.status, svg.header)
		}
		if csp := svg.header.Get("Content-Security-Policy"); csp != "default-src 'none'; style-src 'unsafe-inline'" {
			t.Errorf("SVG policy %q", csp)
		}
		dec := xml.NewDecoder(bytes.NewReader(svg.body))
		var texts []string
		inText := false
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("the SVG is not well-formed: %v", err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				inText = tok.Name.Local == "text"
			case xml.CharData:
				if inText {
					texts = append(texts, string(tok))
				}
			}
		}
		if all := strings.Join(texts, "|"); !strings.Contains(all, `Build <the> "thing" & more`) {
			t.Errorf("the SVG's text lacks the title: %s", all)
		}

		pngRes := e.do(victor, "GET", base+".png?pis=3", nil)
		if pngRes.status != http.StatusOK || pngRes.header.Get("Content-Type") != "image/png" {
			t.Fatalf("PNG: %d %v", pngRes.status, pngRes.header)
		}
		if _, err := png.Decode(bytes.NewReader(pngRes.body)); err != nil {
			t.Errorf("PNG: %v", err)
		}

		// Ten-week PIs: 15 fit in three years, 16 do not; a bad date is refused too.
		e.must(http.StatusOK, victor, "GET", base+"?pis=15", nil)
		for _, q := range []string{"?pis=16", ".svg?pis=16", "?from=2026-02-30"} {
			if r := e.do(victor, "GET", base+q, nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "invalid") {
				t.Errorf("%s: %d %s, want 422", q, r.status, r.body)
			}
		}
		if r := e.do(bob, "GET", base+".png", nil); r.status != http.StatusNotFound {
			t.Errorf("non-member: %d, want 404", r.status)
		}
	})
}
