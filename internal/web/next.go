package web

import (
	"net/url"
	"strings"
)

// maxNextLen bounds the address kept for after sign-in.
const maxNextLen = 2048

// localPath returns next when it is a path on this site, "/" otherwise, so
// that a link to lpm's sign-in page cannot send people on to another site
// (an open redirect). Browsers read "//host" and "/\host" as other hosts and
// drop tabs and newlines first, so those are refused too.
func localPath(next string) string {
	if next == "" || len(next) > maxNextLen || next[0] != '/' {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	if strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
