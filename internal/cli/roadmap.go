package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/roadmap"
)

// roadmapCmd writes a portfolio's roadmap, read from the store directly.
type roadmapCmd struct {
	adminFlags
	Portfolio string `required:"" placeholder:"ID|NAME" help:"Portfolio id or name."`
	Format    string `enum:"svg,png,json" default:"svg" help:"svg, png or json (as the API answers it) (default ${default})."`
	Out       string `placeholder:"FILE" help:"Write to FILE instead of stdout."`
	From      string `placeholder:"YYYY-MM-DD" help:"A day in the first PI shown (default: today, the current PI)."`
	PIs       int    `name:"pis" default:"6" help:"How many PIs to show, at most three years' worth (default ${default})."`
}

// Run computes the roadmap now and writes it in the format asked for.
func (c *roadmapCmd) Run(e *env) error {
	span := roadmap.Span{PIs: c.PIs}
	if c.From != "" {
		t, err := time.Parse(time.DateOnly, c.From)
		if err != nil {
			return usageError{fmt.Errorf("--from must be a date YYYY-MM-DD, not %q", c.From)}
		}
		span.From = t
	}
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := findPortfolio(e.ctx, st, c.Store.DB, c.Portfolio)
	if err != nil {
		return err
	}
	res, err := roadmap.Load(e.ctx, st, p.ID, span, lpm.Now())
	if err != nil {
		if lpm.ErrorCodeOf(err) == lpm.EINVALID {
			return usageError{fmt.Errorf("%s", describe(err))}
		}
		return fmt.Errorf("compute the roadmap of %s: %w", p.Name, err)
	}
	var buf bytes.Buffer
	switch c.Format {
	case "json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err = enc.Encode(roadmap.NewDocument(res))
	case "png":
		err = res.Chart().WritePNG(&buf, roadmap.PNGDPI)
	default:
		err = res.Chart().WriteSVG(&buf)
	}
	if err != nil {
		return fmt.Errorf("write the roadmap of %s: %w", p.Name, err)
	}
	if c.Out == "" {
		_, err = e.stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(c.Out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write the roadmap: %w", err)
	}
	fmt.Fprintf(e.stderr, "wrote the roadmap of %s (PI %d to PI %d) to %s\n", p.Name, res.PIs[0].Number, res.PIs[len(res.PIs)-1].Number, c.Out)
	return nil
}

// describe is an lpm error with its violations, in one line.
func describe(err error) string {
	le := lpm.AsError(err)
	msg := le.Message
	for _, v := range le.Violations {
		msg += "; " + v.Message
	}
	return msg
}
