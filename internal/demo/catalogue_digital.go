package demo

import "github.com/lpm-project/lpm/internal/lpm"

// Theme and value stream indexes of the Digital Banking portfolio.
const (
	thMobile     = 0
	thInstant    = 1
	thCompliance = 2

	vsOnboarding = 0
	vsPayments   = 1
	vsEveryday   = 2
)

// digitalBankingEpics: 34 epics written by hand plus the one a pivot creates.
var digitalBankingEpics = []epicSpec{
	// Funnel: ideas, some with an owner already.
	{
		title:       "Voice banking via smart speakers",
		description: "Let customers check balances and recent payments by voice on home assistants.",
		typ:         lpm.Business, state: lpm.Funnel, themes: []int{thMobile},
	},
	{
		title:       "Carbon footprint insights for card spending",
		description: "Estimate the CO₂ footprint of card purchases by merchant category and show it next to each transaction.",
		typ:         lpm.Business, state: lpm.Funnel, owner: "mateo.garcia", themes: []int{thMobile},
	},
	{
		title:       "Family accounts with parental controls",
		description: "Accounts for children aged 8–17 that parents can top up, limit and watch from their own app.",
		typ:         lpm.Business, state: lpm.Funnel, themes: []int{thMobile},
	},
	{
		title:       "Buy now, pay later at online checkout",
		description: "Split card purchases above €100 into three interest-free instalments, decided at checkout.",
		typ:         lpm.Business, state: lpm.Funnel, owner: "priya.raman", themes: []int{thInstant}, streams: []int{vsPayments},
	},
	{
		title: "Accessibility to WCAG 2.2 AA across app and web",
		description: "The European Accessibility Act applies to consumer banking services from June 2025; " +
			"bring every retail journey to WCAG 2.2 AA and keep it there.",
		typ: lpm.Business, state: lpm.Funnel, owner: "sofia.marques", themes: []int{thCompliance, thMobile},
	},

	// Reviewing.
	{
		title:       "Request-to-pay for utility bills",
		description: "Utilities send a payment request to the app; the customer approves it with one tap and pays by SEPA Instant.",
		typ:         lpm.Business, state: lpm.Reviewing, owner: "priya.raman", themes: []int{thInstant}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "retail customers paying recurring household bills", who: "lose track of direct debits and pay late fees",
			isA: "request-to-pay service in the banking app", that: "puts every bill in front of the customer to approve before it is paid",
			unlike: "direct debits the customer only sees after the money is gone", ours: "lets customers check, postpone or split a bill before paying it instantly",
			outcomes:   list("Returned direct debits −20 % within a year", "5 utility billers connected in the first PI"),
			indicators: list("Share of requests approved within 24 h", "Weekly active users of the bills screen"),
		},
	},
	{
		title: "Open banking API gateway for PSD3",
		description: "Replace the PSD2 access interface with a gateway that meets PSD3/PSR performance and " +
			"availability obligations and exposes premium APIs to partners.",
		typ: lpm.Enabler, state: lpm.Reviewing, owner: architect, themes: []int{thCompliance, thInstant}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "licensed third-party providers and the bank's partners", who: "access accounts and initiate payments through APIs",
			isA: "managed API gateway with consent and usage metering", that: "meets PSD3 availability and performance parity with our own channels",
			unlike: "the in-house PSD2 interface, with no dashboard and frequent timeouts", ours: "gives one place for consent, throttling, monitoring and billing of premium APIs",
			outcomes:   list("API availability ≥ 99.5 % as reported to the supervisor", "Two paying partners on premium APIs"),
			indicators: list("p95 latency of account-information calls", "Consent-related support tickets per month"),
			nfrs:       list("Availability 99.5 % monthly", "p95 below 500 ms", "Audit trail of every consent"),
		},
	},
	{
		title:       "Shared savings goals",
		description: "Customers save together towards a goal (a holiday, a flat) from their own accounts, with progress shown to everyone in the group.",
		typ:         lpm.Business, state: lpm.Reviewing, owner: "mateo.garcia", themes: []int{thMobile}, streams: []int{vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "young retail customers saving with friends or partners", who: "today pool money in one person's account",
			isA: "shared goal inside the savings product", that: "lets several customers contribute and see progress without sharing an account",
			unlike: "informal transfers and spreadsheets", ours: "keeps each contributor's money and rights separate while the goal is shared",
			outcomes:   list("Savings balances of customers under 30 +10 %"),
			indicators: list("Goals created per week", "Invitations accepted"),
		},
	},
	{
		title:       "Fraud alerts with in-app confirmation",
		description: "Suspicious card and transfer activity raises a push notification the customer confirms or rejects in the app, instead of a phone call.",
		typ:         lpm.Business, state: lpm.Reviewing, owner: "jonas.weber", themes: []int{thMobile, thCompliance}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "card and online banking customers", who: "are called by the fraud team when a payment looks suspicious",
			isA: "real-time, in-app fraud confirmation", that: "resolves most alerts in under a minute",
			unlike: "outbound calls that customers miss or mistake for scams", ours: "uses the trusted app channel and strong authentication",
			outcomes:   list("Fraud losses on cards −15 %", "Outbound fraud calls −60 %"),
			indicators: list("Median time to resolve an alert", "Share of alerts answered in the app"),
		},
	},

	// Analyzing.
	{
		title: "Instant SEPA transfers for all retail customers",
		description: "The Instant Payments Regulation requires sending SEPA Instant at no extra cost; make instant the default " +
			"for every transfer, in every channel.",
		typ: lpm.Business, state: lpm.Analyzing, owner: "priya.raman", themes: []int{thInstant, thCompliance}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "all retail customers", who: "send money to other people and businesses",
			isA: "default instant transfer in app, web and branch", that: "settles every eligible transfer within ten seconds, around the clock",
			unlike: "next-day SEPA credit transfers and a paid instant option", ours: "makes instant the normal case at no extra cost, with verification of payee built in",
			outcomes:   list("Compliance with the IPR sending deadline", "Transfer-related complaints −30 %"),
			indicators: list("Share of transfers sent instantly", "Instant rejections per 1,000 transfers"),
			nfrs:       list("24/7 availability", "Sanctions screening within the 10-second budget"),
		},
	},
	{
		title:       "ICT incident reporting automation (DORA)",
		description: "Classify ICT incidents against DORA criteria and produce the initial, intermediate and final reports for the supervisor from the incident tool.",
		typ:         lpm.Enabler, state: lpm.Analyzing, owner: architect, themes: []int{thCompliance}, streams: []int{vsEveryday, vsPayments},
		hyp: &hypothesis{
			forCustomers: "the bank's incident managers and compliance officers", who: "must report major ICT incidents within hours",
			isA: "incident classification and reporting workflow", that: "drafts DORA reports from the data already in the incident tool",
			unlike: "manual spreadsheets and e-mails assembled under time pressure", ours: "classifies incidents as they are logged and keeps the evidence with the report",
			outcomes:   list("Every major incident reported within the DORA deadlines"),
			indicators: list("Time from classification to initial report", "Reports needing supervisor follow-up"),
		},
	},
	{
		title:       "Virtual cards for online shopping",
		description: "Issue single-use and merchant-locked virtual card numbers in the app for safer online purchases.",
		typ:         lpm.Business, state: lpm.Analyzing, owner: "jonas.weber", themes: []int{thInstant, thMobile}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "customers who shop online", who: "worry about card details leaking from merchants",
			isA: "virtual card in the banking app", that: "creates a card number per merchant or per purchase in seconds",
			unlike: "re-issuing a plastic card after every breach", ours: "lets customers pause or delete a number without touching their physical card",
			outcomes:   list("Card re-issues after fraud −25 %", "Online card spend +8 %"),
			indicators: list("Virtual cards created per week", "Share of e-commerce spend on virtual cards"),
		},
	},

	// Ready.
	{
		title:       "Digital mortgage pre-approval",
		description: "Give a binding pre-approval for a mortgage in the app within a day, using account data and an open banking income check.",
		typ:         lpm.Business, state: lpm.Ready, owner: "sofia.marques", themes: []int{thMobile}, streams: []int{vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "first-time home buyers", who: "need to know quickly how much they can borrow",
			isA: "digital pre-approval journey", that: "gives a binding answer within 24 hours",
			unlike: "two branch appointments and two weeks of paperwork", ours: "uses the data we already hold and asks only for what is missing",
			outcomes:   list("Mortgage applications from existing customers +15 %"),
			indicators: list("Pre-approvals started and completed per week", "Time to decision"),
		},
		mvp: "Pre-approval for salaried existing customers in one region, with a manual underwriting fallback.",
	},
	{
		title:       "Strong customer authentication with passkeys",
		description: "Replace SMS one-time passwords with device-bound passkeys for login and payment approval.",
		typ:         lpm.Enabler, state: lpm.Ready, owner: architect, themes: []int{thCompliance, thMobile}, streams: []int{vsOnboarding, vsPayments},
		hyp: &hypothesis{
			forCustomers: "every online and mobile banking customer", who: "approve logins and payments many times a week",
			isA: "passkey-based authentication service", that: "meets strong customer authentication without SMS",
			unlike: "SMS codes, which are phishable and cost €0.06 each", ours: "is phishing-resistant and works across the app and the web",
			outcomes:   list("SMS costs −70 %", "Account takeover cases −50 %"),
			indicators: list("Share of logins with a passkey", "Authentication failures per 1,000 logins"),
			nfrs:       list("FIDO2 certified", "Fallback for customers without a compatible device"),
		},
		mvp: "Passkey login in the mobile app for customers on recent iOS and Android; SMS stays as fallback.",
	},
	{
		title:       "Real-time spending insights",
		description: "Categorise every card and account transaction as it happens and show budgets and trends in the app.",
		typ:         lpm.Business, state: lpm.Ready, owner: "mateo.garcia", themes: []int{thMobile}, streams: []int{vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "retail customers managing a monthly budget", who: "want to know where their money goes",
			isA: "insights feature in the mobile app", that: "categorises spending in real time and warns before a budget is exceeded",
			unlike: "monthly statements and third-party budgeting apps", ours: "works on live data without sharing credentials with anyone",
			outcomes:   list("Monthly active app users +10 %", "Overdraft fees complaints −20 %"),
			indicators: list("Budgets set per week", "Share of customers opening insights weekly"),
		},
		mvp: "Automatic categories and one monthly budget for card transactions, for 20,000 pilot customers.",
	},
	{
		title:       "Merchant QR code payments",
		description: "Small merchants accept instant account-to-account payments by QR code at the counter.",
		typ:         lpm.Business, state: lpm.Ready, owner: "priya.raman", themes: []int{thInstant}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "small merchants among our business customers", who: "pay 1.5–2 % on card acceptance",
			isA: "QR code acceptance on top of SEPA Instant", that: "settles a sale in seconds at a flat fee",
			unlike: "card terminals with monthly rent and percentage fees", ours: "needs only a printed QR code and the merchant's phone",
			outcomes:   list("2,000 merchants accepting QR payments in a year"),
			indicators: list("Merchants onboarded per week", "QR payments per merchant per day"),
		},
		mvp: "Static QR codes for 50 pilot merchants in one city, payable from our own app.",
	},

	// Implementing (MVP).
	{
		title:       "Video identification for account opening",
		description: "Verify new customers' identity by video call and eID so accounts can be opened fully online.",
		typ:         lpm.Business, state: lpm.ImplementingMVP, owner: "sofia.marques", themes: []int{thMobile}, streams: []int{vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "prospects who want to open an account", who: "today must visit a branch or use a postal ID check",
			isA: "remote identity verification step", that: "opens a verified account in under fifteen minutes",
			unlike: "postal ID checks that take five days and lose a third of applicants", ours: "offers eID first and a video call as fallback, in the same journey",
			outcomes:   list("Online account openings +40 %", "Onboarding cost per account −30 %"),
			indicators: list("Completion rate of the identification step", "Median time to a verified account"),
		},
		mvp: "eID and video identification for adult residents applying for a current account in the app.",
	},
	{
		title:       "Verification of payee (IBAN name check)",
		description: "Before a transfer is sent, check that the payee's name matches the IBAN holder, as the Instant Payments Regulation requires.",
		typ:         lpm.Business, state: lpm.ImplementingMVP, owner: "jonas.weber", themes: []int{thCompliance, thInstant}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "customers sending transfers", who: "can be tricked into paying a fraudster's IBAN",
			isA: "name check before every transfer", that: "warns the payer when name and IBAN do not match",
			unlike: "no check at all today", ours: "answers within a second and explains the result in plain words",
			outcomes:   list("Authorised push payment fraud −30 %", "IPR verification-of-payee deadline met"),
			indicators: list("Share of transfers with a match result", "Transfers cancelled after a mismatch warning"),
		},
		mvp: "Name check for outgoing SEPA Instant transfers in the app, against the EPC VOP scheme.",
	},
	{
		title:       "Chatbot for card servicing",
		description: "A conversational assistant in the app handles card blocking, PIN reminders and disputes without waiting for an agent.",
		typ:         lpm.Business, state: lpm.ImplementingMVP, owner: "elif.yilmaz", themes: []int{thMobile}, streams: []int{vsPayments, vsEveryday},
		hyp: &hypothesis{
			forCustomers: "cardholders with a servicing request", who: "wait on average 11 minutes on the phone",
			isA: "in-app conversational assistant", that: "resolves common card requests end to end",
			unlike: "the call centre and a static FAQ", ours: "acts on the card directly and hands over to an agent with full context",
			outcomes:   list("Card servicing calls −25 %"),
			indicators: list("Share of conversations resolved without an agent", "Customer satisfaction after a conversation"),
		},
		mvp: "Assistant for card blocking and replacement orders, in German and English.",
	},

	// Implementing (persevere).
	{
		title:       "Mobile app redesign on a shared design system",
		description: "Rebuild the app's main journeys on one design system shared with online banking.",
		typ:         lpm.Business, state: lpm.ImplementingPersevere, owner: "sofia.marques", themes: []int{thMobile}, streams: []int{vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "mobile banking customers", who: "find the app inconsistent and slow",
			isA: "redesign built on a shared design system", that: "makes every journey look and behave the same",
			unlike: "the current app grown over eight years by separate teams", ours: "lets teams ship new screens in days from shared, accessible components",
			outcomes:   list("App store rating from 3.9 to 4.5", "Time to build a new screen −40 %"),
			indicators: list("Rating of the new screens", "Components reused per release"),
		},
		mvp: "Redesigned home, accounts and transfer screens for 10 % of users.",
	},
	{
		title:       "Apple Pay and Google Pay for debit cards",
		description: "Let customers add their debit card to mobile wallets.",
		typ:         lpm.Business, state: lpm.ImplementingPersevere, owner: "jonas.weber", themes: []int{thInstant, thMobile}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "debit cardholders with a smartphone", who: "expect to pay with their phone",
			isA: "token provisioning to mobile wallets", that: "adds the card to a wallet from within our app",
			unlike: "competitors that already offer both wallets", ours: "provisions the card in two taps and keeps all card controls working",
			outcomes:   list("Debit card spend +6 %", "Card switching to neobanks −10 %"),
			indicators: list("Cards provisioned to wallets", "Wallet transactions per card per month"),
		},
		mvp: "Apple Pay for debit Mastercard customers.",
	},
	{
		title:       "Register of ICT third-party providers (DORA)",
		description: "Keep the DORA register of information on contracts with ICT third-party providers, fed from procurement.",
		typ:         lpm.Enabler, state: lpm.ImplementingPersevere, owner: architect, themes: []int{thCompliance}, streams: []int{vsPayments, vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "procurement, risk and compliance teams", who: "must file the register of information with the supervisor",
			isA: "register fed from the contract repository", that: "produces the supervisory templates on demand",
			unlike: "a yearly data call across departments", ours: "stays current because it is fed from the contracts themselves",
			outcomes:   list("Register filed on time without manual rework"),
			indicators: list("Share of ICT contracts with complete register data"),
		},
		mvp: "Register for the 40 critical ICT providers, exported in the supervisor's format.",
	},
	{
		title:       "In-app card controls",
		description: "Customers freeze their card, set limits and block regions or online use themselves, in real time.",
		typ:         lpm.Business, state: lpm.ImplementingPersevere, owner: "elif.yilmaz", themes: []int{thMobile}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "cardholders", who: "call us to change limits or block a lost card",
			isA: "set of self-service card controls", that: "take effect instantly",
			unlike: "phone requests processed within a day", ours: "lets customers undo a freeze when the card turns up",
			outcomes:   list("Card-related calls −30 %", "Permanent card blocks −20 %"),
			indicators: list("Temporary freezes per week", "Limit changes made in the app"),
		},
		mvp: "Temporary freeze and online-use toggle for debit cards.",
	},

	// Done.
	{
		title:       "Digital onboarding for students",
		description: "A student account that can be opened in the app with a university e-mail and enrolment proof.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.Completed, owner: "mateo.garcia", themes: []int{thMobile}, streams: []int{vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "university students", who: "open their first account when they move to study",
			isA: "student onboarding journey", that: "opens an account in ten minutes",
			unlike: "branch appointments during the busiest weeks of the year", ours: "verifies student status automatically",
			outcomes:   list("Student accounts opened +35 %"),
			indicators: list("Applications per week in September"),
		},
		mvp:    "Student account journey for three partner universities.",
		reason: "Outcomes reached; remaining features are in the Onboarding ART backlog.",
	},
	{
		title:       "Receiving SEPA Instant payments",
		description: "Receive SEPA Instant credit transfers around the clock, as the Instant Payments Regulation requires.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.Completed, owner: "priya.raman", themes: []int{thInstant, thCompliance}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "all account holders", who: "receive money from other banks",
			isA: "24/7 instant receiving capability", that: "credits incoming instant payments within seconds",
			unlike: "batch processing on banking days only", ours: "runs on the new payment hub with no batch window",
			outcomes:   list("IPR receiving deadline met"),
			indicators: list("Instant payments received per day", "Share credited within 10 seconds"),
		},
		mvp:    "Receiving on the payment hub for current accounts, with manual repair for exceptions.",
		reason: "IPR receiving obligation met; the hub is in the Payments ART's run budget.",
	},
	{
		title:       "Push notification platform",
		description: "One service to send transactional and marketing push notifications to the app, with consent handling.",
		typ:         lpm.Enabler, state: lpm.Done, done: lpm.Completed, owner: architect, themes: []int{thMobile}, streams: []int{vsOnboarding, vsPayments},
		hyp: &hypothesis{
			forCustomers: "product teams building app features", who: "each integrate their own notification tooling",
			isA: "shared notification service", that: "delivers notifications with consent, templates and analytics built in",
			unlike: "three vendor SDKs integrated separately", ours: "is one API with delivery receipts and per-customer preferences",
			outcomes:   list("Time to add a new notification from weeks to days"),
			indicators: list("Teams using the platform", "Delivery success rate"),
		},
		mvp:    "Transactional notifications for card payments through the new service.",
		reason: "All app teams migrated; the platform is now run by the Onboarding ART.",
	},
	{
		title:       "Robo-advisor for small savers",
		description: "Automated ETF portfolios from €25 a month, advised online.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.StoppedAfterMVP, owner: "mateo.garcia", themes: []int{thMobile}, streams: []int{vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "customers with savings but no investments", who: "find investing complicated",
			isA: "automated investment service", that: "builds and rebalances a portfolio from a short questionnaire",
			unlike: "advisor appointments with a minimum of €10,000", ours: "starts from €25 a month inside the banking app",
			outcomes:   list("10,000 investing customers in a year"),
			indicators: list("Questionnaires completed", "Funded portfolios per week"),
		},
		mvp:    "Three model portfolios for 5,000 invited customers.",
		reason: "MVP disproved the hypothesis: 1.2 % of invited customers funded a portfolio against 8 % expected.",
	},
	{
		title:       "Peer-to-peer payments by phone number",
		description: "Send money to a contact's phone number instead of an IBAN.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.StoppedAfterMVP, owner: "priya.raman", themes: []int{thInstant}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "customers splitting bills with friends", who: "do not know each other's IBAN",
			isA: "phone-number payment service", that: "sends money instantly to a contact",
			unlike: "asking for an IBAN or using a separate app", ours: "works from the contact list inside our app",
			outcomes:   list("Young customers' monthly active use +20 %"),
			indicators: list("Payments by phone number per week"),
		},
		mvp:    "Phone-number payments between our own customers.",
		reason: "MVP showed most payees bank elsewhere; the European wallet scheme will cover this use case.",
	},
	{
		title:       "Cashback marketplace with retail partners",
		description: "A marketplace of cashback offers from national retail chains, paid into the customer's account.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.Pivoted, owner: "elif.yilmaz", themes: []int{thMobile}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "card customers", who: "shop regularly at large retail chains",
			isA: "cashback marketplace in the app", that: "pays cashback automatically when the card is used",
			unlike: "loyalty cards per retailer", ours: "needs no extra card or app and pays out in money",
			outcomes:   list("Card spend at partner retailers +10 %", "€1 m fee income from partners"),
			indicators: list("Offers activated per week", "Cashback paid per active customer"),
		},
		mvp:    "Cashback offers from three national chains for 10,000 customers.",
		reason: "MVP inconclusive: customers used offers from local shops far more than from national chains; pivoting to local merchants.",
		pivot: &epicSpec{
			title: "Card-linked offers from local merchants",
			description: "Pivot of the cashback marketplace: offers from independent shops near the customer, " +
				"funded by merchants who accept our QR payments.",
		},
	},
	{
		title:       "Crypto asset custody for retail customers",
		description: "Let customers buy, hold and sell major crypto assets in the app.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.NoGo, owner: "jonas.weber", themes: []int{thMobile}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "customers who already hold crypto elsewhere", who: "want to see all their assets in one place",
			isA: "crypto custody and brokerage service", that: "lets customers trade crypto next to their accounts",
			unlike: "crypto exchanges outside the regulated banking perimeter", ours: "offers the protection of a bank under MiCA",
			outcomes:   list("Deposits retained from customers moving to exchanges"),
			indicators: list("Waiting-list sign-ups"),
		},
		reason: "No-go: MiCA licensing and custody costs exceed the expected return in the strategic horizon.",
	},
	{
		title:       "Branch appointment booking kiosks",
		description: "Touch-screen kiosks in branches to book an appointment with an advisor.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.NoGo, owner: "sofia.marques", themes: []int{thMobile}, streams: []int{vsEveryday},
		hyp: &hypothesis{
			forCustomers: "branch visitors", who: "queue to speak to an advisor",
			isA: "kiosk booking system", that: "gives each visitor a time slot",
			unlike: "queuing at the counter", ours: "shows waiting times and sends a reminder",
			outcomes:   list("Waiting time in branches −50 %"),
			indicators: list("Bookings made at kiosks"),
		},
		reason: "No-go: appointment booking in the app serves the same need at a tenth of the cost.",
	},
	{
		title:       "Smartwatch banking app",
		description: "Balances, card freeze and payment notifications on smartwatches.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.NotPursued, owner: "mateo.garcia", themes: []int{thMobile}, streams: []int{vsOnboarding},
		hyp: &hypothesis{
			forCustomers: "customers with a smartwatch", who: "glance at notifications on their wrist",
			isA: "companion watch app", that: "shows balances and lets customers freeze a card",
			unlike: "opening the phone app", ours: "is one glance away",
			outcomes:   list("Engagement of watch owners +5 %"),
			indicators: list("Watch app installs"),
		},
		reason: "Not pursued: 3 % of app users have a compatible watch; value too low to analyse further.",
	},
	{
		title:       "Advisor tablets for branch staff",
		description: "Give branch advisors tablets to serve customers away from the desk.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.Declined, themes: []int{thMobile}, streams: []int{vsEveryday},
		reason: "Declined at intake: hardware refresh belongs to the branch network's run budget, not a portfolio epic.",
	},
	{
		title:       "PIN letters replaced by in-app PIN view",
		description: "Stop mailing PIN letters; customers see their card PIN in the app after strong authentication.",
		typ:         lpm.Business, state: lpm.Done, done: lpm.Cancelled, owner: "elif.yilmaz", themes: []int{thMobile}, streams: []int{vsPayments},
		hyp: &hypothesis{
			forCustomers: "customers receiving a new card", who: "wait for a separate PIN letter",
			isA: "PIN view in the app", that: "shows the PIN securely when the card arrives",
			unlike: "PIN letters that arrive days after the card", ours: "is instant and saves postage",
			outcomes:   list("Postage cost −€400k a year"),
			indicators: list("PINs viewed in the app"),
		},
		mvp:    "PIN view for replacement debit cards.",
		reason: "Cancelled: the card processor's new platform includes PIN view, so the Cards ART will adopt it as a feature.",
	},
}
