package demo

// ShowcaseYAML is what serve --demo adds to YAML's configuration so that
// each view of the dashboard has something to show: two budgets on route
// auto (a hard daily one in USD, alerting at 80%, and a monthly one in
// tokens), and the drift monitor running the starter golden set
// (drift.Starter, which TeachGolden teaches the simulators) at start and
// every 30 minutes against three deployments, under a $1 daily cap. The
// limits are far above what a person trying the demo spends (serve --demo
// --traffic 2, by an estimate of $0.0004 a request at 0.9 a second,
// would spend about $35 a day on route auto); a heavy load run
// against the demo (switchyard load) may reach the daily budget, which
// then answers 429 budget_exceeded until midnight UTC, as a real one
// would.
const ShowcaseYAML = `budgets:
  - {name: auto-daily, scope: route, match: auto, period: daily, limit_usd: 100, alert_at: 0.8}
  - {name: auto-monthly-tokens, scope: route, match: auto, period: monthly, limit_tokens: 100000000}
drift:
  daily_cap_usd: 1
  sets:
    - {name: starter, interval: 30m, jitter: 5s, prompts: 20, deployments: [gpt-4o-mini, claude-haiku-4-5, gemini-2.5-flash]}
`
