package loadtest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// newHTTPClient returns a client tuned for many concurrent requests to one
// host: enough idle connections that every worker keeps its own alive (the
// default of two per host would make most requests open a new connection and
// measure TCP setup instead of the server), and no redirects, so the load
// test never talks to another address than the one it was given.
func newHTTPClient(conns int) *http.Client {
	tr := &http.Transport{
		Proxy:                 nil, // measure the server, not a proxy
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          conns,
		MaxIdleConnsPerHost:   conns,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// api sends JSON requests to one lpm server with one token.
type api struct {
	base  string // e.g. http://127.0.0.1:8080/api/v1
	token string
	http  *http.Client
}

// response is what the load test keeps of an answer.
type response struct {
	status int
	body   []byte
}

// maxBody bounds how much of a response is kept; a board of 50 cards per
// column is well below it.
const maxBody = 4 << 20

// do sends one request and reads the whole answer, so the connection can be
// reused and the latency includes the body. A nil body sends none.
func (a *api) do(ctx context.Context, method, path string, body any) (response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return response{}, fmt.Errorf("encode %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return response{}, fmt.Errorf("build %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.http.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return response{status: res.StatusCode}, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	_, _ = io.Copy(io.Discard, res.Body) // drain anything past maxBody so the connection stays usable
	return response{status: res.StatusCode, body: b}, nil
}

// call sends a request that must succeed with want and decodes its answer
// into out (when not nil). Other statuses become errors that quote the
// server's problem detail.
func (a *api) call(ctx context.Context, method, path string, body any, want int, out any) error {
	res, err := a.do(ctx, method, path, body)
	if err != nil {
		return err
	}
	if res.status != want {
		return fmt.Errorf("%s %s: %s", method, path, problem(res))
	}
	if out != nil {
		if err := decode(res, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// decode reads a JSON answer into out.
func decode(res response, out any) error {
	if err := json.Unmarshal(res.body, out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// problem describes a failed answer from its problem+json body when there
// is one.
func problem(res response) string {
	var p struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Errors []struct {
			Field    string `json:"field"`
			Location string `json:"location"`
			Message  string `json:"message"`
		} `json:"errors"`
	}
	msg := fmt.Sprintf("HTTP %d %s", res.status, http.StatusText(res.status))
	if json.Unmarshal(res.body, &p) != nil {
		return msg
	}
	parts := []string{msg}
	if p.Detail != "" {
		parts = append(parts, p.Detail)
	} else if p.Title != "" {
		parts = append(parts, p.Title)
	}
	for _, e := range p.Errors {
		if where := cmp.Or(e.Field, e.Location); where != "" {
			parts = append(parts, where+" "+e.Message)
		} else {
			parts = append(parts, e.Message)
		}
	}
	if res.status == http.StatusTooManyRequests {
		parts = append(parts, rateLimitHint)
	}
	return strings.Join(parts, ": ")
}

// rateLimitHint says what to do when the server's rate limits, not its
// capacity, hold the load test back.
const rateLimitHint = "the server rate-limits this client; to load-test it, start it with --rate-limit-address 0 --rate-limit-token 0"
