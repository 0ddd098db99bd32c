package api

import "testing"

func TestDuplicateKey(t *testing.T) {
	tests := []struct {
		body      string
		path, key string
		dup       bool
	}{
		{`{"a": 1, "b": 2}`, "", "", false},
		{`{"a": 1, "a": 2}`, "", "a", true},
		{`{"a": {"x": 1}, "b": {"x": 1}}`, "", "", false},
		{`{"a": {"x": 1, "y": {"z": 1, "z": 2}}}`, "a.y", "z", true},
		{`{"list": [{"k": 1}, {"k": 1, "k": 2}]}`, "list[1]", "k", true},
		{`[{"k": 1}, {"k": 2}]`, "", "", false},
		{`{"s": "a \"quoted\" \u0000 string", "t": [1, 2, [3]]}`, "", "", false},
		{`{"a": 1,`, "", "", false}, // malformed: the decoder reports it
		{`"just a string"`, "", "", false},
	}
	for _, tt := range tests {
		path, key, dup := duplicateKey([]byte(tt.body))
		if path != tt.path || key != tt.key || dup != tt.dup {
			t.Errorf("duplicateKey(%s) = %q, %q, %v; want %q, %q, %v", tt.body, path, key, dup, tt.path, tt.key, tt.dup)
		}
	}
}
