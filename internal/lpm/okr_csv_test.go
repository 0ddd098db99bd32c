package lpm

import (
	"strings"
	"testing"
	"time"
)

func TestParseCheckInsCSV(t *testing.T) {
	// A byte-order mark, upper-case names, columns in another order, no
	// note column, a date and a time.
	list, lines, err := ParseCheckInsCSV(strings.NewReader("\ufeffVALUE,Key_Result_ID,at,confidence,status\n" +
		"12.5,7,2026-04-01,6,at_risk\n\n-3,8,2026-04-02T10:30:00+02:00,0,off_track\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 4 {
		t.Errorf("lines %v, want [2 4]: the blank line 3 is skipped", lines)
	}
	want := []CheckIn{
		{KeyResultID: 7, At: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Value: 12.5, Confidence: 6, Status: AtRisk},
		{KeyResultID: 8, At: time.Date(2026, 4, 2, 8, 30, 0, 0, time.UTC), Value: -3, Confidence: 0, Status: OffTrack},
	}
	if len(list) != len(want) {
		t.Fatalf("%d check-ins, want %d", len(list), len(want))
	}
	for i, c := range list {
		if c.KeyResultID != want[i].KeyResultID || !c.At.Equal(want[i].At) || c.At.Location() != time.UTC ||
			c.Value != want[i].Value || c.Confidence != want[i].Confidence || c.Status != want[i].Status {
			t.Errorf("row %d = %+v, want %+v", i+2, *c, want[i])
		}
	}

	for _, tc := range []struct {
		name, csv string
		fields    []string
	}{
		{"empty", "", nil},
		{"header only", "key_result_id,at,value,confidence,status\n", nil},
		{"missing column", "key_result_id,at,value,status\n1,2026-01-01,1,on_track\n", []string{"header"}},
		{"unknown column", "key_result_id,at,value,confidence,status,colour\n", []string{"header"}},
		{"every bad cell", "key_result_id,at,value,confidence,status\nx,soon,NaN?,high,on_track\n1,2026-01-01,1,5,maybe\n",
			[]string{"line 2.key_result_id", "line 2.at", "line 2.value", "line 2.confidence", "line 3.status"}},
		{"confidence out of range", "key_result_id,at,value,confidence,status\n1,2026-01-01,1,11,on_track\n", []string{"line 2.confidence"}},
		// A quoted note over two lines and blank lines: problems name the
		// line the row starts on in the file.
		{"lines as in the file", "key_result_id,at,value,confidence,status,note\n\n1,2026-01-01,1,5,on_track,\"two\nlines\"\n\n1,2026-01-01,ten,5,on_track,\n",
			[]string{"line 6.value"}},
		{"a broken quote", "key_result_id,at,value,confidence,status,note\n1,2026-01-01,1,5,on_track,\"open\n", []string{"line 2"}},
	} {
		_, _, err := ParseCheckInsCSV(strings.NewReader(tc.csv))
		if ErrorCodeOf(err) != EINVALID {
			t.Errorf("%s: %v, want invalid", tc.name, err)
			continue
		}
		for _, f := range tc.fields {
			if !hasViolation(err, f) {
				t.Errorf("%s: %v, want a violation of %s", tc.name, err, f)
			}
		}
	}

	if _, _, err := ParseCheckInsCSV(strings.NewReader("key_result_id,at,value,confidence,status,note\n1,2026-01-01,1,5,on_track,caf\xe9\n")); ErrorCodeOf(err) != EINVALID ||
		!strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("Latin-1 CSV: %v, want a request for UTF-8", err)
	}

	var b strings.Builder
	b.WriteString("key_result_id,at,value,confidence,status\n")
	for range MaxCheckInRows + 1 {
		b.WriteString("1,2026-01-01,1,5,on_track\n")
	}
	if _, _, err := ParseCheckInsCSV(strings.NewReader(b.String())); !hasViolation(err, "line 5002") {
		t.Errorf("%d rows: %v, want the row over the limit named", MaxCheckInRows+1, err)
	}
}
