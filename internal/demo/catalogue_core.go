package demo

import "github.com/lpm-project/lpm/internal/lpm"

// Theme and value stream indexes of the Core Platforms portfolio.
const (
	thCloud      = 0
	thData       = 1
	thResilience = 2

	vsCore    = 0
	vsData    = 1
	vsLending = 2
)

// corePlatformsEpics are the 25 epics of the Core Platforms portfolio.
var corePlatformsEpics = []epicSpec{
	// Funnel.
	{
		title:       "Mainframe batch offload to event streaming",
		description: "Move end-of-day batch jobs that feed other systems to events published as transactions happen.",
		typ:         lpm.Enabler, state: lpm.Funnel, owner: architect, themes: []int{thCloud}, streams: []int{vsCore},
	},
	{
		title:       "Generative AI assistant for operations staff",
		description: "An assistant that answers back-office staff's questions from procedures and product documentation.",
		typ:         lpm.Business, state: lpm.Funnel, themes: []int{thData},
	},
	{
		title:       "Unified customer master data",
		description: "One golden record per customer across core banking, lending and the CRM.",
		typ:         lpm.Enabler, state: lpm.Funnel, owner: "elif.yilmaz", themes: []int{thData}, streams: []int{vsData},
	},
	{
		title:       "Exit from the second on-premise data centre",
		description: "Close the older of the two data centres when its lease ends in 2027.",
		typ:         lpm.Enabler, state: lpm.Funnel, themes: []int{thCloud},
	},

	// Reviewing.
	{
		title:       "Real-time liquidity dashboard for treasury",
		description: "Intraday view of the bank's liquidity position from payment and ledger events.",
		typ:         lpm.Business, state: lpm.Reviewing, owner: "elif.yilmaz", themes: []int{thData}, streams: []int{vsData},
		hyp: &hypothesis{
			forCustomers: "the treasury desk", who: "manage intraday liquidity from end-of-day reports",
			isA: "streaming liquidity dashboard", that: "shows positions per currency within a minute",
			unlike: "spreadsheets refreshed twice a day", ours: "is computed from the same events the ledger books",
			outcomes:   list("Liquidity buffer held for uncertainty −10 %"),
			indicators: list("Dashboard latency", "Treasury decisions taken on intraday data"),
		},
	},
	{
		title:       "Chaos engineering for payment-critical services",
		description: "Inject failures in production-like environments to prove critical services recover within their impact tolerances.",
		typ:         lpm.Enabler, state: lpm.Reviewing, owner: architect, themes: []int{thResilience}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "teams running payment-critical services", who: "must show they recover within DORA impact tolerances",
			isA: "fault-injection practice and tooling", that: "tests recovery continuously instead of once a year",
			unlike: "annual disaster recovery tests on paper", ours: "produces evidence for the resilience testing programme as a side effect",
			outcomes:   list("Major incidents on critical services −25 %"),
			indicators: list("Experiments run per month", "Recovery time measured in experiments"),
		},
	},
	{
		title:       "Automated credit decisioning for SME loans",
		description: "Decide small business loans up to €250k automatically from account data and scoring.",
		typ:         lpm.Business, state: lpm.Reviewing, owner: "jonas.weber", themes: []int{thData}, streams: []int{vsCore, vsData},
		hyp: &hypothesis{
			forCustomers: "small business customers", who: "wait three weeks for a loan decision",
			isA: "automated decision engine", that: "decides most small loans the same day",
			unlike: "manual credit memos for every application", ours: "uses the customer's own transaction history as evidence",
			outcomes:   list("SME loan volume +15 %", "Cost per credit decision −50 %"),
			indicators: list("Share of applications decided automatically", "Default rate of automated decisions"),
		},
	},

	// Analyzing.
	{
		title:       "Core ledger migration to a cloud-native platform",
		description: "Move the general and account ledgers off the mainframe to a cloud-native core, product by product.",
		typ:         lpm.Enabler, state: lpm.Analyzing, owner: architect, themes: []int{thCloud, thResilience}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "every value stream that books money", who: "depend on a mainframe ledger with a nightly batch window",
			isA: "cloud-native ledger platform", that: "books in real time and scales with demand",
			unlike: "the 1990s mainframe core and its €9 m yearly licence", ours: "migrates one product at a time with both ledgers reconciled daily",
			outcomes:   list("Mainframe cost −40 % by 2028", "Batch window removed for migrated products"),
			indicators: list("Products migrated", "Reconciliation breaks per day"),
			nfrs:       list("RTO 2 h, RPO 0 for the ledger", "Data residency in the EU"),
		},
	},
	{
		title:       "Data mesh self-service for analytics teams",
		description: "Domain teams publish and consume data products on a self-service platform with governance built in.",
		typ:         lpm.Enabler, state: lpm.Analyzing, owner: "elif.yilmaz", themes: []int{thData}, streams: []int{vsData},
		hyp: &hypothesis{
			forCustomers: "analytics and domain teams", who: "wait months for the central data team",
			isA: "self-service data product platform", that: "lets a team publish a governed data product in a day",
			unlike: "a central warehouse team with a six-month backlog", ours: "puts ownership with the domains and automates governance",
			outcomes:   list("Time to a new data product from months to weeks"),
			indicators: list("Data products published", "Consumers per data product"),
		},
	},

	// Ready.
	{
		title:       "Observability platform with service level objectives",
		description: "One platform for metrics, logs and traces, with SLOs for every customer-facing service.",
		typ:         lpm.Enabler, state: lpm.Ready, owner: architect, themes: []int{thResilience}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "teams operating the bank's services", who: "learn about outages from customers",
			isA: "shared observability platform", that: "alerts on SLO burn before customers notice",
			unlike: "five monitoring tools and no end-to-end view", ours: "traces a payment across every system it touches",
			outcomes:   list("Mean time to restore −40 %"),
			indicators: list("Services with SLOs", "Incidents detected by alerts before customer contact"),
		},
		mvp: "Tracing and SLOs for the payment hub and the mobile backend.",
	},
	{
		title:       "Regulatory reporting on a single data model",
		description: "Produce FINREP, COREP and AnaCredit from one shared data model instead of three pipelines.",
		typ:         lpm.Business, state: lpm.Ready, owner: "elif.yilmaz", themes: []int{thData}, streams: []int{vsData},
		hyp: &hypothesis{
			forCustomers: "regulatory reporting and finance", who: "reconcile three pipelines every quarter",
			isA: "integrated reporting data model", that: "derives all supervisory reports from the same data",
			unlike: "separate pipelines that disagree", ours: "reconciles once, at the source",
			outcomes:   list("Reporting effort −30 %", "Resubmissions to the supervisor −50 %"),
			indicators: list("Manual adjustments per reporting cycle"),
		},
		mvp: "AnaCredit from the new model, run in parallel with the current pipeline for two quarters.",
	},
	{
		title:       "Secrets management and key rotation",
		description: "Central secrets store with automatic rotation of credentials and keys for all platforms.",
		typ:         lpm.Enabler, state: lpm.Ready, owner: architect, themes: []int{thResilience, thCloud}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "platform and application teams", who: "keep credentials in configuration files",
			isA: "secrets management service", that: "rotates secrets automatically",
			unlike: "static passwords changed by hand once a year", ours: "injects short-lived credentials at runtime",
			outcomes:   list("Audit findings on credentials closed"),
			indicators: list("Applications using the service", "Secrets older than 90 days"),
		},
		mvp: "Database credentials for cloud workloads issued and rotated by the service.",
	},

	// Implementing (MVP).
	{
		title:       "Kubernetes landing zone for regulated workloads",
		description: "A hardened, audited Kubernetes platform in the cloud that meets the bank's outsourcing and DORA requirements.",
		typ:         lpm.Enabler, state: lpm.ImplementingMVP, owner: architect, themes: []int{thCloud, thResilience}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "teams moving workloads to the cloud", who: "each negotiate security and compliance on their own",
			isA: "pre-approved landing zone", that: "lets a team deploy a regulated workload in a week",
			unlike: "six-month security reviews per application", ours: "has the controls built in and evidenced once",
			outcomes:   list("Time to first production deployment in the cloud from 6 months to 2 weeks"),
			indicators: list("Workloads onboarded", "Control failures found by automated checks"),
		},
		mvp: "Landing zone in one region with the mobile backend as first tenant.",
	},
	{
		title:       "Loan servicing workflow automation",
		description: "Automate the top ten back-office tasks in loan servicing (address changes, payment holidays, early repayments).",
		typ:         lpm.Business, state: lpm.ImplementingMVP, owner: "jonas.weber", themes: []int{thData}, streams: []int{vsCore, vsLending},
		hyp: &hypothesis{
			forCustomers: "loan servicing staff", who: "re-key customer requests into four systems",
			isA: "workflow automation", that: "processes standard requests straight through",
			unlike: "manual processing with a five-day backlog", ours: "keeps a person in the loop only for exceptions",
			outcomes:   list("Servicing backlog −60 %"),
			indicators: list("Requests processed straight through"),
		},
		mvp: "Straight-through processing of payment holiday requests for consumer loans.",
	},

	// Implementing (persevere).
	{
		title:       "Disaster recovery with a second cloud region",
		description: "Run critical services active-passive across two regions with tested failover.",
		typ:         lpm.Enabler, state: lpm.ImplementingPersevere, owner: architect, themes: []int{thResilience}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "every customer of a critical service", who: "cannot bank when a data centre fails",
			isA: "multi-region recovery capability", that: "restores critical services within impact tolerances",
			unlike: "tape-based recovery in a secondary data centre", ours: "is tested every quarter by failing over for real",
			outcomes:   list("Impact tolerances met in every test"),
			indicators: list("Failover time in tests", "Services covered"),
		},
		mvp: "Failover of the mobile backend between two regions.",
	},
	{
		title:       "Customer 360 data product",
		description: "A governed data product with each customer's products, interactions and preferences.",
		typ:         lpm.Business, state: lpm.ImplementingPersevere, owner: "elif.yilmaz", themes: []int{thData}, streams: []int{vsData},
		hyp: &hypothesis{
			forCustomers: "advisors and marketing", who: "look up customers in five systems",
			isA: "customer 360 data product", that: "shows one consistent view of a customer",
			unlike: "CRM exports and manual lookups", ours: "is refreshed hourly and respects consent",
			outcomes:   list("Cross-sell conversion +10 %"),
			indicators: list("Queries per day", "Consumers of the data product"),
		},
		mvp: "Customer 360 for advisors in 20 branches.",
	},
	{
		title:       "Internal API platform",
		description: "Publish core banking services as documented, versioned APIs behind one gateway.",
		typ:         lpm.Enabler, state: lpm.ImplementingPersevere, owner: architect, themes: []int{thCloud}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "teams building on core banking", who: "integrate through file transfers and direct database access",
			isA: "internal API platform", that: "exposes core services as stable APIs",
			unlike: "point-to-point integrations", ours: "comes with a catalogue, contracts and usage analytics",
			outcomes:   list("New integrations built 50 % faster"),
			indicators: list("APIs published", "Direct database connections removed"),
		},
		mvp: "Account and balance APIs used by the mobile backend.",
	},

	// Done.
	{
		title:       "Identity and access management consolidation",
		description: "One identity platform for all employees and service accounts, with access reviews.",
		typ:         lpm.Enabler, state: lpm.Done, done: lpm.Completed, owner: architect, themes: []int{thResilience}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "employees and auditors", who: "juggle six directories",
			isA: "consolidated identity platform", that: "grants and reviews access in one place",
			unlike: "six directories with manual joiner-mover-leaver steps", ours: "automates access from HR events",
			outcomes:   list("Audit findings on access −80 %"),
			indicators: list("Applications connected"),
		},
		mvp:    "Single sign-on and leaver automation for the 20 most used applications.",
		reason: "All applications connected; access reviews run in the platform.",
	},
	{
		title:       "Cloud cost management (FinOps)",
		description: "Allocate cloud costs to value streams and act on waste.",
		typ:         lpm.Enabler, state: lpm.Done, done: lpm.Completed, owner: "elif.yilmaz", themes: []int{thCloud}, streams: []int{vsCore, vsData},
		hyp: &hypothesis{
			forCustomers: "value stream leaders and finance", who: "cannot see what their cloud use costs",
			isA: "FinOps practice with tagging and reports", that: "shows cost per value stream weekly",
			unlike: "one cloud invoice paid centrally", ours: "ties every resource to a budget owner",
			outcomes:   list("Cloud spend −15 % at equal load"),
			indicators: list("Share of spend allocated"),
		},
		mvp:    "Tagging policy and weekly cost report for the data platform.",
		reason: "Savings target reached; FinOps is now a standing practice.",
	},
	{
		title:       "Predictive cash machine replenishment",
		description: "Forecast cash demand per ATM to cut replenishment trips.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.StoppedAfterMVP, owner: "jonas.weber", themes: []int{thData}, streams: []int{vsData},
		hyp: &hypothesis{
			forCustomers: "the cash logistics team", who: "refill ATMs on fixed schedules",
			isA: "demand forecast per ATM", that: "plans refills only when needed",
			unlike: "fixed weekly rounds", ours: "learns from withdrawals, events and holidays",
			outcomes:   list("Cash-in-transit cost −20 %"),
			indicators: list("Forecast error per ATM"),
		},
		mvp:    "Forecasts for 60 ATMs in one region.",
		reason: "MVP disproved the saving: the logistics contract is priced per route, not per trip.",
	},
	{
		title:       "Blockchain-based trade finance",
		description: "Letters of credit on a shared ledger with partner banks.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.NoGo, owner: "jonas.weber", themes: []int{thData}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "corporate customers trading abroad", who: "wait days for letters of credit",
			isA: "shared-ledger trade finance network", that: "issues letters of credit in hours",
			unlike: "paper-based documentary credit", ours: "shares documents with partner banks in real time",
			outcomes:   list("Trade finance volume +10 %"),
			indicators: list("Partner banks joining"),
		},
		reason: "No-go: too few partner banks committed to the network.",
	},
	{
		title:       "Intranet replacement",
		description: "Replace the employee intranet.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.Declined, themes: []int{thCloud},
		reason: "Declined: below the portfolio epic threshold and not tied to a strategic theme.",
	},
	{
		title:       "Upgrade of the build servers",
		description: "Replace the ageing build servers of the core banking teams.",
		typ:         lpm.Enabler, state: lpm.Done, done: lpm.Rerouted, owner: architect, themes: []int{thCloud}, streams: []int{vsCore},
		reason: "Rerouted to the Core Ledger ART backlog as a feature; fits within the ART's capacity.",
	},
	{
		title:       "On-premise data warehouse extension",
		description: "Add capacity to the on-premise data warehouse for three more years.",
		typ:         lpm.Enabler, state: lpm.Done, done: lpm.Cancelled, owner: "elif.yilmaz", themes: []int{thData}, streams: []int{vsData},
		hyp: &hypothesis{
			forCustomers: "analytics users", who: "hit the warehouse's capacity every month end",
			isA: "capacity extension", that: "keeps month-end reports on time",
			unlike: "rationing queries at month end", ours: "buys time until the data platform takes over",
			outcomes:   list("Month-end reports on time"),
			indicators: list("Query queue time at month end"),
		},
		mvp:    "Storage extension for the finance marts.",
		reason: "Cancelled: the data mesh platform will take the finance marts sooner than planned.",
	},
	{
		title:       "Quantum-safe cryptography pilot",
		description: "Try post-quantum algorithms on internal TLS and code signing.",
		typ:         lpm.Enabler, state: lpm.Done, done: lpm.NotPursued, owner: architect, themes: []int{thResilience}, streams: []int{vsCore},
		hyp: &hypothesis{
			forCustomers: "security engineering", who: "must plan for cryptography that quantum computers can break",
			isA: "pilot of post-quantum algorithms", that: "shows the effort of migrating",
			unlike: "waiting for vendors", ours: "builds an inventory of cryptography as it goes",
			outcomes:   list("A costed migration roadmap"),
			indicators: list("Systems inventoried"),
		},
		reason: "Not pursued this year: standards and vendor support are not mature; revisit in the next strategy cycle.",
	},
}
