package api

// RoutePatterns returns every pattern the API registers on its mux, so the
// OpenAPI test can prove each one is documented.
func RoutePatterns() []string {
	a, err := build(nil, nil)
	if err != nil {
		panic(err)
	}
	return append([]string(nil), a.mux.patterns...)
}
