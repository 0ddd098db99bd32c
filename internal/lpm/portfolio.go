package lpm

import (
	"fmt"
	"regexp"
	"time"
)

// Portfolio is a set of development value streams for one business domain,
// governed by one LPM function.
type Portfolio struct {
	ID          int64
	Name        string
	Description string
	// Currency is the ISO-4217 code all money in this portfolio is kept in.
	Currency string
	// KeyPrefix starts every epic key of this portfolio ("EP" gives EP-1, EP-2…).
	KeyPrefix string
	PICadence PICadence
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PICadence is the portfolio's Planning Interval rhythm: PIs follow each other
// from Start, each LengthWeeks long.
type PICadence struct {
	Start       time.Time // a date (UTC midnight)
	LengthWeeks int
}

// PI cadence bounds: SAFe PIs are typically 8–12 weeks; we accept 1–26.
const (
	MinPIWeeks     = 1
	MaxPIWeeks     = 26
	DefaultPIWeeks = 10
)

// PIAt returns the 1-based number of the PI containing t, and its start and end
// (end exclusive). Times before the cadence start belong to PI 0 or below.
func (c PICadence) PIAt(t time.Time) (number int, start, end time.Time) {
	length := time.Duration(c.LengthWeeks) * 7 * 24 * time.Hour
	d := t.Sub(c.Start)
	n := int(d / length)
	if d < 0 && d%length != 0 {
		n--
	}
	start = c.Start.Add(time.Duration(n) * length)
	return n + 1, start, start.Add(length)
}

var (
	currencyRE  = regexp.MustCompile(`^[A-Z]{3}$`)
	keyPrefixRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,9}$`)
)

// Validate checks a portfolio before it is created or after an update is applied.
func (p *Portfolio) Validate() error {
	var vs violations
	vs.checkName("name", p.Name)
	vs.checkText("description", p.Description, MaxTextLen)
	if !currencyRE.MatchString(p.Currency) {
		vs.add("currency", "format", "currency must be a three-letter ISO-4217 code such as EUR")
	}
	if !keyPrefixRE.MatchString(p.KeyPrefix) {
		vs.add("key_prefix", "format", "key_prefix must be 1–10 upper-case letters or digits, starting with a letter")
	}
	if p.PICadence.Start.IsZero() {
		vs.add("pi_cadence.start", "required", "pi_cadence.start is required (YYYY-MM-DD)")
	}
	if w := p.PICadence.LengthWeeks; w < MinPIWeeks || w > MaxPIWeeks {
		vs.add("pi_cadence.length_weeks", "range", "pi_cadence.length_weeks must be between %d and %d", MinPIWeeks, MaxPIWeeks)
	}
	return vs.err(EINVALID, "invalid portfolio")
}

// WithDefaults fills unset optional fields with lpm's defaults.
func (p *Portfolio) WithDefaults(now time.Time) {
	if p.Currency == "" {
		p.Currency = "EUR"
	}
	if p.KeyPrefix == "" {
		p.KeyPrefix = "EP"
	}
	if p.PICadence.LengthWeeks == 0 {
		p.PICadence.LengthWeeks = DefaultPIWeeks
	}
	if p.PICadence.Start.IsZero() {
		y, m, d := now.UTC().Date()
		p.PICadence.Start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
}

// PortfolioUpdate holds the fields a PATCH may change; nil means unchanged.
type PortfolioUpdate struct {
	Name        *string
	Description *string
	Currency    *string
	PICadence   *PICadence
}

// AuthorizePortfolioChange checks that the actor may change the portfolio
// from before to after: UpdatePortfolio, and RenamePortfolio (site admins
// only) when the name changes.
func AuthorizePortfolioChange(a Actor, before, after *Portfolio) error {
	t := PortfolioTarget(before.ID)
	if err := a.Authorize(UpdatePortfolio, t); err != nil {
		return err
	}
	if after.Name != before.Name {
		return a.Authorize(RenamePortfolio, t)
	}
	return nil
}

// Apply copies the set fields of u onto p and validates the result. When the
// result is invalid, p is left as it was.
func (u PortfolioUpdate) Apply(orig *Portfolio) error {
	p := new(Portfolio)
	*p = *orig
	if u.Name != nil {
		p.Name = *u.Name
	}
	if u.Description != nil {
		p.Description = *u.Description
	}
	if u.Currency != nil {
		p.Currency = *u.Currency
	}
	if u.PICadence != nil {
		if !u.PICadence.Start.IsZero() {
			p.PICadence.Start = u.PICadence.Start
		}
		if u.PICadence.LengthWeeks != 0 {
			p.PICadence.LengthWeeks = u.PICadence.LengthWeeks
		}
	}
	if err := p.Validate(); err != nil {
		return err
	}
	*orig = *p
	return nil
}

// CheckCurrencyChange refuses to change the currency of a portfolio that
// already records money: every amount is kept in minor units of the
// portfolio's currency, so its amounts would silently mean another currency.
func (u PortfolioUpdate) CheckCurrencyChange(p *Portfolio, moneyRecorded bool) error {
	if u.Currency == nil || *u.Currency == p.Currency || !moneyRecorded {
		return nil
	}
	return &Error{Code: ECONFLICT, Message: "the portfolio's currency cannot change", Violations: []Violation{{
		Field: "currency", Rule: "currency_in_use",
		Message: fmt.Sprintf("costs of this portfolio's epics are recorded in %s; amounts are not converted, so the currency stays", p.Currency)}}}
}
