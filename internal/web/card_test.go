package web

import (
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

// TestCardEscapes: a card written by hand escapes whatever people typed,
// in text and in attributes.
func TestCardEscapes(t *testing.T) {
	evil := `"><script>alert('x')</script><a href="`
	got := string(cardsHTML([]cardView{{ID: 42, Key: `K"1`, Title: evil, Type: lpm.Business, WSJF: "2.5", Owner: `o<b>`,
		Moves: []moveView{{To: lpm.Ready, Label: "→ Ready", Name: "to Ready"},
			{To: lpm.Done, Label: "Done…", Name: "to Done", NeedsReason: true, DoneReasons: `cancelled=can"celled`}}}}))
	for _, bad := range []string{"<script", `K"1`, "<b>", `can"celled`} {
		if strings.Contains(got, bad) {
			t.Errorf("card contains %q unescaped:\n%s", bad, got)
		}
	}
	for _, want := range []string{
		`id="epic-42" data-epic="42" data-key="K&#34;1"`,
		`&#34;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;`,
		`<button type="submit" form="moves" name="move" value="42:ready" class="move" data-to="ready" aria-label="Move K&#34;1 to Ready">→ Ready</button>`,
		`<a class="move" href="/epics/42/move?to=done" data-to="done" data-needs-reason="true" aria-label="Move K&#34;1 to Done" data-done-reasons="cancelled=can&#34;celled">Done…</a>`,
		`WSJF <strong>2.5</strong>`, `o&lt;b&gt;`, `aria-label="Move K&#34;1"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("card lacks %s:\n%s", want, got)
		}
	}
	unscored := string(cardsHTML([]cardView{{ID: 1, Key: "K-1", Title: "t", Type: lpm.Enabler}}))
	if !strings.Contains(unscored, "WSJF not scored") || !strings.Contains(unscored, "no owner") || strings.Contains(unscored, `class="moves"`) {
		t.Errorf("unscored card without owner or moves:\n%s", unscored)
	}
}
