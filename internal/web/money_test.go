package web

import "testing"

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]int64{
		"": 0, "0": 0, "12": 1200, "12.5": 1250, "12.05": 1205, "1,250,000.50": 125_000_050, "1 250 000": 125_000_000,
		"999": 99900, "1,000": 100000, " 7.10 ": 710,
	} {
		got, err := parseMoney(in)
		if err != nil || got != want {
			t.Errorf("parseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	// A decimal comma, stray separators, signs and too many decimals are
	// refused rather than read as something else.
	for _, in := range []string{"1,5", "1,50", "12,3456", ",100", "1,0000", "1.2.3", "12.345", "-5", "€5", "1e3", "12.", "abc",
		"1234567890123456"} {
		if got, err := parseMoney(in); err == nil {
			t.Errorf("parseMoney(%q) = %d, want an error", in, got)
		}
	}
}
