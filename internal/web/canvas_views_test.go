package web

// canvasPageViews are full views of the canvas page for
// TestEveryPageRenders: every branch of its template that a view can reach.
func canvasPageViews() map[string]any {
	version := func(id int64, future bool, review canvasReviewView) canvasVersionView {
		v := canvasVersionView{ID: id, Label: "Current state, version 1", State: "Current state", Number: 1,
			Saved: "1 Jan 2026 10:00 by ada", Vision: "Be the bank of choice", Review: review,
			Sections: []canvasSectionView{{Key: "customers", Label: "Customers", Text: "Banks"}, {Key: "kpis", Label: "KPIs"}}}
		if future {
			v.Future, v.Name, v.State, v.Label = true, "Platform", "Future state “Platform”", "Future state “Platform”, version 1"
			v.Adopted, v.Vision = "Future state “Other”, version 2", ""
		}
		return v
	}
	cur := version(1, false, canvasReviewView{Reviewed: "1 Jan 2026", Due: "1 Apr 2026", Stale: true})
	fut := version(2, true, canvasReviewView{Reviewed: "1 Jan 2026", Due: "1 Apr 2026"})
	never := version(3, true, canvasReviewView{Stale: true})
	return map[string]any{
		pageCanvas: canvasView{chrome: testChrome("Portfolio canvas"), PortfolioID: 1, Current: &cur,
			Candidates: []canvasVersionView{fut, never}, History: []canvasVersionView{never, fut, cur}, A: 1, B: 2, CanManage: true,
			Compare: &canvasCompareView{A: cur, B: fut, Changed: 1, Rows: []canvasRowView{
				{Label: "Customers", A: "Banks", B: "Banks and insurers", Changed: true}, {Label: "KPIs"}}},
			Form: canvasForm{State: "future", Name: "Platform", Vision: "x", ReviewedOn: "2026-01-01", Candidates: []string{"Platform"},
				Sections: []canvasFieldView{{Key: "customers", Label: "Customers", Text: "Banks"}},
				Errors:   []string{"Name is required."}, Invalid: map[string]bool{"name": true, "customers": true}}},
	}
}
