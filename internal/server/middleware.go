package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/lpm-project/lpm/internal/api"
	"github.com/lpm-project/lpm/internal/httpauth"
)

// requestIDHeader carries the id that ties a response to its log lines.
const requestIDHeader = "X-Request-Id"

// requestID gives every request an id: the caller's, if it sent a sensible
// one (so ids can follow a request through a proxy), or a fresh one. The id
// is set on the request, for handlers and logs, and on the response.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(requestIDHeader)
		if !validRequestID(id) {
			id = newRequestID()
			r.Header.Set(requestIDHeader, id)
		}
		w.Header().Set(requestIDHeader, id)
		next.ServeHTTP(w, r)
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)
}

// logRequests logs one line per request. Successful requests log at Debug so
// a busy server (or a load test) is not limited by its log; client errors log
// at Info and server errors at Error. Refusals by the rate limits log at
// Debug too, so that a flood does not become a flood of log lines.
//
// The line holds the path and never the query, headers or cookies: those
// carry secrets (the OpenID Connect code and state, tokens, sessions), and
// logs are read by more people than the data is.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := track(w)
		next.ServeHTTP(sw, r)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		level := slog.LevelDebug
		switch {
		case status >= 500:
			level = slog.LevelError
		case status == http.StatusTooManyRequests:
		case status >= 400:
			level = slog.LevelInfo
		}
		ctx := r.Context()
		if !s.log.Enabled(ctx, level) {
			return
		}
		s.log.LogAttrs(ctx, level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.String("addr", httpauth.ClientAddress(r)),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("bytes", sw.bytes),
			slog.String("request_id", r.Header.Get(requestIDHeader)))
	})
}

// recoverPanics turns a panicking handler into a 500 problem (when nothing
// was sent yet) and a logged stack, instead of a dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := track(w)
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // the handler asks net/http to abort the response
			}
			id := r.Header.Get(requestIDHeader)
			s.log.ErrorContext(r.Context(), "handler panicked", "panic", fmt.Sprint(v),
				"method", r.Method, "path", r.URL.Path, "request_id", id, "stack", string(debug.Stack()))
			if sw.status == 0 {
				api.WriteProblem(sw, api.InternalProblem(id))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// track returns w as a statusWriter, wrapping it only once.
func track(w http.ResponseWriter) *statusWriter {
	if sw, ok := w.(*statusWriter); ok {
		return sw
	}
	return &statusWriter{ResponseWriter: w}
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController (read deadlines, flushing) reach the
// connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
