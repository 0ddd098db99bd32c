package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/httpauth"
)

//go:embed templates/*.html
var templateFS embed.FS

// Page names: each is templates/<name>.html rendered inside the layout.
const (
	pageSignIn    = "signin"
	pageHome      = "home"
	pageError     = "error"
	pageBoard     = "board"
	pageEpic      = "epic"
	pageMove      = "move"
	pagePortfolio = "portfolio"
	pageEpicForm  = "epic_form"
	// Value streams, themes, API tokens, users and Kanban settings.
	pageValueStreams = "value_streams"
	pageThemes       = "themes"
	pageTokens       = "tokens"
	pageUsers        = "users"
	pageSettings     = "settings"
	// Strategy: WSJF estimation rounds.
	pageEstimation = "estimation"
	pageRound      = "round"
	// Strategy: impediments and dependencies.
	pageImpediments  = "impediments"
	pageDependencies = "dependencies"
	pageForecast     = "forecast"
	// Strategy: the portfolio roadmap.
	pageRoadmap = "roadmap"
	// The portfolio canvas and vision.
	pageCanvas = "canvas"
)

var pageNames = []string{pageSignIn, pageHome, pageError, pageBoard, pageEpic, pageMove, pagePortfolio, pageEpicForm,
	pageValueStreams, pageThemes, pageTokens, pageUsers, pageSettings,
	pageEstimation, pageRound,
	pageImpediments, pageDependencies, pageForecast,
	pageRoadmap,
	pageCanvas}

// pages holds every page's template, parsed once at start.
type pages struct {
	byName map[string]*template.Template
}

func parsePages(static *staticFiles) (*pages, error) {
	funcs := template.FuncMap{
		"static":     static.url,
		"csrfField":  func() string { return httpauth.CSRFField },
		"scoreField": newScoreField,
		"cards":      cardsHTML,
		"formErrors": newFormErrors,
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	p := &pages{byName: make(map[string]*template.Template, len(pageNames))}
	for _, name := range pageNames {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse page %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// scoreField is one WSJF component's select in the epic form.
type scoreField struct {
	ID, Name, Label string
	Value           int
	Scale           []int
	Invalid         bool
}

func newScoreField(name, label string, value int, form epicFormView) scoreField {
	return scoreField{ID: strings.ReplaceAll(name, ".", "-"), Name: name, Label: label, Value: value, Scale: form.Scale,
		Invalid: form.Invalid[name]}
}

// link is a link a page offers as the next step.
type link struct {
	Href, Text string
}

// errorView is the page for anything that went wrong.
type errorView struct {
	chrome
	Message string
	Status  int
	Next    link
	// RequestID ties the page to the server's log lines.
	RequestID string
}

// render writes the page with status. The page is rendered in full first, so
// a template error gives a clean 500 instead of half a page. Pages show
// personal data or tokens: they are never cached.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	h.write(w, r, status, name, view, false)
}

// renderCompressed is render, gzipped for browsers that accept it. Only for
// pages that reflect no text a request chose (every value from the request
// checked against a closed list), since compressing a secret (the CSRF
// token) next to attacker-chosen text leaks it byte by byte (BREACH).
func (h *handler) renderCompressed(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	h.write(w, r, status, name, view, true)
}

// minCompressBytes is the size below which gzip is not worth it.
const minCompressBytes = 8 << 10

func (h *handler) write(w http.ResponseWriter, r *http.Request, status int, name string, view any, compress bool) {
	var buf bytes.Buffer
	if err := h.pages.byName[name].ExecuteTemplate(&buf, "layout", view); err != nil {
		h.log.ErrorContext(r.Context(), "render page", "page", name, "err", err, "request_id", requestID(r))
		http.Error(w, "500 internal server error: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	body := buf.Bytes()
	if compress {
		hdr.Add("Vary", "Accept-Encoding")
		if buf.Len() >= minCompressBytes && acceptsGzip(r) {
			var zbuf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&zbuf, gzip.BestSpeed) // a valid level: no error
			if _, err := zw.Write(body); err == nil && zw.Close() == nil {
				hdr.Set("Content-Encoding", "gzip")
				body = zbuf.Bytes()
			}
		}
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// fail renders the error page with a link to the home page.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	h.failTo(w, r, status, title, message, link{"/", "Go to the home page"})
}

// failTo renders the error page with a link to the next step.
func (h *handler) failTo(w http.ResponseWriter, r *http.Request, status int, title, message string, next link) {
	h.render(w, r, status, pageError, errorView{chrome: chrome{Title: title}, Message: message, Status: status, Next: next,
		RequestID: requestID(r)})
}

// internalError logs err and tells the person something went wrong on the
// server; what completes "lpm could not …".
func (h *handler) internalError(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.log.ErrorContext(r.Context(), "could not "+what, "err", err, "path", r.URL.Path, "request_id", requestID(r))
	h.fail(w, r, http.StatusInternalServerError, "Something went wrong",
		"lpm could not "+what+". Try again in a moment; if it keeps happening, give your administrator the request ID below: the cause is in the server log.")
}

// notFound answers every path no page lives at.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, http.StatusNotFound, "Page not found",
		"There is no page at this address. Check the address, or start again from the home page.")
}

// requestID is the server's ID of the request (it sets the header on the
// request), "" when there is none.
func requestID(r *http.Request) string { return r.Header.Get("X-Request-Id") }

// formErrors is the data of the "form-errors" template: a form's problems in
// words, under a headline saying what did not happen ("Not saved").
type formErrors struct {
	Headline string
	Errors   []string
}

func newFormErrors(headline string, errs []string) formErrors { return formErrors{headline, errs} }
