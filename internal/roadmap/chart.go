// Package roadmap gathers and draws the portfolio roadmap (lpm.Roadmap) as SVG and
// PNG. One function draws on gonum's vector canvas (vg.Canvas); vgsvg and
// vgimg turn the same drawing into either format, so both match. Text stays
// text in the SVG (vgsvg escapes it), with a title and a description for
// screen readers, and the rolling wave does not rest on colour: committed
// parts are solid with a solid outline, forecast parts hatched with a dashed
// outline, and the legend says so in words.
package roadmap

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"slices"
	"strings"
	"time"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/lpm-project/lpm/internal/lpm"
)

// MaxRows bounds the bar rows drawn, so that a portfolio of thousands of
// epics still gives an image of a sensible size; the rest are counted in a
// note (the page's table and the JSON list them all).
const MaxRows = 120

// PNGDPI is the resolution of the PNG export.
const PNGDPI = 96

// SVGContentSecurityPolicy is the policy to serve the SVG with: vgsvg styles
// with style attributes, which the site's policy refuses when the SVG is
// opened on its own; this one allows them and nothing else (no script, no
// fetches).
const SVGContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'"

// Sizes, in points.
const (
	width     = 1100
	labelCol  = 190
	margin    = 12
	titleH    = 30
	headerRow = 16
	laneHead  = 16
	rowH      = 14
	barH      = 11
	legendH   = 44
	noteH     = 14
)

var (
	fonts     = font.NewCache(liberation.Collection())
	sans      = font.Font{Typeface: "Liberation", Variant: "Sans"}
	textFace  = fonts.Lookup(sans, 8)
	smallFace = fonts.Lookup(sans, 7)
	titleFace = fonts.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}, 13)
	laneFace  = fonts.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}, 8)

	black      = color.Gray{Y: 0x1a}
	white      = color.White
	grey       = color.Gray{Y: 0x99}
	lightGrey  = color.Gray{Y: 0xdd}
	laneShade  = color.Gray{Y: 0xf3}
	committed  = color.RGBA{R: 0x1f, G: 0x4e, B: 0x79, A: 0xff}
	forecastBg = color.RGBA{R: 0xdb, G: 0xe7, B: 0xf3, A: 0xff}
	nearShade  = color.RGBA{R: 0xe8, G: 0xef, B: 0xf7, A: 0xff}
	todayColor = color.RGBA{R: 0xb0, G: 0x1c, B: 0x1c, A: 0xff}
)

// Chart is the roadmap laid out for drawing.
type Chart struct {
	r     *lpm.Roadmap
	title string
	now   time.Time
	// lanes and rows drawn, and the bars left out.
	lanes   []drawnLane
	omitted int
	h       vg.Length
}

type drawnLane struct {
	lane *lpm.RoadmapLane
	rows int // rows drawn
}

// New lays the roadmap out under the title. now marks today.
func New(r *lpm.Roadmap, title string, now time.Time) *Chart {
	c := &Chart{r: r, title: title, now: now}
	left := MaxRows
	rows := 0
	for i := range r.Lanes {
		l := &r.Lanes[i]
		n := min(l.Rows, left)
		left -= n
		rows += max(n, 1)
		c.lanes = append(c.lanes, drawnLane{lane: l, rows: n})
		for _, b := range l.Bars {
			if b.Row >= n {
				c.omitted++
			}
		}
	}
	c.h = vg.Length(titleH + 2*headerRow + len(r.Lanes)*laneHead + rows*rowH + legendH + 2*margin)
	if c.omitted > 0 {
		c.h += noteH
	}
	if len(r.Lanes) == 0 {
		c.h += rowH
	}
	return c
}

// Size is the chart's width and height.
func (c *Chart) Size() (w, h vg.Length) { return width, c.h }

// WriteSVG writes the chart as an SVG document with a title and a
// description.
func (c *Chart) WriteSVG(w io.Writer) error {
	cv := vgsvg.New(width, c.h)
	c.Draw(cv)
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return fmt.Errorf("write the roadmap as SVG: %w", err)
	}
	out := buf.Bytes()
	// vgsvg writes no title: add one, and a description, as the first
	// children of <svg>, which is what screen readers announce.
	i := bytes.Index(out, []byte("<svg"))
	j := bytes.IndexByte(out[max(i, 0):], '>')
	if i < 0 || j < 0 {
		return fmt.Errorf("write the roadmap as SVG: no <svg> element")
	}
	j += i
	var head bytes.Buffer
	head.Write(out[:j])
	head.WriteString(` role="img" aria-labelledby="roadmap-title roadmap-desc">` + "\n<title id=\"roadmap-title\">")
	xmlEscape(&head, c.title)
	head.WriteString("</title>\n<desc id=\"roadmap-desc\">")
	xmlEscape(&head, c.Description())
	head.WriteString("</desc>")
	if _, err := w.Write(head.Bytes()); err != nil {
		return err
	}
	_, err := w.Write(out[j+1:])
	return err
}

