package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTestServer(buf *bytes.Buffer) *Server {
	return &Server{log: slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
}

func TestRecoverPanics(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(&logs)
	h := s.requestID(s.logRequests(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var p struct{ Type, Detail string }
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	id := rec.Header().Get("X-Request-Id")
	if p.Type != "urn:lpm:problem:internal" || !strings.Contains(p.Detail, id) || strings.Contains(p.Detail, "boom") {
		t.Errorf("problem %+v: want the internal type, the request id %s and no panic value", p, id)
	}
	if !strings.Contains(logs.String(), `"panic":"boom"`) || !strings.Contains(logs.String(), `"stack"`) {
		t.Errorf("panic not logged with its stack: %s", logs.String())
	}
}

func TestRecoverAfterHeadersSent(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(&logs)
	h := s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		panic("late")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusAccepted || rec.Body.Len() != 0 {
		t.Errorf("status %d body %q: nothing may be written after the headers", rec.Code, rec.Body.String())
	}
}

func TestAbortHandlerStillAborts(t *testing.T) {
	s := newTestServer(&bytes.Buffer{})
	h := s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler to pass through", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
}

func TestRequestLogLevels(t *testing.T) {
	for _, tc := range []struct {
		status int
		level  string
	}{
		{http.StatusOK, "DEBUG"},
		{http.StatusCreated, "DEBUG"},
		{http.StatusConflict, "INFO"},
		{http.StatusInternalServerError, "ERROR"},
	} {
		var logs bytes.Buffer
		s := newTestServer(&logs)
		h := s.logRequests(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte("abc"))
		}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/v1/epics/1/transitions", nil))
		var line struct {
			Level, Msg, Method, Path string
			Status                   int
			Bytes                    int
		}
		if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
			t.Fatalf("log %q: %v", logs.String(), err)
		}
		if line.Level != tc.level || line.Status != tc.status || line.Method != "POST" || line.Path != "/api/v1/epics/1/transitions" || line.Bytes != 3 {
			t.Errorf("status %d logged as %+v, want level %s", tc.status, line, tc.level)
		}
	}
}

// A body without an announced length is cut at the limit while the handler
// reads it; an announced one over the limit never reaches the handler.
func TestLimitBody(t *testing.T) {
	var readErr error
	reached := false
	h := limitBody(10, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		_, readErr = io.ReadAll(r.Body)
	}))

	req := httptest.NewRequest("POST", "/sign-in", io.MultiReader(strings.NewReader("0123456789"), strings.NewReader("x")))
	req.ContentLength = -1 // unknown, as with chunked encoding
	h.ServeHTTP(httptest.NewRecorder(), req)
	var mbe *http.MaxBytesError
	if !errors.As(readErr, &mbe) {
		t.Errorf("reading 11 bytes under a limit of 10: %v, want *http.MaxBytesError", readErr)
	}

	reached = false
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/sign-in", strings.NewReader("0123456789x")))
	if reached || rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("announced 11 bytes: status %d, handler reached %v; want 413 before the handler", rec.Code, reached)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/sign-in", strings.NewReader("0123456789")))
	if !reached || readErr != nil || rec.Code != http.StatusOK {
		t.Errorf("10 bytes: status %d, read error %v", rec.Code, readErr)
	}
}
