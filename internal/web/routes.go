package web

import (
	"net/http"
	"strings"
)

// routes is the whole URL surface of the web pages.
func (h *handler) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/{$}", h.methods(h.home, nil))
	mux.Handle("/sign-in", h.methods(h.signInForm, h.signIn))
	mux.Handle("/sign-out", h.methods(nil, h.signOut))
	mux.Handle("/auth/oidc/login", h.methods(h.oidcLogin, nil))
	mux.Handle("/auth/oidc/callback", h.methods(h.oidcCallback, nil))
	mux.Handle("/static/", h.methods(h.serveStatic, nil))
	mux.Handle("/portfolios/{portfolio}", h.methods(h.portfolioHome, nil))
	mux.Handle("/portfolios/{portfolio}/board", h.methods(h.board, nil))
	mux.Handle("/portfolios/{portfolio}/board/moves", h.methods(nil, h.boardMove))
	mux.Handle("/portfolios/{portfolio}/events", h.methods(h.events, nil))
	mux.Handle("/portfolios/{portfolio}/epics/new", h.methods(h.newEpicForm, h.createEpic))
	mux.Handle("/epics/{epic}", h.methods(h.epicPage, nil))
	mux.Handle("/epics/{epic}/edit", h.methods(h.editEpicForm, h.editEpic))
	mux.Handle("/epics/{epic}/move", h.methods(h.moveForm, h.move))
	mux.Handle("/epics/{epic}/decisions", h.methods(nil, h.recordDecision))
	mux.Handle("/portfolios/{portfolio}/value-streams", h.methods(h.valueStreams, h.createValueStream))
	mux.Handle("/portfolios/{portfolio}/value-streams/{value_stream}", h.methods(nil, h.changeValueStream))
	mux.Handle("/portfolios/{portfolio}/themes", h.methods(h.themes, h.createTheme))
	mux.Handle("/portfolios/{portfolio}/settings", h.methods(h.settings, h.saveSettings))
	mux.Handle("/account/tokens", h.methods(h.tokens, h.createToken))
	mux.Handle("/account/tokens/{token}/revoke", h.methods(nil, h.revokeToken))
	mux.Handle("/admin/users", h.methods(h.users, h.createUser))
	mux.Handle("/admin/users/{user}", h.methods(nil, h.changeUser))
	mux.Handle("/portfolios/{portfolio}/estimation", h.methods(h.estimation, h.createRound))
	mux.Handle("/portfolios/{portfolio}/estimation/{round}", h.methods(h.roundPage, nil))
	mux.Handle("/portfolios/{portfolio}/estimation/{round}/estimates", h.methods(nil, h.submitEstimates))
	mux.Handle("/portfolios/{portfolio}/estimation/{round}/close", h.methods(nil, h.closeRound))
	mux.Handle("/portfolios/{portfolio}/roadmap", h.methods(h.roadmapPage, nil))
	mux.Handle("/portfolios/{portfolio}/roadmap.svg", h.methods(h.roadmapImage("svg"), nil))
	mux.Handle("/portfolios/{portfolio}/roadmap.png", h.methods(h.roadmapImage("png"), nil))
	mux.Handle("/portfolios/{portfolio}/canvas", h.methods(h.canvas, h.saveCanvas))
	mux.Handle("/portfolios/{portfolio}/canvas/adopt", h.methods(nil, h.adoptCanvas))
	mux.Handle("/portfolios/{portfolio}/canvas/retire", h.methods(nil, h.retireCanvas))
	mux.Handle("/portfolios/{portfolio}/canvas/restore", h.methods(nil, h.restoreCanvas))
	mux.Handle("/portfolios/{portfolio}/themes/{theme}/objectives", h.methods(nil, h.createObjective))
	mux.Handle("/portfolios/{portfolio}/themes/{theme}/key-results", h.methods(nil, h.createKeyResult))
	mux.Handle("/portfolios/{portfolio}/themes/{theme}/check-ins", h.methods(nil, h.recordCheckIn))
	mux.Handle("/portfolios/{portfolio}/themes/{theme}/check-ins/csv", h.methods(nil, h.importCheckIns))
	mux.Handle("/portfolios/{portfolio}/impediments", h.methods(h.impediments, h.createImpediment))
	mux.Handle("/portfolios/{portfolio}/impediments/{impediment}/status", h.methods(nil, h.changeImpediment))
	mux.Handle("/portfolios/{portfolio}/dependencies", h.methods(h.dependencies, h.createDependency))
	mux.Handle("/portfolios/{portfolio}/dependencies/{dependency}/remove", h.methods(nil, h.removeDependency))
	mux.Handle("/portfolios/{portfolio}/forecast", h.methods(h.forecastPage, nil))
	mux.Handle("/epics/{epic}/forecast", h.methods(nil, h.setForecast))
	mux.HandleFunc("/", h.notFound)
	return h.refuseCrossSite(mux)
}

// methods dispatches a path's methods: GET (which serves HEAD too) and POST.
// Others get 405 with an Allow header.
func (h *handler) methods(get, post http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case (r.Method == http.MethodGet || r.Method == http.MethodHead) && get != nil:
			get(w, r)
			return
		case r.Method == http.MethodPost && post != nil:
			post(w, r)
			return
		}
		var allow []string
		if get != nil {
			allow = append(allow, http.MethodGet, http.MethodHead)
		}
		if post != nil {
			allow = append(allow, http.MethodPost)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		h.fail(w, r, http.StatusMethodNotAllowed, "Method not allowed",
			"This address does not accept "+r.Method+" requests; it accepts "+strings.Join(allow, ", ")+".")
	})
}
