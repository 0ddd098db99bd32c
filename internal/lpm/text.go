package lpm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits for free text; generous for people, bounded for the store.
const (
	MaxNameLen   = 200
	MaxTextLen   = 10000
	MaxListLen   = 50
	MaxItemLen   = 1000
	MaxReasonLen = 2000
	MaxQueryLen  = 200
)

// controlChar reports whether s holds a control character. Line breaks and
// tabs are allowed in multi-line text. Control characters have no business in
// portfolio text, and PostgreSQL refuses NUL outright, so both stores refuse
// them alike.
func controlChar(s string, multiline bool) bool {
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return true
		}
	}
	return false
}

// checkName validates a required short name.
func (vs *violations) checkName(field, value string) {
	switch {
	case strings.TrimSpace(value) == "":
		vs.add(field, "required", "%s is required", field)
	case !utf8.ValidString(value):
		vs.add(field, "encoding", "%s must be UTF-8 text", field)
	case utf8.RuneCountInString(value) > MaxNameLen:
		vs.add(field, "max_length", "%s must be at most %d characters", field, MaxNameLen)
	case controlChar(value, false):
		vs.add(field, "control_character", "%s must be one line of text without control characters", field)
	}
}

// checkText validates optional free text.
func (vs *violations) checkText(field, value string, max int) {
	switch {
	case !utf8.ValidString(value):
		vs.add(field, "encoding", "%s must be UTF-8 text", field)
	case utf8.RuneCountInString(value) > max:
		vs.add(field, "max_length", "%s must be at most %d characters", field, max)
	case controlChar(value, true):
		vs.add(field, "control_character", "%s must not contain control characters other than line breaks and tabs", field)
	}
}

// checkList validates a list of short texts.
func (vs *violations) checkList(field string, items []string) {
	if len(items) > MaxListLen {
		vs.add(field, "max_items", "%s may hold at most %d items", field, MaxListLen)
		return
	}
	for _, it := range items {
		switch {
		case strings.TrimSpace(it) == "":
			vs.add(field, "empty_item", "%s must not contain empty items", field)
			return
		case !utf8.ValidString(it):
			vs.add(field, "encoding", "each item of %s must be UTF-8 text", field)
			return
		case utf8.RuneCountInString(it) > MaxItemLen:
			vs.add(field, "max_length", "each item of %s must be at most %d characters", field, MaxItemLen)
			return
		case controlChar(it, false):
			vs.add(field, "control_character", "each item of %s must be one line of text without control characters", field)
			return
		}
	}
}

// ValidateSearch checks the text of a search before it reaches a store.
func ValidateSearch(field, q string) error {
	var vs violations
	if !utf8.ValidString(q) {
		vs.add(field, "encoding", "%s must be UTF-8 text", field)
	} else if utf8.RuneCountInString(q) > MaxQueryLen {
		vs.add(field, "max_length", "%s must be at most %d characters", field, MaxQueryLen)
	} else if controlChar(q, false) {
		vs.add(field, "control_character", "%s must not contain control characters", field)
	}
	return vs.err(EINVALID, "invalid search")
}
