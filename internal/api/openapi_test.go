package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/api"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
)

// notOperations are the mux patterns that are not API operations: the
// document itself and the catch-all that answers 404 and 405.
var notOperations = []string{"GET /api/v1/openapi.json", "/api/v1/"}

// TestOpenAPIDocumentsEveryRoute fetches the served document and proves that
// every route of the mux is in it, with its method, its security and its
// error responses, so that a new route cannot go undocumented.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	e := newEnv(t, testenv.SQLiteDSN(t))
	r := e.do(nobody, "GET", "/api/v1/openapi.json", nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title   string `json:"title"`
			Version string `json:"version"`
		} `json:"info"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas         map[string]json.RawMessage `json:"schemas"`
			SecuritySchemes map[string]struct {
				Type   string `json:"type"`
				Scheme string `json:"scheme"`
				In     string `json:"in"`
				Name   string `json:"name"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	// A path item holds operations by method, plus servers or parameters.
	paths := map[string]map[string]operation{}
	for path, item := range doc.Paths {
		paths[path] = map[string]operation{}
		for key, raw := range item {
			if !slices.Contains([]string{"get", "put", "post", "patch", "delete", "head", "options"}, key) {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			paths[path][key] = op
		}
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if doc.Info.Title != "lpm API" || doc.Info.Version != api.Version {
		t.Errorf("info = %+v", doc.Info)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != api.Prefix {
		t.Errorf("servers = %+v, want %s", doc.Servers, api.Prefix)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("bearer security scheme = %+v", s)
	}
	if s := doc.Components.SecuritySchemes["session"]; s.Type != "apiKey" || s.In != "cookie" || s.Name != "lpm_session" {
		t.Errorf("session security scheme = %+v", s)
	}
	if _, ok := doc.Components.Schemas["Problem"]; !ok {
		t.Errorf("no Problem schema")
	}

	served, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if string(served) != string(r.body) {
		t.Errorf("api.OpenAPI() differs from the served document")
	}

	documented := map[string]bool{}
	for path, ops := range paths {
		if path == api.HealthPath {
			continue // served by the server package, outside the prefix; see TestHealthDocumented
		}
		for method := range ops {
			documented[strings.ToUpper(method)+" "+api.Prefix+path] = true
		}
	}
	registered := map[string]bool{}
	for _, pattern := range api.RoutePatterns() {
		if slices.Contains(notOperations, pattern) {
			continue
		}
		registered[pattern] = true
		if !documented[pattern] {
			t.Errorf("route %q is not in the OpenAPI document", pattern)
			continue
		}
		method, path, _ := strings.Cut(pattern, " ")
		op := paths[strings.TrimPrefix(path, api.Prefix)][strings.ToLower(method)]
		op.check(t, pattern, strings.Contains(path, "{"))
	}
	for pattern := range documented {
		if !registered[pattern] {
			t.Errorf("documented operation %q has no route", pattern)
		}
	}
	if len(registered) < 44 {
		t.Errorf("only %d routes registered", len(registered))
	}
}

type operation struct {
	OperationID string `json:"operationId"`
	Summary     string `json:"summary"`
	Description string `json:"description"`
	Permission  *struct {
		Action  string   `json:"action"`
		Actions []string `json:"actions"`
		Target  string   `json:"target"`
	} `json:"x-lpm-permission"`
	Security    []map[string][]string `json:"security"`
	RequestBody *struct {
		Content map[string]json.RawMessage `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema struct {
				Ref string `json:"$ref"`
			} `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

func (op operation) check(t *testing.T, pattern string, hasPathParams bool) {
	t.Helper()
	if op.OperationID == "" || op.Summary == "" {
		t.Errorf("%s: no operationId or summary", pattern)
	}
	if len(op.Security) != 2 || op.Security[0]["bearer"] == nil || op.Security[1]["session"] == nil {
		t.Errorf("%s: security = %v, want bearer or session", pattern, op.Security)
	}
	if op.Permission == nil || op.Permission.Target == "" || (op.Permission.Target != "self" && op.Permission.Action == "" && len(op.Permission.Actions) == 0) {
		t.Errorf("%s: x-lpm-permission = %+v, want a target and, but for the caller's own account, the action", pattern, op.Permission)
	}
	if !strings.Contains(op.Description, "Needs") {
		t.Errorf("%s: description does not say what the operation needs: %q", pattern, op.Description)
	}
	want := []string{"400", "401", "422", "500"}
	if hasPathParams {
		want = append(want, "404")
	}
	if op.RequestBody != nil {
		want = append(want, "413", "415")
		_, json := op.RequestBody.Content["application/json"]
		_, csv := op.RequestBody.Content["text/csv"]
		if !json && !(csv && strings.HasSuffix(pattern, "/csv")) {
			t.Errorf("%s: request body is not JSON", pattern)
		}
	}
	for _, status := range want {
		if _, ok := op.Responses[status]; !ok {
			t.Errorf("%s: does not declare a %s response", pattern, status)
		}
	}
	success := false
	for status, res := range op.Responses {
		if status[0] == '2' {
			success = true
			continue
		}
		if ref := res.Content["application/problem+json"].Schema.Ref; ref != "#/components/schemas/Problem" {
			t.Errorf("%s: %s response is not a problem (%q)", pattern, status, ref)
		}
	}
	if !success {
		t.Errorf("%s: declares no success response", pattern)
	}
}

// TestOpenAPIDocumentsRules checks what the document tells clients about the
// rules: the problem types each error response carries, the decision kinds
// people may record, and the bounds that come from the domain.
func TestOpenAPIDocumentsRules(t *testing.T) {
	raw, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	type documentedOp struct {
		Parameters []struct {
			Name   string `json:"name"`
			Schema struct {
				MaxLength int `json:"maxLength"`
			} `json:"schema"`
		} `json:"parameters"`
		Responses map[string]struct {
			Description string `json:"description"`
		} `json:"responses"`
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Description string  `json:"description"`
					Enum        []any   `json:"enum"`
					Maximum     float64 `json:"maximum"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	ops := map[string]map[string]documentedOp{} // by path, then method
	for path, item := range doc.Paths {
		if path == api.HealthPath {
			continue // the server's; documented by hand, see TestHealthDocumented
		}
		ops[path] = map[string]documentedOp{}
		for method, rawOp := range item {
			if !slices.Contains([]string{"get", "put", "post", "patch", "delete"}, method) {
				continue
			}
			var op documentedOp
			if err := json.Unmarshal(rawOp, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			ops[path][method] = op
		}
	}

	// Every error response of every operation says which problem types it
	// carries.
	for path, item := range ops {
		for method, op := range item {
			for status, res := range op.Responses {
				if status[0] != '2' && !strings.Contains(res.Description, "urn:lpm:problem:") {
					t.Errorf("%s %s: %s response does not name its problem types: %q", method, path, status, res.Description)
				}
			}
		}
	}
	// The operations where the type matters most name each one they use.
	for _, tt := range []struct {
		method, path, status string
		types                []string
	}{
		{"post", "/epics/{epic}/transitions", "409", []string{"wip-limit"}},
		{"post", "/epics/{epic}/transitions", "422", []string{"invalid", "policy-not-met", "transition-not-allowed"}},
		{"post", "/epics/{epic}/transitions", "403", []string{"forbidden"}},
		{"post", "/epics/{epic}/transitions", "404", []string{"not-found"}},
		{"get", "/portfolios/{portfolio}/audit", "403", []string{"forbidden"}},
		{"get", "/portfolios/{portfolio}/audit", "404", []string{"not-found"}},
		{"delete", "/portfolios/{portfolio}/members/{user}/{role}", "403", []string{"forbidden"}},
		{"post", "/me/password", "429", []string{"too-many-requests"}},
		{"post", "/portfolios/{portfolio}/epics", "422", []string{"invalid"}},
		{"patch", "/epics/{epic}", "422", []string{"invalid"}},
		{"delete", "/epics/{epic}", "409", []string{"conflict"}},
		{"post", "/epics/{epic}/decisions", "422", []string{"invalid"}},
	} {
		desc := ops[tt.path][tt.method].Responses[tt.status].Description
		for _, typ := range tt.types {
			if !strings.Contains(desc, "urn:lpm:problem:"+typ+" when ") {
				t.Errorf("%s %s %s: description does not say when %s comes back: %q", tt.method, tt.path, tt.status, typ, desc)
			}
		}
	}
	if desc := ops["/epics/{epic}/decisions"]["post"].Responses["422"].Description; !strings.Contains(desc, "decision_fits_state") {
		t.Errorf("create-decision 422 does not mention decision_fits_state: %q", desc)
	}

	// People record every kind of decision but override; responses may show it.
	kinds := func(schema string) []any { return doc.Components.Schemas[schema].Properties["kind"].Enum }
	if k := kinds("DecisionCreate"); len(k) != 8 || slices.Contains(k, any("override")) {
		t.Errorf("DecisionCreate kinds = %v, want the 8 recordable ones without override", k)
	}
	if k := kinds("Decision"); !slices.Contains(k, any("override")) {
		t.Errorf("Decision kinds = %v, want override among them", k)
	}

	// Costs are bounded by the domain's maximum and said to be minor units.
	for _, schema := range []string{"CostsInput", "Costs"} {
		for name, p := range doc.Components.Schemas[schema].Properties {
			if strings.HasSuffix(name, "_total") {
				continue
			}
			if !strings.Contains(p.Description, "minor units of the portfolio currency") {
				t.Errorf("%s.%s: description %q does not say minor units", schema, name, p.Description)
			}
			if schema == "CostsInput" && p.Maximum != lpm.MaxCost {
				t.Errorf("%s.%s: maximum %v, want lpm.MaxCost %d", schema, name, p.Maximum, int64(lpm.MaxCost))
			}
		}
	}

	// The search text is bounded as the domain bounds it.
	found := false
	for _, p := range ops["/portfolios/{portfolio}/epics"]["get"].Parameters {
		if p.Name == "q" {
			found = true
			if p.Schema.MaxLength != lpm.MaxQueryLen {
				t.Errorf("q maxLength %d, want lpm.MaxQueryLen %d", p.Schema.MaxLength, lpm.MaxQueryLen)
			}
		}
	}
	if !found {
		t.Error("list-epics documents no q parameter")
	}
}
