package browsertest

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
)

// console collects what a page's console reports as errors: calls of
// console.error and console.assert, uncaught exceptions and unhandled
// promise rejections, and the browser's own error entries (a violation of
// the Content-Security-Policy, "Refused to …"; a request answered 4xx or
// 5xx, "Failed to load resource: …"), and a crash of the page.
type console struct {
	mu       sync.Mutex
	errors   []string // every error, in order
	allowed  []string // substrings of errors that are not failures
	reported int      // errors[:reported] were reported (or allowed) already
}

// listen is a chromedp listener: it runs on the tab's event loop, in the
// order the browser sent the events, so an error that happened before an
// action's answer is recorded before the action returns.
func (c *console) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			c.add(fmt.Sprintf("console.%s: %s%s", ev.Type, argsText(ev.Args), stackPlace(ev.StackTrace)))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			desc, _, _ := strings.Cut(d.Exception.Description, "\n    at ")
			text += " " + desc
		}
		c.add(fmt.Sprintf("uncaught exception: %s%s", text, place(d.URL, d.LineNumber)))
	case *log.EventEntryAdded:
		if e := ev.Entry; e.Level == log.EntryLevelError {
			c.add(fmt.Sprintf("%s error: %s%s", e.Source, e.Text, place(e.URL, e.LineNumber)))
		}
	case *inspector.EventTargetCrashed:
		c.add("the page crashed")
	}
}

func (c *console) add(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors = append(c.errors, msg)
}

func (c *console) allow(substrings ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.allowed = append(c.allowed, substrings...)
}

// all returns every error so far, allowed or not.
func (c *console) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errors...)
}

// unreported returns the errors that are not allowed and were not returned
// before, and marks them returned.
func (c *console) unreported() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, e := range c.errors[c.reported:] {
		if !c.isAllowed(e) {
			out = append(out, e)
		}
	}
	c.reported = len(c.errors)
	return out
}

func (c *console) isAllowed(e string) bool {
	for _, a := range c.allowed {
		if strings.Contains(e, a) {
			return true
		}
	}
	return false
}

// argsText renders console arguments roughly as DevTools shows them.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && json.Unmarshal(a.Value, &s) == nil:
		case a.Description != "":
			s = a.Description
		case a.UnserializableValue != "":
			s = string(a.UnserializableValue)
		case len(a.Value) > 0:
			s = string(a.Value)
		default:
			s = string(a.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func stackPlace(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return place(f.URL, f.LineNumber)
}

// place is " (URL:line)", lines counted from 1; "" without a URL.
func place(url string, line int64) string {
	if url == "" {
		return ""
	}
	return fmt.Sprintf(" (%s:%d)", url, line+1)
}
