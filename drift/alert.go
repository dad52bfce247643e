package drift

import (
	"context"
	"log/slog"
	"time"

	"switchyard/internal/webhook"
	"switchyard/llm"
	"switchyard/store"
)

// The sources of an alert.
const (
	SourceGolden = "golden" // a golden set run
	SourceLive   = "live"   // the live traffic monitor
)

// Alert is a significant change, with its evidence: what the webhook
// receives as JSON.
type Alert struct {
	// Source is SourceGolden or SourceLive.
	Source string    `json:"source"`
	Time   time.Time `json:"time"`
	// Deployment changed; Set and RunID name the golden run, Route and
	// Category the live routing path.
	Deployment string       `json:"deployment"`
	Set        string       `json:"set,omitempty"`
	RunID      string       `json:"run_id,omitempty"`
	Route      string       `json:"route,omitempty"`
	Category   llm.Category `json:"category,omitempty"`
	// Demoted are the categories the deployment was demoted for (empty
	// when the action is alert).
	Demoted []llm.Category `json:"demoted,omitempty"`
	// Summary says it in one line; Tests are the flagged tests.
	Summary string            `json:"summary"`
	Tests   []store.DriftTest `json:"tests"`
}

// Alerter raises alerts: a log line, a metric and, when Webhook is set, a
// POST of the alert as JSON.
type Alerter struct {
	Log     *slog.Logger
	Metrics *Metrics
	Webhook *Webhook
}

// Raise logs and counts a, then delivers it to the webhook (retrying;
// this may take a while, so call it off the request path).
func (a *Alerter) Raise(ctx context.Context, al *Alert) {
	if a == nil {
		return
	}
	log := a.Log
	if log == nil {
		log = slog.Default()
	}
	log.Warn("drift detected", "source", al.Source, "deployment", al.Deployment, "set", al.Set, "run_id", al.RunID,
		"route", al.Route, "category", al.Category, "demoted", al.Demoted, "summary", al.Summary)
	a.Metrics.alert(al.Source, al.Deployment)
	if a.Webhook == nil {
		return
	}
	err := a.Webhook.Send(ctx, al)
	a.Metrics.webhookOutcome(err == nil)
	if err != nil {
		log.Warn("drift alert webhook failed", "deployment", al.Deployment, "err", err)
	}
}

// Webhook delivers alerts by HTTP POST, retried with exponential backoff
// (Name "drift webhook" names its errors).
type Webhook = webhook.Sender
