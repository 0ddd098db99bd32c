package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// portfolioSpec describes one demo portfolio. Themes, value streams and epics
// refer to each other by index within the portfolio; Load turns the indexes
// into stored IDs.
type portfolioSpec struct {
	name, description, keyPrefix string
	streams                      []streamSpec
	themes                       []themeSpec
	epics                        []epicSpec
}

// streamSpec is a value stream; supports indexes the development value
// streams an operational one uses.
type streamSpec struct {
	name, description string
	kind              lpm.ValueStreamKind
	arts              []lpm.ART
	solutions         []lpm.Solution
	supports          []int
}

// themeSpec is a strategic theme.
type themeSpec struct {
	name, description string
}

// portfolios are the two portfolios of a mid-sized European retail bank: the
// customer-facing one and the platforms it runs on.
var portfolios = []portfolioSpec{
	{
		name: "Digital Banking",
		description: "Customer-facing products of the retail bank: onboarding, everyday banking, " +
			"payments and cards, across the mobile app, online banking and branches.",
		keyPrefix: digital,
		streams: []streamSpec{
			{
				name:        "Retail customer onboarding",
				description: "From a prospect's first visit to a funded, verified account.",
				kind:        lpm.Development,
				arts:        []lpm.ART{{Name: "Onboarding ART", Headcount: 110}},
				solutions: []lpm.Solution{
					{Name: "Mobile banking app", Kind: lpm.Product, Description: "iOS and Android app for retail customers."},
					{Name: "Online account opening", Kind: lpm.Service, Description: "Web journey for new customers, with identity verification."},
				},
			},
			{
				name:        "Payments and cards",
				description: "Everything that moves a customer's money: transfers, instant payments, debit and credit cards.",
				kind:        lpm.Development,
				arts:        []lpm.ART{{Name: "Payments ART", Headcount: 95}, {Name: "Cards ART", Headcount: 70}},
				solutions: []lpm.Solution{
					{Name: "Payment hub", Kind: lpm.System, Description: "SEPA, SEPA Instant and card clearing."},
					{Name: "Card management", Kind: lpm.Service, Description: "Issuing, controls and servicing of debit and credit cards."},
				},
			},
			{
				name:        "Everyday banking for retail customers",
				description: "How a customer is served day to day: paying, saving, getting help. Uses the onboarding and payments solutions.",
				kind:        lpm.Operational,
				supports:    []int{0, 1},
			},
		},
		themes: []themeSpec{
			{"Mobile-first customer experience", "Every retail journey can be completed on a phone in minutes, without a branch visit."},
			{"Instant payments everywhere", "Money moves in seconds, at any hour, for every customer and merchant."},
			{"Regulatory compliance (DORA, PSD3)", "Meet DORA, PSD3/PSR and the Instant Payments Regulation on time, with evidence ready for supervisors."},
		},
		epics: digitalBankingEpics,
	},
	{
		name: "Core Platforms",
		description: "The platforms the bank runs on: core banking, data and analytics, cloud " +
			"infrastructure, and the lending operations they serve.",
		keyPrefix: core,
		streams: []streamSpec{
			{
				name:        "Core banking",
				description: "Accounts, ledger, products and the services other value streams build on.",
				kind:        lpm.Development,
				arts:        []lpm.ART{{Name: "Core Ledger ART", Headcount: 120}},
				solutions: []lpm.Solution{
					{Name: "Core banking system", Kind: lpm.System, Description: "Account and ledger platform, moving off the mainframe."},
					{Name: "Product catalogue", Kind: lpm.InternalApplication, Description: "Single definition of the bank's products and prices."},
				},
			},
			{
				name:        "Data and analytics platform",
				description: "Data products, analytics and regulatory reporting.",
				kind:        lpm.Development,
				arts:        []lpm.ART{{Name: "Data Platform ART", Headcount: 80}},
				solutions: []lpm.Solution{
					{Name: "Enterprise data platform", Kind: lpm.System, Description: "Lakehouse and data products owned by domain teams."},
					{Name: "Regulatory reporting", Kind: lpm.InternalApplication, Description: "FINREP, COREP and AnaCredit reporting."},
				},
			},
			{
				name:        "Lending operations",
				description: "From a loan application to disbursement and servicing, as the back office runs it.",
				kind:        lpm.Operational,
				supports:    []int{0, 1},
			},
		},
		themes: []themeSpec{
			{"Cloud migration", "Move the bank's workloads off the mainframe and the ageing data centre to a regulated cloud by 2027."},
			{"Data-driven decisions", "Decisions on credit, liquidity and customers rest on trusted, timely data products."},
			{"Operational resilience", "Critical services withstand and recover from disruption within their impact tolerances."},
		},
		epics: corePlatformsEpics,
	},
}

// portfolioIDs are the stored IDs behind one portfolio's indexes.
type portfolioIDs struct {
	portfolio *lpm.Portfolio
	streams   []*lpm.ValueStream
	themes    []int64
}

// createStructure stores a portfolio with its value streams and themes.
func createStructure(ctx context.Context, st lpm.Store, spec portfolioSpec, cadenceStart, now time.Time, actor lpm.Actor) (*portfolioIDs, error) {
	p := &lpm.Portfolio{Name: spec.name, Description: spec.description, Currency: "EUR", KeyPrefix: spec.keyPrefix,
		PICadence: lpm.PICadence{Start: cadenceStart, LengthWeeks: lpm.DefaultPIWeeks}, CreatedAt: cadenceStart, UpdatedAt: cadenceStart}
	p.WithDefaults(now)
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("demo portfolio %s: %w", spec.name, err)
	}
	if err := st.CreatePortfolio(ctx, p, actor); err != nil {
		return nil, fmt.Errorf("create portfolio %s: %w", spec.name, err)
	}
	ids := &portfolioIDs{portfolio: p}
	for _, s := range spec.streams {
		v := &lpm.ValueStream{PortfolioID: p.ID, Name: s.name, Description: s.description, Kind: s.kind,
			ARTs: s.arts, Solutions: s.solutions, CreatedAt: cadenceStart}
		for _, i := range s.supports {
			v.Supports = append(v.Supports, ids.streams[i].ID)
		}
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("demo value stream %s: %w", s.name, err)
		}
		if err := st.CreateValueStream(ctx, v, actor); err != nil {
			return nil, fmt.Errorf("create value stream %s: %w", s.name, err)
		}
		ids.streams = append(ids.streams, v)
	}
	for _, th := range spec.themes {
		from := cadenceStart
		t := &lpm.StrategicTheme{PortfolioID: p.ID, Name: th.name, Description: th.description,
			Status: lpm.ThemeActive, ValidFrom: &from, CreatedAt: cadenceStart}
		if err := t.Validate(); err != nil {
			return nil, fmt.Errorf("demo theme %s: %w", th.name, err)
		}
		if err := st.CreateTheme(ctx, t, actor); err != nil {
			return nil, fmt.Errorf("create theme %s: %w", th.name, err)
		}
		ids.themes = append(ids.themes, t.ID)
	}
	return ids, nil
}
