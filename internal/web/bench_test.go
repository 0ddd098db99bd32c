package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
	"github.com/lpm-project/lpm/internal/web"
)

// boardOf2000 spreads 2,000 epics over the columns of fx.alpha, every one
// shown on the board (no column over the 500 cards a column shows).
var boardOf2000 = map[lpm.State]int{
	lpm.Funnel: 450, lpm.Reviewing: 250, lpm.Analyzing: 200, lpm.Ready: 400,
	lpm.ImplementingMVP: 200, lpm.ImplementingPersevere: 200, lpm.Done: 300,
}

// BenchmarkBoardPage measures GET /portfolios/{id}/board of a portfolio of
// 2,000 epics on SQLite, as the server answers it: session check, roles,
// board read, filter choices, rendering (and, in the gzip case, compressing).
func BenchmarkBoardPage(b *testing.B) {
	fx := newFixture(b, testenv.SQLiteDSN(b))
	done := lpm.DoneReason(lpm.Completed)
	n := 0
	for _, st := range lpm.States {
		for range boardOf2000[st] {
			n++
			e := lpm.Epic{PortfolioID: fx.alpha.ID, Title: fmt.Sprintf("Epic number %d with a title of ordinary length", n),
				Type: lpm.Business, State: st, EpicOwner: "alice",
				WSJF: lpm.WSJFComponents{UserBusinessValue: lpm.WSJFScale[n%7], TimeCriticality: 3, RiskReduction: 2, JobSize: lpm.WSJFScale[(n/7)%7]}}
			if n%4 == 0 {
				e.Type = lpm.Enabler
			}
			if st == lpm.Done {
				e.DoneReason = done
			}
			if err := fx.st.ImportEpic(ctx, &e, nil, nil, system); err != nil {
				b.Fatal(err)
			}
		}
	}
	h, err := web.New(web.Config{Store: fx.st})
	if err != nil {
		b.Fatal(err)
	}
	secret, csrf, err := lpm.NewSessionSecrets()
	if err != nil {
		b.Fatal(err)
	}
	now := lpm.Now()
	if err := fx.st.CreateSession(ctx, &lpm.Session{UserID: fx.root.ID, CSRFToken: csrf, CreatedAt: now,
		ExpiresAt: now.Add(lpm.SessionLifetime), LastSeenAt: now}, secret); err != nil {
		b.Fatal(err)
	}
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			var size int
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/portfolios/%d/board", fx.alpha.ID), nil)
				req.AddCookie(&http.Cookie{Name: httpauth.SessionCookieInsecure, Value: secret})
				req.Header.Set("Accept-Encoding", enc)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size)/1024, "KiB/page")
		})
	}
}