func xmlEscape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s))
}

// WritePNG writes the chart as a PNG image at dpi dots per inch.
func (c *Chart) WritePNG(w io.Writer, dpi int) error {
	cv := vgimg.NewWith(vgimg.UseWH(width, c.h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(white))
	c.Draw(cv)
	// The fastest compression: the image is mostly flat colour, so it
	// costs little in size and halves the time of the default.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, cv.Image()); err != nil {
		return fmt.Errorf("write the roadmap as PNG: %w", err)
	}
	return nil
}

// Description says in words what the chart shows.
func (c *Chart) Description() string {
	r := c.r
	bars := 0
	for _, l := range r.Lanes {
		bars += len(l.Bars)
	}
	s := fmt.Sprintf("Portfolio roadmap from %s to %s: PIs %d to %d, %d lanes, %d bars. "+
		"The current PI and the next (PI %d and PI %d, until %s) are committed for epics in implementation with SAFe's forecast: "+
		"solid bars. Everything else is forecast: hatched bars with a dashed outline.",
		day(r.Start), day(r.End.AddDate(0, 0, -1)), firstPI(r), lastPI(r), len(r.Lanes), bars,
		r.CurrentPI, r.CurrentPI+1, day(r.CommittedUntil.AddDate(0, 0, -1)))
	if c.omitted > 0 {
		s += fmt.Sprintf(" %d bars beyond the first %d rows are not drawn.", c.omitted, MaxRows)
	}
	if n := len(r.NotForecastable); n > 0 {
		s += fmt.Sprintf(" %d epics are not forecastable and not drawn.", n)
	}
	return s
}

func firstPI(r *lpm.Roadmap) int {
	if len(r.PIs) == 0 {
		return 0
	}
	return r.PIs[0].Number
}

