package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// canvasSpec is a portfolio's canvas: its current state and one future-state
// candidate, with the sections in the order of lpm.CanvasSections.
type canvasSpec struct {
	vision, futureName, futureVision string
	current, future                  [lpm.NumCanvasSections]string
	// reviewedDaysAgo dates the last review of the current state: the
	// Digital Banking canvas is fresh, the Core Platforms one is older
	// than a quarter and flagged on the overview.
	reviewedDaysAgo int
}

var canvases = map[string]canvasSpec{
	digital: {
		vision: "Every retail customer opens an account, pays and borrows from their phone in minutes, " +
			"and finds us the easiest bank in the country to deal with.",
		futureName: "Open banking platform",
		futureVision: "Partners build on our accounts and payments through open APIs; our own apps are the best " +
			"of many channels, and half of new customers arrive through partners.",
		current: [lpm.NumCanvasSections]string{
			"Open an account in ten minutes\nInstant payments and card control in the app\nLoans decided the same day",
			"Retail customers (1.8 million)\nYoung professionals\nSmall businesses run by one person",
			"Mobile app\nOnline banking\nBranches (appointments)\nContact centre",
			"Self-service first, with advisers on call\nCommunity forum",
			"Retail customer onboarding: sign-up app, identity checks\nPayments and cards: card platform, instant payments\n" +
				"Everyday banking: mobile app, online banking",
			"Card scheme\nIdentity verification provider\nCloud provider",
			"PI planning every ten weeks\nApp releases every two weeks\nQuarterly portfolio sync with Core Platforms",
			"Three ARTs (about 330 people)\nCustomer data\nBanking licence",
			"People (70 %)\nLicences and cloud (20 %)\nCard scheme fees",
			"Account fees\nInterchange on card payments\nInterest on consumer loans",
			"EUR 42 million a year, split over the three value streams by the LPM meeting each half-year",
			"Accounts opened digitally\nApp rating\nCost to serve per customer\nNet promoter score",
		},
		future: [lpm.NumCanvasSections]string{
			"Banking inside the apps our customers already use\nOpen APIs for accounts and payments",
			"Retail customers\nFintech partners and marketplaces",
			"Partner apps through open APIs\nMobile app\nOnline banking",
			"Self-service first\nPartner success managers",
			"Retail customer onboarding: onboarding as a service\nPayments and cards: payments API\n" +
				"Everyday banking: mobile app, online banking, developer portal",
			"Card scheme\nIdentity verification provider\nCloud provider\nFintech partners",
			"PI planning every ten weeks\nPartner onboarding\nAPI release train",
			"Three ARTs and an API platform team\nCustomer data\nBanking licence",
			"People\nCloud\nPartner revenue share",
			"Account fees\nInterchange\nAPI usage fees from partners",
			"EUR 48 million a year",
			"Accounts opened through partners\nAPI calls a month\nApp rating\nNet promoter score",
		},
		reviewedDaysAgo: 20,
	},
	core: {
		vision: "Core banking and data platforms that the digital channels can change every week, safely, " +
			"at a lower cost per transaction each year.",
		futureName: "Cloud core",
		futureVision: "The core ledger runs in the cloud, products are configured rather than coded, and " +
			"data reaches every team within minutes of a transaction.",
		current: [lpm.NumCanvasSections]string{
			"A core ledger that never loses a transaction\nTrusted data for reporting and analytics",
			"Digital Banking portfolio (internal)\nFinance, risk and regulatory reporting",
			"Internal APIs\nNightly data loads\nReport catalogue",
			"Service level agreements with the consuming portfolios",
			"Core banking: ledger, product engine\nData and analytics platform: warehouse, reporting",
			"Core banking software vendor\nData centre operator",
			"PI planning every ten weeks\nRegulatory change calendar\nQuarterly portfolio sync with Digital Banking",
			"Two ARTs (about 220 people)\nMainframe skills\nData warehouse",
			"Mainframe licences (40 %)\nPeople\nData centre",
			"Internal charge-back to the business portfolios",
			"EUR 31 million a year",
			"Availability of the core ledger\nCost per transaction\nLead time for a product change",
		},
		future: [lpm.NumCanvasSections]string{
			"A core ledger in the cloud\nProducts configured in days\nData in minutes",
			"Digital Banking portfolio\nFinance, risk and regulatory reporting\nPartners through Digital Banking's APIs",
			"Internal APIs\nEvent streams\nSelf-service data products",
			"Platform as a product, with a published roadmap",
			"Core banking: cloud ledger, product configurator\nData and analytics platform: streaming, data products",
			"Cloud provider\nCore banking software vendor",
			"PI planning every ten weeks\nMigration waves\nRegulatory change calendar",
			"Two ARTs\nCloud skills\nEvent platform",
			"Cloud\nPeople\nMigration (until done)",
			"Internal charge-back by use",
			"EUR 35 million a year during the migration, then EUR 27 million",
			"Availability\nCost per transaction\nLead time for a product change\nData freshness",
		},
		reviewedDaysAgo: 150,
	},
}

// createCanvas stores the portfolio's canvas: the current state and one
// candidate.
func createCanvas(ctx context.Context, st lpm.Store, spec portfolioSpec, ids *portfolioIDs, now time.Time, actor lpm.Actor) error {
	cs, ok := canvases[spec.keyPrefix]
	if !ok {
		return nil
	}
	reviewed := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -cs.reviewedDaysAgo)
	for _, v := range []*lpm.CanvasVersion{
		{PortfolioID: ids.portfolio.ID, Kind: lpm.CanvasCurrent, Sections: cs.current, Vision: cs.vision, ReviewedOn: &reviewed},
		{PortfolioID: ids.portfolio.ID, Kind: lpm.CanvasFuture, Name: cs.futureName, Sections: cs.future, Vision: cs.futureVision},
	} {
		if err := st.SaveCanvasVersion(ctx, v, actor); err != nil {
			return fmt.Errorf("canvas of %s: %w", spec.name, err)
		}
	}
	return nil
}
