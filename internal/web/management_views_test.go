package web

import (
	"github.com/lpm-project/lpm/internal/lpm"
)

// managementPageViews are full views of the pages of value streams,
// strategic themes, API tokens, users and Kanban settings, for
// TestEveryPageRenders: every branch of their templates that a view can
// reach, errors and invalid fields included.
func managementPageViews() map[string]any {
	invalid := map[string]bool{"name": true, "arts[0].headcount": true, "solutions[0].kind": true, "valid_to": true,
		"wip_limit.reviewing": true, "enforcement.analyzing": true, "allow_backward.reviewing": true, "password": true, "scope": true}
	progress := &progressView{Percent: "42 %", Value: "0.4200", Band: lpm.Yellow, BandWords: bandWords[lpm.Yellow]}
	settings := settingsView{chrome: testChrome("Kanban settings"), PortfolioID: 1, Errors: []string{"Reviewing: no."},
		Invalid: invalid, MaxWIPLimit: lpm.MaxWIPLimit, Enforcements: enforcements}
	for _, c := range lpm.DefaultColumns() {
		settings.Columns = append(settings.Columns, newSettingsColumn(c))
	}
	return map[string]any{
		pageValueStreams: valueStreamsView{chrome: testChrome("Value streams"), PortfolioID: 1, CanManage: true,
			Streams: []valueStreamView{
				{ID: 1, Name: "Payments", Kind: "Development", Development: true, Description: "Moves money",
					ARTs:      []lpm.ART{{Name: "Rails", Headcount: 120}, {Name: "Cards"}},
					Solutions: []solutionView{{Name: "Instant Pay", Kind: "Product", Description: "Pay in seconds"}}, Epics: 1,
					Edit: &valueStreamForm{ID: 1, Prefix: "edit-1-", Name: "", Kind: "development", Errors: []string{"Name is required."},
						Invalid: invalid, ARTs: []artRow{{Index: 0, Name: "Rails", Headcount: "many"}},
						Solutions: []solutionRow{{Index: 0, Name: "Instant Pay", Kind: "product"}}, SolutionKinds: solutionKinds}},
				{ID: 2, Name: "Retail banking", Kind: "Operational", Supports: []string{"Payments"}, Epics: 3,
					Edit: &valueStreamForm{ID: 2, Prefix: "edit-2-", Name: "Retail banking", Kind: "operational", Invalid: map[string]bool{},
						Developments: []checkOption{{ID: 1, Label: "Payments", Checked: true}}, SolutionKinds: solutionKinds}},
				{ID: 3, Name: "Empty", Kind: "Development", Development: true},
			},
			Form: valueStreamForm{Name: "X", Kind: "operational", Errors: []string{"Name is taken."}, Invalid: invalid,
				ARTs: []artRow{{Index: 0, Name: "A", Headcount: "many"}}, Solutions: []solutionRow{{Index: 0, Name: "S", Kind: "service"}},
				Developments: []checkOption{{ID: 1, Label: "Payments", Checked: true}}, SolutionKinds: solutionKinds}},
		pageThemes: themesView{chrome: testChrome("Strategic themes"), PortfolioID: 1, Currency: "EUR", SpendTotal: "1,000.00",
			Committed: true, CanManage: true, Statuses: themeStatuses,
			Themes: []themeView{{ID: 1, Name: "Grow", Status: "Active", Description: "More customers", Validity: "from 1 Jan 2025 to 31 Dec 2025",
				Progress: progress, Spend: "250.00", Share: "25.0 %", ShareValue: "0.2500", ByState: "1 in Funnel",
				Objectives: []objectiveView{{ID: 1, Title: "Win", Owner: "ada", Period: "from 1 Jan 2025", Progress: progress,
					KeyResults: []keyResultView{
						{Title: "Share", Unit: "%", Baseline: "10", Target: "20", Weight: "2", Latest: "14", Measured: "1 Mar 2025",
							Status: "at risk", Confidence: "6 of 10", Progress: *progress},
						{Title: "NPS", Unit: "points", Baseline: "0", Target: "50", Weight: "1"},
					}}, {ID: 2, Title: "Unmeasured"}},
				Epics: []themeEpicView{{ID: 1, Key: "EP-1", Title: "Instant Pay", State: "Done (completed)", Owner: "ada", Committed: "250.00"}}},
				{ID: 2, Name: "Idle", Status: "Draft", Validity: "no dates set"}},
			Form: themeForm{Name: "X", Status: "draft", ValidFrom: "2025-01-01", ValidTo: "2024-01-01", Errors: []string{"No."}, Invalid: invalid}},
		pageTokens: tokensView{chrome: func() chrome { c := testChrome("API tokens"); c.Portfolio = nil; return c }(),
			Tokens: []tokenView{{ID: 1, Name: "ci", Scope: "read only", Created: "1 Jan 2025 10:00 UTC", Expires: "1 Apr 2025 10:00 UTC",
				LastUsed: "never", Expired: true}},
			New:    &newTokenView{Name: "ci", Scope: "read only", Expires: "1 Apr 2025 10:00 UTC", Secret: "lpm_secret"},
			Form:   tokenForm{Name: "", Scope: "read", Lifetime: "90", Errors: []string{"Name it."}, Invalid: invalid},
			Scopes: tokenScopes, Lifetimes: tokenLifetimes, APIBase: "https://lpm.example.com/api/v1"},
		pageUsers: usersView{chrome: func() chrome { c := testChrome("Users"); c.Portfolio = nil; return c }(),
			Users: []userView{{ID: 1, Name: "ada", DisplayName: "Ada", Email: "ada@example.com", Created: "1 Jan 2025", IsAdmin: true, IsViewer: true},
				{ID: 2, Name: "bob", Created: "1 Jan 2025", Disabled: true}},
			Cursor: "abc", Next: "def", Errors: []string{"Not changed: no."}, MinPassword: lpm.MinPasswordLen,
			Form: userForm{Name: "Bad Name", IsAdmin: true, Errors: []string{"No."}, Invalid: invalid}},
		pageSettings: settings,
	}
}