func lastPI(r *lpm.Roadmap) int {
	if len(r.PIs) == 0 {
		return 0
	}
	return r.PIs[len(r.PIs)-1].Number
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// Draw draws the chart on a canvas of Size.
func (c *Chart) Draw(cv vg.Canvas) {
	r := c.r
	x0, x1 := vg.Length(margin+labelCol), vg.Length(width-margin)
	span := r.End.Sub(r.Start).Seconds()
	x := func(t time.Time) vg.Length {
		f := t.Sub(r.Start).Seconds() / span
		return x0 + vg.Length(min(max(f, 0), 1))*(x1-x0)
	}
	// top is measured from the top edge; y turns it into the canvas's
	// coordinates (origin at the bottom left).
	y := func(top vg.Length) vg.Length { return c.h - top }

	top := vg.Length(margin)
	text(cv, titleFace, black, margin, y(top+16), c.title)
	top += titleH

	// The header: quarters, then PIs; the committed PIs shaded.
	chartTop := top
	chartBottom := c.h - margin - legendH
	if c.omitted > 0 {
		chartBottom -= noteH
	}
	for _, p := range r.PIs {
		if p.Committed {
			fillRect(cv, nearShade, x(p.Start), y(chartBottom), x(p.End), y(top+headerRow))
		}
	}
	for _, q := range r.Quarters {
		line(cv, lightGrey, 0.5, nil, x(q.Start), y(top), x(q.Start), y(chartBottom))
		fitText(cv, smallFace, black, x(q.Start)+2, x(q.End)-2, y(top+11), q.Label())
	}
	top += headerRow
	for _, p := range r.PIs {
		line(cv, grey, 0.75, nil, x(p.Start), y(top), x(p.Start), y(chartBottom))
		label := fmt.Sprintf("PI %d", p.Number)
		if p.Committed {
			label += " committed"
		} else {
			label += " forecast"
		}
		if !fitText(cv, smallFace, black, x(p.Start)+2, x(p.End)-2, y(top+11), label) {
			fitText(cv, smallFace, black, x(p.Start)+2, x(p.End)-2, y(top+11), fmt.Sprint(p.Number))
		}
	}
	line(cv, grey, 0.75, nil, x1, y(chartTop), x1, y(chartBottom))
	top += headerRow
	line(cv, grey, 0.75, nil, margin, y(top), x1, y(top))

	// Today, under the bars.
	if !c.now.Before(r.Start) && c.now.Before(r.End) {
		line(cv, todayColor, 1, []vg.Length{3, 2}, x(c.now), y(chartTop), x(c.now), y(chartBottom))
		text(cv, smallFace, todayColor, x(c.now)+2, y(chartBottom)-8, "today")
	}

	if len(c.lanes) == 0 {
		text(cv, textFace, black, margin, y(top+10), "No epic from analysis through implementation falls within this span.")
	}
	for i, dl := range c.lanes {
		l := dl.lane
		h := vg.Length(laneHead + max(dl.rows, 1)*rowH)
		if i%2 == 0 {
			fillRect(cv, laneShade, margin, y(top+h), x0, y(top))
		}
		name := l.Name
		if dl.rows < l.Rows {
			name += " (cut short)"
		}
		fitText(cv, laneFace, black, margin+2, x0-4, y(top+11), name)
		line(cv, lightGrey, 0.5, nil, margin, y(top+h), x1, y(top+h))
		// A label that does not fit on its bar goes after it, up to the
		// next bar of the row (drawn later, it would cover the label).
		byRow := map[int][]lpm.RoadmapBar{}
		for _, b := range l.Bars {
			if b.Row < dl.rows {
				byRow[b.Row] = append(byRow[b.Row], b)
			}
		}
		for row, bars := range byRow {
			slices.SortFunc(bars, func(a, b lpm.RoadmapBar) int { return a.Segments[0].Start.Compare(b.Segments[0].Start) })
			rowTop := top + laneHead + vg.Length(row*rowH)
			for k, b := range bars {
				limit := vg.Length(width - margin)
				if k+1 < len(bars) {
					limit = x(bars[k+1].Segments[0].Start) - 4
				}
				c.drawBar(cv, b, x, y(rowTop+(rowH+barH)/2), y(rowTop+(rowH-barH)/2), limit)
			}
		}
		top += h
	}

	top = chartBottom + 6
	if c.omitted > 0 {
		text(cv, textFace, black, margin, y(top+9), fmt.Sprintf("%d more bars are not drawn (only the first %d rows are); the table and the JSON list every one.", c.omitted, MaxRows))
		top += noteH
	}
	c.legend(cv, y, top)
}

// drawBar draws one bar between the canvas heights bottom and top; a label
// written after the bar must end before limit.
func (c *Chart) drawBar(cv vg.Canvas, b lpm.RoadmapBar, x func(time.Time) vg.Length, bottom, top, limit vg.Length) {
	for _, s := range b.Segments {
		l, r := x(s.Start), x(s.End)
		if r-l < 1 {
			r = l + 1
		}
		if s.Committed {
			fillRect(cv, committed, l, bottom, r, top)
			strokeRect(cv, black, nil, l, bottom, r, top)
		} else {
			fillRect(cv, forecastBg, l, bottom, r, top)
			hatch(cv, l, bottom, r, top)
			strokeRect(cv, committed, []vg.Length{2, 1.5}, l, bottom, r, top)
		}
	}
	// Arrows where the bar goes on beyond the span.
	first, last := b.Segments[0], b.Segments[len(b.Segments)-1]
	mid := (bottom + top) / 2
	if b.ClippedStart {
		l := x(first.Start)
		fillPoly(cv, black, vg.Point{X: l - 4, Y: mid}, vg.Point{X: l, Y: top}, vg.Point{X: l, Y: bottom})
	}
	if b.ClippedEnd {
		r := x(last.End)
		fillPoly(cv, black, vg.Point{X: r + 4, Y: mid}, vg.Point{X: r, Y: top}, vg.Point{X: r, Y: bottom})
	}
	// The label: on the bar if it fits, else after it, else cut short.
	label := b.Key + " " + b.Title
	l, r := x(first.Start)+2, x(last.End)-2
	textColor := color.Color(black)
	if first.Committed {
		textColor = white
	}
	base := bottom + 2.5
	if lw := textFace.Width(label); lw <= r-l {
		if !first.Committed {
			// The hatching would cross the letters: a plain ground under them.
			fillRect(cv, forecastBg, l-1, bottom+1, l+lw+1, top-1)
		}
		text(cv, textFace, textColor, l, base, label)
		return
	}
	if after := x(last.End) + 6; textFace.Width(label) <= limit-after {
		text(cv, textFace, black, after, base, label)
		return
	}
	if !first.Committed {
		fillRect(cv, forecastBg, l-1, bottom+1, r+1, top-1)
	}
	if !fitText(cv, textFace, textColor, l, r, base, label) {
		fitText(cv, textFace, textColor, l, r, base, b.Key)
	}
}

// legend says in words and in samples what committed and forecast look like.
func (c *Chart) legend(cv vg.Canvas, y func(vg.Length) vg.Length, top vg.Length) {
	x := vg.Length(margin)
	top += 4
	fillRect(cv, committed, x, y(top+barH), x+24, y(top))
	strokeRect(cv, black, nil, x, y(top+barH), x+24, y(top))
	text(cv, textFace, black, x+30, y(top+barH)+2.5, "Committed (solid): the current PI and the next, for epics in implementation whose finish is SAFe's forecast from the shares of their ARTs")
	top += 16
	fillRect(cv, forecastBg, x, y(top+barH), x+24, y(top))
	hatch(cv, x, y(top+barH), x+24, y(top))
	strokeRect(cv, committed, []vg.Length{2, 1.5}, x, y(top+barH), x+24, y(top))
	text(cv, textFace, black, x+30, y(top+barH)+2.5, "Forecast (hatched, dashed outline): later PIs, and epics not yet in implementation; finish by SAFe's forecast or the Monte Carlo 85th percentile")
	top += 14
	text(cv, smallFace, black, x, y(top+8), "A triangle at a bar's end: it goes on beyond the span. Shaded header: the committed PIs. Dashed red line: today.")
}

func text(cv vg.Canvas, f font.Face, c color.Color, x, y vg.Length, s string) {
	cv.SetColor(c)
	cv.FillString(f, vg.Point{X: x, Y: y}, s)
}

// fitText writes s between l and r, cut short with an ellipsis if need be;
// false when not even a letter fits.
func fitText(cv vg.Canvas, f font.Face, c color.Color, l, r, y vg.Length, s string) bool {
	room := r - l
	if f.Width(s) <= room {
		text(cv, f, c, l, y, s)
		return true
	}
	runes := []rune(s)
	// Estimate from the average width, then shorten to fit.
	n := int(float64(len(runes)) * float64(room/f.Width(s)))
	for ; n > 0; n-- {
		cut := strings.TrimSpace(string(runes[:n])) + "…"
		if f.Width(cut) <= room {
			text(cv, f, c, l, y, cut)
			return true
		}
	}
	return false
}

func rectPath(l, b, r, t vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: l, Y: b})
	p.Line(vg.Point{X: r, Y: b})
	p.Line(vg.Point{X: r, Y: t})
	p.Line(vg.Point{X: l, Y: t})
	p.Close()
	return p
}

