package web

import "github.com/lpm-project/lpm/internal/lpm"

// roadmapPageViews are full views of the roadmap page, for
// TestEveryPageRenders: with bars, hidden and missing ones, and refused.
func roadmapPageViews() map[string]any {
	return map[string]any{
		pageRoadmap: roadmapView{chrome: testChrome("Roadmap"), PortfolioID: 1, From: "2026-10-12", PIs: "6", Query: "?pis=6",
			Description: "Portfolio roadmap", Span: "PI 5 to PI 10", Committed: "PI 5 and PI 6",
			Rows: []roadmapRowView{{Lane: "Retail", EpicID: 1, Key: "EP-1", Title: "Build <it>", State: "Implementing MVP",
				Start: "1 Sep 2026", Finish: "18 Jul 2027", StartBasis: "entered implementation", FinishBasis: "SAFe forecast", Committed: true}},
			Hidden: 3, Outside: 1,
			Missing: []lpm.RoadmapMiss{{EpicID: 2, Key: "EP-2", Title: "Think", State: lpm.Analyzing, Reason: "no shares"}}},
	}
}
