package api_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// auditEntry is an audit entry as the API shows it.
type auditEntry struct {
	Seq        int64          `json:"seq"`
	At         time.Time      `json:"at"`
	Actor      string         `json:"actor"`
	Address    string         `json:"address"`
	Action     string         `json:"action"`
	ObjectType string         `json:"object_type"`
	ObjectID   int64          `json:"object_id"`
	Before     map[string]any `json:"before"`
	After      map[string]any `json:"after"`
	PrevHash   string         `json:"prev_hash"`
	Hash       string         `json:"hash"`
}

// auditPages reads every page of an audit list, limit entries at a time.
func (e *env) auditPages(who, path string, q url.Values, limit int) []auditEntry {
	e.t.Helper()
	var all []auditEntry
	q.Set("limit", strconv.Itoa(limit))
	for range 1000 {
		r := e.do(who, "GET", path+"?"+q.Encode(), nil)
		if r.status != http.StatusOK {
			e.t.Fatalf("GET %s?%s: %d %s", path, q.Encode(), r.status, r.body)
		}
		var page struct {
			Items      []auditEntry `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			e.t.Fatalf("decode audit page: %v", err)
		}
		if len(page.Items) > limit {
			e.t.Fatalf("page of %d entries, limit %d", len(page.Items), limit)
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all
		}
		q.Set("cursor", page.NextCursor)
	}
	e.t.Fatal("audit pages do not end")
	return nil
}

func TestAuditList(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		other := e.portfolio("O")
		e.epic(other, "Elsewhere", nil)
		ep := id(e.epic(pid, "Audited", nil))
		e.must(http.StatusOK, alice, "PATCH", fmt.Sprintf("/api/v1/epics/%d", ep), map[string]any{"title": "Audited again"})
		ep2 := id(e.epic(pid, "Second", map[string]any{"epic_owner": alice}))
		e.move(alice, ep2, http.StatusOK, map[string]any{"to": "reviewing"})
		e.theme(pid, "Theme")
		path := fmt.Sprintf("/api/v1/portfolios/%d/audit", pid)

		all := e.auditPages(alice, path, url.Values{}, 500)
		if len(all) < 6 {
			t.Fatalf("only %d entries: %+v", len(all), all)
		}
		for i, en := range all {
			if en.Seq != int64(len(all)-i) {
				t.Fatalf("entry %d has seq %d: want newest first without gaps", i, en.Seq)
			}
			if i > 0 && all[i-1].PrevHash != en.Hash {
				t.Errorf("entry %d: prev_hash of the next entry is not its hash", en.Seq)
			}
			if en.Before == nil || en.After == nil {
				t.Errorf("entry %d: before/after missing: %+v", en.Seq, en)
			}
		}
		// Paging gives the same entries.
		if d := cmp.Diff(all, e.auditPages(alice, path, url.Values{}, 2)); d != "" {
			t.Errorf("paged entries differ (-all +paged):\n%s", d)
		}
		update := all[slices.IndexFunc(all, func(en auditEntry) bool { return en.Action == "epic.update" })]
		checkFields(t, normalize(t, update), map[string]any{"actor": alice, "object_type": "epic", "object_id": ep,
			"before.title": "Audited", "after.title": "Audited again", "address": "127.0.0.1"})

		filtered := func(q url.Values, keep func(auditEntry) bool) {
			t.Helper()
			got := e.auditPages(alice, path, q, 500)
			var want []auditEntry
			for _, en := range all {
				if keep(en) {
					want = append(want, en)
				}
			}
			if len(want) == 0 {
				t.Fatalf("filter %v: the test needs entries it keeps", q)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("filter %v (-want +got):\n%s", q, d)
			}
		}
		filtered(url.Values{"object_type": {"epic"}}, func(en auditEntry) bool { return en.ObjectType == "epic" })
		filtered(url.Values{"object_type": {"epic"}, "object_id": {fmt.Sprint(ep)}}, func(en auditEntry) bool {
			return en.ObjectType == "epic" && en.ObjectID == ep
		})
		filtered(url.Values{"actor": {alice}}, func(en auditEntry) bool { return en.Actor == alice })
		mid := all[len(all)/2].At
		filtered(url.Values{"from": {mid.Format(time.RFC3339Nano)}}, func(en auditEntry) bool { return !en.At.Before(mid) })
		filtered(url.Values{"to": {mid.Format(time.RFC3339Nano)}}, func(en auditEntry) bool { return en.At.Before(mid) })

		// Who may read it.
		wantProblem(t, e.do(victor, "GET", path, nil), 403, "urn:lpm:problem:forbidden")
		wantProblem(t, e.do(carol, "GET", path, nil), 403, "urn:lpm:problem:forbidden")
		sameNotFound(t, e, bob, "GET", "/api/v1/portfolios/%d/audit", pid, 987654321, nil)
		sameNotFound(t, e, bob, "GET", "/api/v1/portfolios/%d/audit/export", pid, 987654321, nil)
		wantProblem(t, e.do(victor, "GET", path+"/export", nil), 403, "urn:lpm:problem:forbidden")
		e.must(http.StatusOK, aliceRO, "GET", path, nil)

		// Filters are checked.
		wantProblem(t, e.do(alice, "GET", path+"?object_id=3", nil), 422, "urn:lpm:problem:invalid", "query.object_id")
		wantProblem(t, e.do(alice, "GET", path+"?object_type=spaceship", nil), 422, "urn:lpm:problem:invalid", "query.object_type")
		wantProblem(t, e.do(alice, "GET", path+"?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", nil), 422, "urn:lpm:problem:invalid", "query.to")
		wantProblem(t, e.do(alice, "GET", path+"/export?format=xml", nil), 422, "urn:lpm:problem:invalid", "query.format")
	})
}

func TestAuditExport(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		for i := range 3 {
			ep := id(e.epic(pid, fmt.Sprintf("=HYPERLINK(\"x\") %d", i), map[string]any{"description": "@SUM(1)\n+x"}))
			e.must(http.StatusOK, alice, "PATCH", fmt.Sprintf("/api/v1/epics/%d", ep), map[string]any{"description": "-changed"})
		}
		path := fmt.Sprintf("/api/v1/portfolios/%d/audit", pid)
		all := e.auditPages(alice, path, url.Values{}, 500)

		// JSON Lines parse back to the listed entries.
		r := e.do(alice, "GET", path+"/export?format=jsonl", nil)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/x-ndjson" {
			t.Fatalf("jsonl export: %d %s: %s", r.status, r.header.Get("Content-Type"), r.body)
		}
		wantAttachment(t, r, ".jsonl")
		var lines []auditEntry
		sc := bufio.NewScanner(bytes.NewReader(r.body))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var en auditEntry
			if err := json.Unmarshal(sc.Bytes(), &en); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			lines = append(lines, en)
		}
		if d := cmp.Diff(all, lines); d != "" {
			t.Errorf("jsonl export differs from the list (-list +export):\n%s", d)
		}
		// The default format is jsonl.
		if d := e.do(alice, "GET", path+"/export", nil); string(d.body) != string(r.body) {
			t.Errorf("export without format differs from jsonl")
		}

		// CSV parses back to the same entries, formulas defused.
		r = e.do(alice, "GET", path+"/export?format=csv", nil)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv export: %d %s: %s", r.status, r.header.Get("Content-Type"), r.body)
		}
		wantAttachment(t, r, ".csv")
		rows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil {
			t.Fatalf("csv: %v", err)
		}
		header := []string{"seq", "at", "actor", "address", "action", "object_type", "object_id", "before", "after", "prev_hash", "hash"}
		if d := cmp.Diff(header, rows[0]); d != "" {
			t.Fatalf("csv header (-want +got):\n%s", d)
		}
		var fromCSV []auditEntry
		for _, row := range rows[1:] {
			for i, cell := range row {
				if strings.ContainsAny(cell[:min(1, len(cell))], "=+-@") {
					t.Errorf("cell %q of column %s starts a formula", cell, header[i])
				}
				row[i] = strings.TrimPrefix(cell, "'")
			}
			en := auditEntry{Actor: row[2], Address: row[3], Action: row[4], ObjectType: row[5], PrevHash: row[9], Hash: row[10]}
			en.Seq, _ = strconv.ParseInt(row[0], 10, 64)
			en.ObjectID, _ = strconv.ParseInt(row[6], 10, 64)
			if en.At, err = time.Parse(time.RFC3339Nano, row[1]); err != nil {
				t.Errorf("at %q: %v", row[1], err)
			}
			if err := json.Unmarshal([]byte(row[7]), &en.Before); err != nil {
				t.Errorf("before %q: %v", row[7], err)
			}
			if err := json.Unmarshal([]byte(row[8]), &en.After); err != nil {
				t.Errorf("after %q: %v", row[8], err)
			}
			fromCSV = append(fromCSV, en)
		}
		if d := cmp.Diff(all, fromCSV); d != "" {
			t.Errorf("csv export differs from the list (-list +export):\n%s", d)
		}

		// Filters apply to exports.
		r = e.do(alice, "GET", path+"/export?object_type=epic&actor=alice", nil)
		n := 0
		for _, en := range all {
			if en.ObjectType == "epic" && en.Actor == alice {
				n++
			}
		}
		if got := bytes.Count(r.body, []byte("\n")); got != n || n == 0 {
			t.Errorf("filtered export has %d lines, want %d", got, n)
		}
	})
}

func wantAttachment(t *testing.T, r *response, ext string) {
	t.Helper()
	cd := r.header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment; filename=") || !strings.HasSuffix(cd, ext+`"`) {
		t.Errorf("Content-Disposition %q, want an attachment named *%s", cd, ext)
	}
}

func TestSiteAudit(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		e.must(http.StatusCreated, admin, "POST", "/api/v1/users", map[string]any{"name": "dora", "display_name": "Dora"})
		all := e.auditPages(admin, "/api/v1/audit", url.Values{}, 500)
		if len(all) == 0 || all[0].Action != "user.create" || all[0].Actor != admin || all[0].After["name"] != "dora" {
			t.Fatalf("newest site entry = %+v, want dora's creation by admin", all[:min(1, len(all))])
		}
		for _, en := range all {
			if en.ObjectType != "user" && en.ObjectType != "token" {
				t.Errorf("site trail has a %s entry", en.ObjectType)
			}
			if strings.Contains(fmt.Sprint(en.Before, en.After), "lpm_") {
				t.Errorf("site trail shows a token secret: %+v", en)
			}
		}
		users := e.auditPages(admin, "/api/v1/audit", url.Values{"object_type": {"user"}}, 2)
		if len(users) < 6 {
			t.Errorf("%d user entries, want one per user", len(users))
		}
		r := e.do(admin, "GET", "/api/v1/audit/export?format=csv", nil)
		if r.status != http.StatusOK || bytes.Count(r.body, []byte("\n")) < len(all)+1 {
			t.Errorf("site export: %d, %d lines for %d entries", r.status, bytes.Count(r.body, []byte("\n")), len(all))
		}
		for _, who := range []string{alice, bob, aliceRO} {
			wantProblem(t, e.do(who, "GET", "/api/v1/audit", nil), 403, "urn:lpm:problem:forbidden")
			wantProblem(t, e.do(who, "GET", "/api/v1/audit/export", nil), 403, "urn:lpm:problem:forbidden")
		}
	})
}