func fillRect(cv vg.Canvas, c color.Color, l, b, r, t vg.Length) {
	cv.SetColor(c)
	cv.Fill(rectPath(l, b, r, t))
}

func strokeRect(cv vg.Canvas, c color.Color, dash []vg.Length, l, b, r, t vg.Length) {
	cv.SetColor(c)
	cv.SetLineWidth(0.75)
	cv.SetLineDash(dash, 0)
	cv.Stroke(rectPath(l, b, r, t))
	cv.SetLineDash(nil, 0)
}

func fillPoly(cv vg.Canvas, c color.Color, pts ...vg.Point) {
	var p vg.Path
	p.Move(pts[0])
	for _, pt := range pts[1:] {
		p.Line(pt)
	}
	p.Close()
	cv.SetColor(c)
	cv.Fill(p)
}

func line(cv vg.Canvas, c color.Color, w vg.Length, dash []vg.Length, ax, ay, bx, by vg.Length) {
	var p vg.Path
	p.Move(vg.Point{X: ax, Y: ay})
	p.Line(vg.Point{X: bx, Y: by})
	cv.SetColor(c)
	cv.SetLineWidth(w)
	cv.SetLineDash(dash, 0)
	cv.Stroke(p)
	cv.SetLineDash(nil, 0)
}

// hatch draws diagonal lines every 8 points inside the rectangle, as one
// path: the PNG rasterizer sweeps the whole image once per path, so one
// sparse path per bar is what keeps the PNG quick.
func hatch(cv vg.Canvas, l, b, r, t vg.Length) {
	w, h := r-l, t-b
	var p vg.Path
	for s := vg.Length(4); s < w+h; s += 8 {
		a0, a1 := max(0, s-h), min(w, s)
		p.Move(vg.Point{X: l + a0, Y: b + s - a0})
		p.Line(vg.Point{X: l + a1, Y: b + s - a1})
	}
	cv.SetColor(committed)
	cv.SetLineWidth(0.6)
	cv.Stroke(p)
}
