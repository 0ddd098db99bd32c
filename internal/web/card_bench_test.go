package web

import (
	"fmt"
	"html/template"
	"io"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

// cardTemplate is the board's card as an html/template, as it was before
// card.go: the baseline that BenchmarkCards compares the hand-written
// writer with.
var cardTemplate = template.Must(template.New("cards").Parse(`{{range $card := .}}
<li class="epic-card" id="epic-{{.ID}}" data-epic="{{.ID}}" data-key="{{.Key}}">
<h3><span class="grip" aria-hidden="true" title="Drag to move">⠿</span><a href="/epics/{{.ID}}"><span class="key">{{.Key}}</span> {{.Title}}</a></h3>
<p class="meta"><span class="type type-{{.Type}}">{{.Type}}</span> <span class="wsjf">{{with .WSJF}}WSJF <strong>{{.}}</strong>{{else}}WSJF not scored{{end}}</span> <span class="owner">{{with .Owner}}{{.}}{{else}}no owner{{end}}</span></p>
{{- with .Moves}}
<div class="moves" role="group" aria-label="Move {{$card.Key}}">
{{- range .}}
{{- if .NeedsReason}}
<a class="move" href="/epics/{{$card.ID}}/move?to={{.To}}" data-to="{{.To}}" data-needs-reason="true" aria-label="Move {{$card.Key}} {{.Name}}"{{with .DoneReasons}} data-done-reasons="{{.}}"{{end}}>{{.Label}}</a>
{{- else}}
<button type="submit" form="moves" name="move" value="{{$card.ID}}:{{.To}}" class="move" data-to="{{.To}}" aria-label="Move {{$card.Key}} {{.Name}}">{{.Label}}</button>
{{- end}}
{{- end}}
</div>
{{- end}}
</li>
{{- end}}`))

// BenchmarkCards writes 2,000 cards (three moves each) both ways.
func BenchmarkCards(b *testing.B) {
	moves := boardMoves(lpm.Column{State: lpm.Reviewing, AllowBackward: true})
	cards := make([]cardView, 2000)
	for i := range cards {
		cards[i] = cardView{ID: int64(i + 1), Key: fmt.Sprintf("EP-%d", i+1), Title: fmt.Sprintf("Epic number %d with a title of ordinary length", i),
			Type: lpm.Business, WSJF: "3.25", Owner: "jonas.weber", Moves: moves}
	}
	b.Run("html-template", func(b *testing.B) {
		for b.Loop() {
			if err := cardTemplate.Execute(io.Discard, cards); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("card.go", func(b *testing.B) {
		for b.Loop() {
			_ = cardsHTML(cards)
		}
	})
}
