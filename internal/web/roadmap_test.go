package web_test

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
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The roadmap page on both stores: the chart as a same-origin SVG image,
// the downloads, the span form, the table of bars with committed and
// forecast in words, the epics that cannot be forecast; a span over three
// years refused; a non-member gets not found.
func TestRoadmapPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		vs := &lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Retail", Kind: lpm.Development, ARTs: []lpm.ART{{Name: "Rail"}}}
		if err := fx.st.CreateValueStream(ctx, vs, system); err != nil {
			t.Fatal(err)
		}
		now := lpm.Now()
		impl := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: `Build <b>bold</b> & "quoted"`, State: lpm.ImplementingMVP,
			EpicOwner: "alice", ValueStreamIDs: []int64{vs.ID}, StateEnteredAt: now.AddDate(0, 0, -3)})
		if err := fx.st.SetForecastInputs(ctx, impl.ID, []lpm.ARTShare{{ART: "Rail", RemainingPoints: 300, Velocity: 100, Allocation: 1}}, system); err != nil {
			t.Fatal(err)
		}
		thinking := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Still thinking", State: lpm.Analyzing, EpicOwner: "alice"})
		fx.importEpic(t, lpm.Epic{PortfolioID: fx.beta.ID, Title: "Beta's own", State: lpm.Analyzing})

		b := s.browser(t)
		wantStatus(t, b.signIn("alice", alicePassword, "/"), http.StatusSeeOther)
		base := fmt.Sprintf("/portfolios/%d/roadmap", fx.alpha.ID)
		pg := b.get(base)
		wantStatus(t, pg, http.StatusOK)
		wantAccessible(t, pg)
		wantBody(t, pg, `aria-current="page">Roadmap</a>`, `<img class="roadmap-chart" src="`+base+`.svg" alt="Portfolio roadmap from `,
			`href="`+base+`.svg?download=1" download>SVG</a>`, `href="`+base+`.png?download=1" download>PNG</a>`,
			"Build &lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34;", "Committed, then forecast", "SAFe forecast", "entered implementation",
			thinking.Key, "in analysis without the ARTs&#39; shares")
		wantNoBody(t, pg, "Beta&#39;s own", "<b>bold</b>")

		svg := b.get(base + ".svg?pis=3")
		wantStatus(t, svg, http.StatusOK)
		if ct := svg.header.Get("Content-Type"); ct != "image/svg+xml" {
			t.Errorf("SVG Content-Type %q", ct)
		}
		if csp := svg.header.Get("Content-Security-Policy"); strings.Contains(csp, "script") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("SVG policy %q", csp)
		}
		dec := xml.NewDecoder(strings.NewReader(svg.body))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("the SVG is not well-formed: %v", err)
			}
		}
		if !strings.Contains(svg.body, "Build &lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34;") {
			t.Error("the SVG lacks the escaped title")
		}
		dl := b.get(base + ".png?download=1")
		wantStatus(t, dl, http.StatusOK)
		if cd := dl.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="roadmap-portfolio-`) || !strings.HasSuffix(cd, `.png"`) {
			t.Errorf("PNG Content-Disposition %q", cd)
		}
		if _, err := png.Decode(bytes.NewReader([]byte(dl.body))); err != nil {
			t.Errorf("PNG: %v", err)
		}

		// A later span: the committed PIs are behind it, so all is forecast.
		later := b.get(base + "?from=" + now.AddDate(1, 0, 0).Format(time.DateOnly) + "&pis=2")
		wantStatus(t, later, http.StatusOK)
		wantNoBody(t, later, "Committed, then forecast")

		// Ten-week PIs: 16 are more than three years.
		long := b.get(base + "?pis=16")
		wantStatus(t, long, http.StatusUnprocessableEntity)
		wantBody(t, long, "at most 3 years")
		wantStatus(t, b.get(base+"?from=someday"), http.StatusUnprocessableEntity)
		wantStatus(t, b.get(base+".svg?pis=16"), http.StatusUnprocessableEntity)

		other := s.browser(t)
		wantStatus(t, other.signIn("bob", bobPassword, "/"), http.StatusSeeOther)
		wantStatus(t, other.get(base), http.StatusNotFound)
		wantStatus(t, other.get(base+".svg"), http.StatusNotFound)
		wantStatus(t, other.get(base+".png"), http.StatusNotFound)
	})
}
