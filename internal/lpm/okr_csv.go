package lpm

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxCheckInRows bounds one CSV import of check-ins.
const MaxCheckInRows = 5000

// checkInColumns are the columns of a check-in CSV; note may be left out.
var checkInColumns = []string{"key_result_id", "at", "value", "confidence", "status", "note"}

// ParseCheckInsCSV reads check-ins from CSV with a header row naming the
// columns key_result_id, at (RFC 3339, or a date YYYY-MM-DD meaning its
// midnight UTC), value, confidence, status and optionally note, in any
// order. Every problem is reported, by line and column, so that one
// corrected file suffices; nothing is returned unless every row is good.
// lines[i] is the line of the file the i-th check-in starts on.
func ParseCheckInsCSV(r io.Reader) (list []*CheckIn, lines []int, err error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, Errorf(EINVALID, "the CSV cannot be read: %v", err)
	}
	if !utf8.Valid(body) {
		return nil, nil, Errorf(EINVALID, "the CSV is not UTF-8 text; save it as CSV UTF-8 and send it again")
	}
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, Errorf(EINVALID, "the CSV is empty: it needs a header row (%s) and a row per check-in", strings.Join(checkInColumns, ","))
	}
	if err != nil {
		return nil, nil, Errorf(EINVALID, "the CSV cannot be read: %v", err)
	}
	col := map[string]int{}
	var vs violations
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case !slices.Contains(checkInColumns, h):
			vs.add("header", "unknown_column", "column %d is %q; the columns are %s", i+1, h, strings.Join(checkInColumns, ", "))
		case col[h] != 0:
			vs.add("header", "duplicate_column", "column %q appears twice", h)
		default:
			col[h] = i + 1 // 1-based, so that 0 means absent
		}
	}
	for _, c := range checkInColumns[:5] {
		if col[c] == 0 {
			vs.add("header", "missing_column", "the header lacks column %q", c)
		}
	}
	if err := vs.err(EINVALID, "invalid CSV header"); err != nil {
		return nil, nil, err
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			vs.add(fmt.Sprintf("line %d", perr.StartLine), "csv", "the row starting on line %d cannot be read: %v", perr.StartLine, perr.Err)
			break
		}
		if err != nil {
			vs.add("csv", "csv", "the CSV cannot be read: %v", err)
			break
		}
		// Blank lines are skipped and a quoted note may span lines: the
		// reader knows where the record began.
		line, _ := cr.FieldPos(0)
		if len(list) == MaxCheckInRows {
			vs.add(fmt.Sprintf("line %d", line), "max_rows", "one import holds at most %d check-ins; split the file", MaxCheckInRows)
			break
		}
		cell := func(name string) string {
			if i := col[name] - 1; i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		field := func(name string) string { return fmt.Sprintf("line %d.%s", line, name) }
		before := len(vs)
		c := &CheckIn{Status: CheckInStatus(cell("status")), Note: cell("note")}
		if c.KeyResultID, err = strconv.ParseInt(cell("key_result_id"), 10, 64); err != nil || c.KeyResultID < 1 {
			vs.add(field("key_result_id"), "number", "key_result_id must be a key result's id, got %q", cell("key_result_id"))
		}
		if c.At, err = parseCheckInTime(cell("at")); err != nil {
			vs.add(field("at"), "time", "at must be a time (RFC 3339) or a date (YYYY-MM-DD), got %q", cell("at"))
		}
		if c.Value, err = strconv.ParseFloat(cell("value"), 64); err != nil {
			vs.add(field("value"), "number", "value must be a number, got %q", cell("value"))
		}
		if c.Confidence, err = strconv.Atoi(cell("confidence")); err != nil {
			vs.add(field("confidence"), "number", "confidence must be a whole number from 0 to %d, got %q", MaxConfidence, cell("confidence"))
		}
		if len(vs) == before {
			// The row's other rules (confidence range, status), once it parsed.
			if err := c.Validate(); err != nil {
				for _, v := range AsError(err).Violations {
					vs.add(field(v.Field), v.Rule, "%s", v.Message)
				}
			}
		}
		list = append(list, c)
		lines = append(lines, line)
	}
	if err := vs.err(EINVALID, "invalid check-ins in the CSV"); err != nil {
		return nil, nil, err
	}
	if len(list) == 0 {
		return nil, nil, Errorf(EINVALID, "the CSV has a header but no check-ins")
	}
	return list, lines, nil
}

func parseCheckInTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse("2006-01-02", s)
}
