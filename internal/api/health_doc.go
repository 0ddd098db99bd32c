package api

import (
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"
)

// HealthPath is where the server answers health checks. It lives outside the
// API prefix (load balancers probe it without a token), so the document gives
// it a server of its own.
const HealthPath = "/healthz"

// HealthStatus is the body of a successful health check.
type HealthStatus struct {
	Status string `json:"status" enum:"ok" doc:"Always ok when the store answers."`
	Store  string `json:"store,omitempty" enum:"sqlite,postgres" doc:"Which kind of store lpm runs on."`
}

// documentHealth adds the server's health check to the OpenAPI document, so
// the document covers every route lpm serves. The server package serves it.
func documentHealth(oapi *huma.OpenAPI, registry huma.Registry) {
	problem := registry.Schema(reflect.TypeFor[Problem](), true, "")
	oapi.Paths[HealthPath] = &huma.PathItem{
		Servers: []*huma.Server{{URL: "/", Description: "The health check sits at the root of the site, outside /api/v1."}},
		Get: &huma.Operation{
			OperationID: "health",
			Method:      http.MethodGet,
			Path:        HealthPath,
			Summary:     "Check that lpm and its store answer",
			Description: "Needs no token. 200 when the store answers a ping within 2 s, 503 otherwise.",
			Tags:        []string{"Health"},
			Security:    []map[string][]string{},
			Responses: map[string]*huma.Response{
				"200": {Description: "lpm and its store answer.", Content: map[string]*huma.MediaType{
					"application/json": {Schema: registry.Schema(reflect.TypeFor[HealthStatus](), true, "")}}},
				"503": {Description: "The store does not answer.", Content: map[string]*huma.MediaType{
					"application/problem+json": {Schema: problem}}},
			},
		},
	}
}
