package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// objectiveSpec is an objective of a demo theme, with its key results.
type objectiveSpec struct {
	title, owner string
	keyResults   []keyResultSpec
}

// keyResultSpec is a key result and how far it has come: the demo checks in
// monthly over the last checkIns months, moving from the baseline to reach
// reached of the way to the target (below 0 when it went the wrong way).
type keyResultSpec struct {
	title, unit      string
	baseline, target float64
	weight           float64
	reached          float64
	checkIns         int
}

// okrs are the demo's objectives, by theme name; every theme of the demo has
// some, and they show each band.
var okrs = map[string][]objectiveSpec{
	"Mobile-first customer experience": {
		{"Customers open and run their accounts on the phone", "jonas.weber", []keyResultSpec{
			{"Accounts opened in the app", "%", 35, 70, 2, 0.8, 6},
			{"Median onboarding time", "minutes", 25, 8, 1, 0.55, 6},
		}},
	},
	"Instant payments everywhere": {
		{"Every payment is instant", "sofia.marques", []keyResultSpec{
			{"Payments settled in under 10 s", "%", 12, 95, 1, 0.45, 5},
			{"Merchants accepting instant payments", "merchants", 0, 5000, 1, 0.3, 4},
		}},
	},
	"Regulatory compliance (DORA, PSD3)": {
		{"Ready for supervisors, on time", vmoLead, []keyResultSpec{
			{"DORA register of information complete", "%", 20, 100, 2, 0.9, 6},
			{"Open audit findings", "findings", 14, 0, 1, 0.2, 6},
		}},
	},
	"Cloud migration": {
		{"Off the mainframe by 2027", architect, []keyResultSpec{
			{"Workloads running in the cloud", "workloads", 12, 180, 1, 0.35, 6},
			{"Mainframe MIPS", "MIPS", 9500, 3000, 1, 0.15, 6},
		}},
	},
	"Data-driven decisions": {
		{"Decisions rest on trusted data products", "elif.yilmaz", []keyResultSpec{
			{"Data products with an owner and SLA", "data products", 4, 40, 1, 0.75, 5},
			{"Reports reconciled without manual fixes", "%", 40, 90, 1, 0.7, 5},
		}},
	},
	"Operational resilience": {
		{"Critical services recover within tolerance", vmoLead, []keyResultSpec{
			{"Critical services tested against a severe scenario", "services", 0, 24, 1, 0.5, 4},
			{"Recovery time of the payment hub", "hours", 8, 2, 1, -0.1, 4},
		}},
	},
}

// createOKRs stores the objectives, key results and check-ins of a
// portfolio's themes; it returns how many check-ins it stored.
func createOKRs(ctx context.Context, st lpm.Store, spec portfolioSpec, ids *portfolioIDs, now time.Time, actor lpm.Actor) (objectives, keyResults, checkIns int, err error) {
	for i, th := range spec.themes {
		for _, os := range okrs[th.name] {
			o := &lpm.Objective{ThemeID: ids.themes[i], Title: os.title, Owner: os.owner, CreatedAt: now.AddDate(0, -7, 0)}
			// A year that holds the half year of check-ins behind now.
			start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -6, 0)
			end := start.AddDate(1, 0, -1)
			o.PeriodStart, o.PeriodEnd = &start, &end
			if err := st.CreateObjective(ctx, o, actor); err != nil {
				return 0, 0, 0, fmt.Errorf("create demo objective %q: %w", os.title, err)
			}
			objectives++
			var batch []*lpm.CheckIn
			for _, ks := range os.keyResults {
				k := &lpm.KeyResult{ObjectiveID: o.ID, Title: ks.title, Unit: ks.unit, Baseline: ks.baseline,
					Target: ks.target, Weight: ks.weight, CreatedAt: o.CreatedAt}
				if err := st.CreateKeyResult(ctx, k, actor); err != nil {
					return 0, 0, 0, fmt.Errorf("create demo key result %q: %w", ks.title, err)
				}
				keyResults++
				batch = append(batch, checkInSeries(k, ks, now)...)
			}
			if err := st.AddCheckIns(ctx, ids.portfolio.ID, batch, actor); err != nil {
				return 0, 0, 0, fmt.Errorf("check in on demo objective %q: %w", os.title, err)
			}
			checkIns += len(batch)
		}
	}
	return objectives, keyResults, checkIns, nil
}

// checkInSeries is a key result's monthly check-ins up to now: an even path
// from the baseline to reached of the way, rounded as people would count it,
// with confidence and status following how far it has come.
func checkInSeries(k *lpm.KeyResult, ks keyResultSpec, now time.Time) []*lpm.CheckIn {
	list := make([]*lpm.CheckIn, ks.checkIns)
	for m := range ks.checkIns {
		part := ks.reached * float64(m+1) / float64(ks.checkIns)
		value := ks.baseline + part*(ks.target-ks.baseline)
		// Whole numbers for what is counted in tens or more (findings,
		// workloads), one decimal for the rest (minutes, hours).
		scale := 10.0
		if math.Abs(ks.target-ks.baseline) >= 10 {
			scale = 1
		}
		c := &lpm.CheckIn{KeyResultID: k.ID, At: now.AddDate(0, m+1-ks.checkIns, -1), Value: math.Round(value*scale) / scale}
		switch progress := k.Progress(c.Value); {
		case progress >= 0.6:
			c.Confidence, c.Status = 8, lpm.OnTrack
		case progress >= 0.3:
			c.Confidence, c.Status = 6, lpm.AtRisk
		default:
			c.Confidence, c.Status = 3, lpm.OffTrack
		}
		list[m] = c
	}
	return list
}
