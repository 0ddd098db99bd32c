// Package api serves lpm's JSON API under /api/v1 and describes it in an
// OpenAPI 3.1 document. Handlers translate between JSON and the domain types of
// package lpm and call the lpm.Store; every rule lives in the domain or the
// store, and every error leaves as an RFC 9457 problem.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/lpm-project/lpm/internal/auditexport"
	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// Version is the version of the API document; releases set it.
var Version = "0.1.0"

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// maxBodyBytes bounds every request body.
const maxBodyBytes = 1 << 20

// apiServer holds what the handlers share.
type apiServer struct {
	st   lpm.Store
	log  *slog.Logger
	api  huma.API
	mux  *recordingMux
	spec []byte
}

// New returns the handler serving the whole API under /api/v1/, including the
// OpenAPI document at /api/v1/openapi.json.
func New(st lpm.Store, logger *slog.Logger) http.Handler {
	a, err := build(st, logger)
	if err != nil {
		// The document is built from static Go types; it cannot fail to
		// marshal unless the code is broken, which tests catch.
		logger.Error("build OpenAPI document", "err", err)
	}
	return a.mux
}

// OpenAPI returns the OpenAPI 3.1 JSON document describing the API.
func OpenAPI() ([]byte, error) {
	a, err := build(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	return a.spec, nil
}

// build registers every route and renders the OpenAPI document once.
func build(st lpm.Store, logger *slog.Logger) (*apiServer, error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a := &apiServer{st: st, log: logger, mux: newRecordingMux()}
	a.api = humago.NewWithPrefix(a.mux, Prefix, config())
	a.api.UseMiddleware(a.authenticate)
	// An audit entry's before and after are objects of any fields.
	a.api.OpenAPI().Components.Schemas.RegisterTypeAlias(reflect.TypeFor[auditexport.JSONObject](), reflect.TypeFor[map[string]any]())
	a.routes()
	documentHealth(a.api.OpenAPI(), a.api.OpenAPI().Components.Schemas)
	spec, err := json.Marshal(a.api.OpenAPI())
	if err != nil {
		return a, fmt.Errorf("marshal OpenAPI document: %w", err)
	}
	a.spec = spec
	a.mux.HandleFunc("GET "+Prefix+"/openapi.json", a.serveSpec)
	a.mux.HandleFunc(Prefix+"/", a.notFound)
	return a, nil
}

// config is the huma configuration: no docs page (it loads scripts from a
// CDN), no schema or YAML routes, no $schema links in responses.
func config() huma.Config {
	return huma.Config{
		OpenAPI: &huma.OpenAPI{
			OpenAPI: "3.1.0",
			Info: &huma.Info{
				Title:   "lpm API",
				Version: Version,
				Description: "Lean Portfolio Management: portfolios, value streams, strategic themes, epics and the portfolio Kanban.\n\n" +
					"Every operation except this document needs credentials: an API token (`Authorization: Bearer <token>`), " +
					"or the session cookie the sign-in page sets, in which case every change (POST, PATCH, PUT, DELETE) must also " +
					"send the session's CSRF token in the `" + httpauth.CSRFHeader + "` header. " +
					"What a caller may do comes from their roles in each portfolio; each operation says what it needs " +
					"(`Needs:` in its description, and the extension `" + extPermission + "`). " +
					"Someone without a role in a portfolio cannot see it: its objects answer 404, exactly as missing ones do. " +
					"Errors are RFC 9457 problems (application/problem+json) with a stable `type` per kind of problem " +
					"and an `errors` list naming every invalid field or unmet condition.",
			},
			Components: &huma.Components{
				Schemas: huma.NewMapRegistry("#/components/schemas/", huma.DefaultSchemaNamer),
				SecuritySchemes: map[string]*huma.SecurityScheme{
					bearerScheme: {Type: "http", Scheme: "bearer",
						Description: "An lpm API token, made with POST /me/tokens or `lpm token create`. A token of scope read may only read."},
					sessionScheme: {Type: "apiKey", In: "cookie", Name: httpauth.SessionCookieInsecure,
						Description: "The browser session the sign-in page starts. Over HTTPS the cookie is named " + httpauth.SessionCookie +
							" (the __Host- prefix binds it to this host); over plain HTTP, " + httpauth.SessionCookieInsecure + ". " +
							"A request it authenticates that changes something (POST, PATCH, PUT, DELETE) must send the session's CSRF token " +
							"in the " + httpauth.CSRFHeader + " header, or it is refused with 403."},
				},
			},
		},
		Formats:       huma.DefaultFormats,
		DefaultFormat: "application/json",
	}
}

func (a *apiServer) serveSpec(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/openapi+json")
	_, _ = w.Write(a.spec)
}

// notFound answers every path under the prefix that no route takes: 405 when
// the path exists with other methods, 404 otherwise.
func (a *apiServer) notFound(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := a.mux.Handler(probe); pattern != "" && pattern != Prefix+"/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		for _, m := range allowed {
			w.Header().Add("Allow", m)
		}
		WriteProblem(w, newProblem(kindMethod, fmt.Sprintf("%s is not supported on %s", r.Method, r.URL.Path)))
		return
	}
	WriteProblem(w, newProblem(kindNotFound, "no API route "+r.URL.Path))
}

// problem turns any error a handler met into the problem to send. Internal
// errors are logged here, with the request id, and answered without detail.
func (a *apiServer) problem(ctx context.Context, err error) *Problem {
	if p, ok := domainProblem(err); ok {
		return p
	}
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	id := requestIDFrom(ctx)
	if errors.Is(err, context.Canceled) {
		a.log.DebugContext(ctx, "request abandoned by client", "request_id", id, "err", err)
	} else {
		a.log.ErrorContext(ctx, "request failed", "request_id", id, "err", err)
	}
	return InternalProblem(id)
}

// writeProblem writes p from inside a huma middleware.
func (a *apiServer) writeProblem(ctx huma.Context, p *Problem) {
	ctx.SetHeader("Content-Type", "application/problem+json")
	ctx.SetHeader("Cache-Control", "no-store")
	ctx.SetStatus(p.Status)
	if err := json.NewEncoder(ctx.BodyWriter()).Encode(p); err != nil {
		a.log.DebugContext(ctx.Context(), "write problem", "err", err)
	}
}

// recordingMux is a ServeMux that remembers its patterns, so a test can prove
// every route is in the OpenAPI document.
type recordingMux struct {
	*http.ServeMux
	patterns []string
}

func newRecordingMux() *recordingMux { return &recordingMux{ServeMux: http.NewServeMux()} }

// HandleFunc registers and records a route.
func (m *recordingMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}
