package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// postFile posts a multipart form with values and one file, as a browser
// sends a form with a file input.
func (b *browser) postFile(u string, values url.Values, field, filename string, content []byte) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := fw.Write(content); err != nil {
		b.t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.abs(u), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (fx *fixture) theme(t *testing.T, p *lpm.Portfolio, name string) *lpm.StrategicTheme {
	t.Helper()
	th := &lpm.StrategicTheme{PortfolioID: p.ID, Name: name, Status: lpm.ThemeActive, CreatedAt: lpm.Now()}
	if err := fx.st.CreateTheme(ctx, th, system); err != nil {
		t.Fatal(err)
	}
	return th
}

func (fx *fixture) okrs(t *testing.T, th *lpm.StrategicTheme) ([]*lpm.Objective, []*lpm.KeyResult) {
	t.Helper()
	objectives, keyResults, _, err := fx.st.ThemeOKRs(ctx, th.ID)
	if err != nil {
		t.Fatal(err)
	}
	return objectives, keyResults
}

func (fx *fixture) checkIns(t *testing.T, k *lpm.KeyResult) []*lpm.CheckIn {
	t.Helper()
	list, _, err := fx.st.FindCheckIns(ctx, k.ID, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestThemeOKRForms(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		grow := fx.theme(t, fx.alpha, "Grow digital")
		other := fx.theme(t, fx.alpha, "Other")
		path := fmt.Sprintf("/portfolios/%d/themes", fx.alpha.ID)
		base := fmt.Sprintf("%s/%d", path, grow.ID)
		a := s.signedInAs(t, "alice", alicePassword) // a decision maker may manage themes

		list := a.get(path)
		wantBody(t, list, "Keep the OKRs up to date", "Add an objective")
		wantNoBody(t, list, "Record a check-in", "Add a key result")
		wantAccessible(t, list)

		// Objectives: refused, then added.
		for name, c := range map[string]struct {
			values url.Values
			want   string
		}{
			"no title":       {url.Values{"title": {""}}, "Title is required."},
			"period reverse": {url.Values{"title": {"Win"}, "period_start": {"2025-06-01"}, "period_end": {"2025-01-01"}}, "Period_end must not be before period_start."},
			"not a date":     {url.Values{"title": {"Win"}, "period_start": {"1.6.2025"}}, "The start of the period must be a date such as 2025-01-31."},
			"no such owner":  {url.Values{"title": {"Win"}, "owner": {"nobody"}}, "nobody"},
		} {
			p := a.post(base+"/objectives", withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("objective %s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, "Not added. Please correct:", c.want, "<details class=\"okr-form\" open>")
			wantAccessible(t, p)
		}
		if o, _ := fx.okrs(t, grow); len(o) != 0 {
			t.Fatalf("%d objectives after refusals", len(o))
		}
		added := a.post(base+"/objectives", withCSRF(t, list, url.Values{"title": {"Win online customers"}, "owner": {"alice"},
			"period_start": {"2025-01-01"}, "period_end": {"2025-12-31"}}))
		list = a.wantNotice(t, added, "Objective Win online customers added to Grow digital.", false)
		objectives, _ := fx.okrs(t, grow)
		if len(objectives) != 1 || objectives[0].Owner != "alice" || objectives[0].PeriodEnd == nil {
			t.Fatalf("objectives stored: %+v", objectives)
		}
		win := objectives[0]
		wantBody(t, list, "Add a key result", fmt.Sprintf(`<option value="%d">Win online customers</option>`, win.ID))

		// Key results.
		otherObjective := &lpm.Objective{ThemeID: other.ID, Title: "Elsewhere"}
		if err := fx.st.CreateObjective(ctx, otherObjective, system); err != nil {
			t.Fatal(err)
		}
		krValues := func(objective int64, baseline, target string) url.Values {
			return url.Values{"objective": {fmt.Sprint(objective)}, "title": {"Online share"}, "unit": {"%"},
				"baseline": {baseline}, "target": {target}, "weight": {""}}
		}
		for name, c := range map[string]struct {
			values url.Values
			want   string
		}{
			"same target":     {krValues(win.ID, "20", "20"), "Target must differ from baseline"},
			"not a number":    {krValues(win.ID, "twenty", "60"), "The baseline must be a number such as 12.5, got &#34;twenty&#34;."},
			"other objective": {krValues(otherObjective.ID, "20", "60"), "Choose one of the theme&#39;s objectives."},
		} {
			p := a.post(base+"/key-results", withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("key result %s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, "Not added. Please correct:", c.want, `value="Online share"`)
			wantAccessible(t, p)
		}
		added = a.post(base+"/key-results", withCSRF(t, list, krValues(win.ID, "20", "60")))
		list = a.wantNotice(t, added, "Key result Online share added to Grow digital.", false)
		_, keyResults := fx.okrs(t, grow)
		if len(keyResults) != 1 || keyResults[0].Baseline != 20 || keyResults[0].Target != 60 || keyResults[0].Weight != 1 {
			t.Fatalf("key results stored: %+v", keyResults)
		}
		share := keyResults[0]
		wantBody(t, list, "Record a check-in", "Import check-ins from a CSV file",
			fmt.Sprintf("%d is Win online customers: Online share (%%, from 20 to 60)", share.ID))

		// A check-in: refused, then recorded.
		ciValues := func(kr int64, value, confidence, at string) url.Values {
			return url.Values{"key_result": {fmt.Sprint(kr)}, "value": {value}, "confidence": {confidence}, "status": {"at_risk"},
				"note": {"Slow quarter"}, "at": {at}}
		}
		for name, c := range map[string]struct {
			values url.Values
			want   string
		}{
			"too confident": {ciValues(share.ID, "40", "11", ""), "Confidence must be from 0 to 10."},
			"in the future": {ciValues(share.ID, "40", "6", "2999-01-01"), "lies in the future"},
			"not a number":  {ciValues(share.ID, "forty", "6", ""), "The value must be a number"},
			"other theme":   {ciValues(999999, "40", "6", ""), "Choose one of the theme&#39;s key results."},
		} {
			p := a.post(base+"/check-ins", withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("check-in %s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, "Not recorded. Please correct:", c.want, "Slow quarter")
			wantAccessible(t, p)
		}
		if n := len(fx.checkIns(t, share)); n != 0 {
			t.Fatalf("%d check-ins after refusals", n)
		}
		recorded := a.post(base+"/check-ins", withCSRF(t, list, ciValues(share.ID, "40", "6", "")))
		list = a.wantNotice(t, recorded, "Check-in recorded.", false)
		if got := fx.checkIns(t, share); len(got) != 1 || got[0].Value != 40 || got[0].Confidence != 6 || got[0].Status != lpm.AtRisk ||
			got[0].Note != "Slow quarter" || got[0].By != "alice" {
			t.Fatalf("check-ins stored: %+v", got)
		}
		wantBody(t, list, `<td class="number" data-label="Latest">40</td>`, "at risk, confidence 6 of 10")

		// CSV: every problem by line, nothing written; then a good file.
		token := url.Values{httpauth.CSRFField: {list.csrf(t)}}
		csvPath := base + "/check-ins/csv"
		bad := fmt.Sprintf("key_result_id,at,value,confidence,status,note\n999999,2025-03-01,41,5,on_track,\n%d,2025-03-02,x,5,on_track,\n", share.ID)
		refused := a.postFile(csvPath, token, "csv", "bad.csv", []byte(bad))
		wantStatus(t, refused, http.StatusUnprocessableEntity)
		wantBody(t, refused, "Nothing imported. Please correct the file:", "Line 3: value must be a number, got &#34;x&#34;.")
		wantAccessible(t, refused)
		refused = a.postFile(csvPath, token, "csv", "bad.csv", []byte(fmt.Sprintf("key_result_id,at,value,confidence,status\n999999,2025-03-01,41,5,on_track\n%d,2025-03-02,42,5,on_track\n", share.ID)))
		wantStatus(t, refused, http.StatusUnprocessableEntity)
		wantBody(t, refused, fmt.Sprintf("Line 2: strategic theme %d has no key result 999999.", grow.ID))
		refused = a.postFile(csvPath, token, "csv", "empty.csv", nil)
		wantStatus(t, refused, http.StatusUnprocessableEntity)
		wantBody(t, refused, "The CSV is empty")
		if n := len(fx.checkIns(t, share)); n != 1 {
			t.Fatalf("%d check-ins after refused imports, want 1", n)
		}
		good := fmt.Sprintf("key_result_id,at,value,confidence,status,note\n%d,2025-03-01,44,7,on_track,\"Better, at last\"\n%d,2025-03-02,50,8,on_track,\n", share.ID, share.ID)
		imported := a.postFile(csvPath, token, "csv", "good.csv", []byte(good))
		a.wantNotice(t, imported, "2 check-ins imported.", false)
		if n := len(fx.checkIns(t, share)); n != 3 {
			t.Errorf("%d check-ins after the import, want 3", n)
		}
		// A file without the CSRF token changes nothing; someone signed out
		// is sent to sign in, and their file is not read (even a broken one).
		wantStatus(t, a.postFile(csvPath, url.Values{}, "csv", "good.csv", []byte(good)), http.StatusForbidden)
		out := s.browser(t).postFile(csvPath, url.Values{}, "csv", "good.csv", []byte(good))
		if out.status != http.StatusSeeOther || !strings.HasPrefix(out.location(), "/sign-in") {
			t.Errorf("signed-out upload: status %d to %q, want a redirect to sign in", out.status, out.location())
		}
		if n := len(fx.checkIns(t, share)); n != 3 {
			t.Errorf("%d check-ins after refused uploads, want 3", n)
		}

		// A theme of another portfolio is not found here; bob is no member
		// of Alpha, and only a viewer in Beta.
		beta := fx.theme(t, fx.beta, "Beta theme")
		wantStatus(t, a.post(fmt.Sprintf("%s/%d/objectives", path, beta.ID), withCSRF(t, list, url.Values{"title": {"X"}})), http.StatusNotFound)
		b := s.signedInAs(t, "bob", bobPassword)
		betaPage := b.get(fmt.Sprintf("/portfolios/%d/themes", fx.beta.ID))
		wantNoBody(t, betaPage, "Keep the OKRs up to date", "Add an objective")
		wantStatus(t, b.post(base+"/objectives", withCSRF(t, betaPage, url.Values{"title": {"X"}})), http.StatusNotFound)
		refused = b.post(fmt.Sprintf("/portfolios/%d/themes/%d/objectives", fx.beta.ID, beta.ID), withCSRF(t, betaPage, url.Values{"title": {"X"}}))
		wantStatus(t, refused, http.StatusForbidden)
		wantBody(t, refused, "create or change strategic themes")
		if o, _ := fx.okrs(t, beta); len(o) != 0 {
			t.Errorf("%d objectives in Beta's theme", len(o))
		}
	})
}
