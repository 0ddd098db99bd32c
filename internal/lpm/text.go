package lpm

import (
	"strings"
	"unicode/utf8"
)

// Length limits for free text; generous for people, bounded for the store.
const (
	MaxNameLen   = 200
	MaxTextLen   = 10000
	MaxListLen   = 50
	MaxItemLen   = 1000
	MaxReasonLen = 2000
)

// checkName validates a required short name.
func (vs *violations) checkName(field, value string) {
	switch {
	case strings.TrimSpace(value) == "":
		vs.add(field, "required", "%s is required", field)
	case utf8.RuneCountInString(value) > MaxNameLen:
		vs.add(field, "max_length", "%s must be at most %d characters", field, MaxNameLen)
	}
}

// checkText validates optional free text.
func (vs *violations) checkText(field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		vs.add(field, "max_length", "%s must be at most %d characters", field, max)
	}
}

// checkList validates a list of short texts.
func (vs *violations) checkList(field string, items []string) {
	if len(items) > MaxListLen {
		vs.add(field, "max_items", "%s may hold at most %d items", field, MaxListLen)
		return
	}
	for _, it := range items {
		if strings.TrimSpace(it) == "" {
			vs.add(field, "empty_item", "%s must not contain empty items", field)
			return
		}
		if utf8.RuneCountInString(it) > MaxItemLen {
			vs.add(field, "max_length", "each item of %s must be at most %d characters", field, MaxItemLen)
			return
		}
	}
}
