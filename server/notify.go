package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/admin"
	"switchyard/budget"
	"switchyard/config"
	"switchyard/internal/webhook"
	"switchyard/learn"
	"switchyard/state"
	"switchyard/store"
)

// This file tells the operators what they should know without asking
// (config notify:): each budget alert, and the report on a schedule,
// posted as JSON to notify.webhook, off every request's path.

// alertQueue bounds the budget alerts waiting for the webhook; past it an
// alert is dropped (and logged: the log line of the alert itself stays).
const alertQueue = 256

// notifier posts budget alerts and scheduled reports to the webhook.
type notifier struct {
	sender   *webhook.Sender
	schedule string
	// reports is the request log the report reads; nil: no report.
	reports store.FeedbackLog
	// marks keeps the end of the last period whose report was posted
	// (reportMark), so that a start catches up on one missed while no
	// router ran; nil when the request log keeps no snapshots.
	marks store.Snapshots
	// once dedupes a period's report across routers sharing the state.
	once    state.Backend
	savings func() *learn.SavingsPolicy
	// refusalWeight is learn.signals.refusal (the report's refusals).
	refusalWeight *float64
	log           *slog.Logger
	now           func() time.Time
	alerts        chan budget.Alert
	sent          *prometheus.CounterVec
}

// newNotifier returns the notifier of cfg's notify section, or nil when
// it has no webhook. A scheduled report without a request log is
// refused here in words (the report reads it).
func newNotifier(cfg *config.Config, reports store.FeedbackLog, once state.Backend, log *slog.Logger, reg prometheus.Registerer) *notifier {
	n := &cfg.Notify
	if n.Webhook.URL == "" {
		return nil
	}
	out := &notifier{sender: &webhook.Sender{URL: n.Webhook.URL, Headers: n.Webhook.Headers, Name: "notify webhook"},
		once: once, log: log, now: time.Now, alerts: make(chan budget.Alert, alertQueue),
		refusalWeight: new(cfg.Learn.Signals[config.SignalRefusal]),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchyard_notify_deliveries_total",
			Help: "Posts to notify.webhook, by kind (budget_alert, report) and outcome (ok, failed, dropped)."}, []string{"kind", "outcome"})}
	if n.ReportScheduled() {
		if reports == nil {
			log.Warn("notify.report is set but the router keeps no request log (store): no report will be sent")
		} else {
			out.schedule, out.reports = n.Report, reports
			out.marks, _ = reports.(store.Snapshots)
		}
	}
	if reg != nil {
		reg.MustRegister(out.sent)
	}
	return out
}

// budgetAlert queues a for the webhook; it never blocks (the budgets call
// it on a request's path). A nil notifier does nothing.
func (n *notifier) budgetAlert(a budget.Alert) {
	if n == nil {
		return
	}
	select {
	case n.alerts <- a:
	default:
		n.sent.WithLabelValues("budget_alert", "dropped").Inc()
		n.log.Warn("notify: the webhook's queue is full; a budget alert was not posted", "budget", a.Budget, "level", a.Level)
	}
}

// run posts the queued alerts and, on schedule, the reports until ctx
// ends; then it posts what is still queued, for at most five seconds.
func (n *notifier) run(ctx context.Context) {
	var (
		timer *time.Timer
		tick  <-chan time.Time // nil without a schedule: never ready
		until time.Time
	)
	if n.schedule != "" {
		until = nextReport(n.schedule, n.now())
		timer = time.NewTimer(until.Sub(n.now()))
		defer timer.Stop()
		tick = timer.C
		n.catchUp(ctx)
	}
	for {
		select {
		case <-ctx.Done():
			n.drain()
			return
		case a := <-n.alerts:
			n.post(ctx, "budget_alert", alertPayload(&a))
		case <-tick:
			n.report(ctx, previousReport(n.schedule, until), until)
			until = nextReport(n.schedule, n.now())
			timer.Reset(until.Sub(n.now()))
		}
	}
}

// drain posts the alerts still queued, giving up after five seconds.
func (n *notifier) drain() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		select {
		case a := <-n.alerts:
			n.post(ctx, "budget_alert", alertPayload(&a))
		default:
			return
		}
	}
}

// post sends payload, counting and logging the outcome (never the URL);
// it reports whether the webhook took it.
func (n *notifier) post(ctx context.Context, kind string, payload any) bool {
	if err := n.sender.Send(ctx, payload); err != nil {
		n.sent.WithLabelValues(kind, "failed").Inc()
		n.log.Warn("notify: posting to the webhook failed", "kind", kind, "err", err)
		return false
	}
	n.sent.WithLabelValues(kind, "ok").Inc()
	return true
}

// report posts the report of [since, until), once across the routers
// sharing the state back end.
func (n *notifier) report(ctx context.Context, since, until time.Time) {
	if first, err := n.once.Add(ctx, "notify:report:"+strconv.FormatInt(until.Unix(), 10), 1, 8*24*time.Hour); err == nil && first > 1 {
		return // another router sent it
	}
	var policy *learn.SavingsPolicy
	if n.savings != nil {
		policy = n.savings()
	}
	rep, err := learn.BuildReport(ctx, n.reports, store.AllTenants(), learn.ReportQuery{Since: since, Until: until, Policy: policy, RefusalWeight: n.refusalWeight})
	if err != nil {
		n.sent.WithLabelValues("report", "failed").Inc()
		n.log.Warn("notify: the scheduled report could not be built", "err", err)
		return
	}
	if n.post(ctx, "report", reportPayload(n.schedule, since, until, admin.ReportOf(rep))) {
		n.mark(ctx, until)
	}
}

// reportMark is the snapshot holding, as its time, the end of the last
// period whose report was posted.
const reportMark = "notify:report:last"

// catchUp posts the report of the last period ended if it is owed: the
// store says the last report posted ended before it (the routers were
// down when it was due, or its post failed). Only that period's: a
// report of every week missed would say the same thing several times. A
// store that has no mark yet (a first start) owes nothing: the mark is
// set to the last period's end, from which reports are owed.
func (n *notifier) catchUp(ctx context.Context) {
	if n.marks == nil {
		return
	}
	due := previousReport(n.schedule, nextReport(n.schedule, n.now()))
	_, last, err := n.marks.LoadSnapshot(ctx, reportMark)
	switch {
	case errors.Is(err, store.ErrNotFound):
		n.mark(ctx, due)
	case err != nil:
		n.log.Warn("notify: the last report posted could not be read; none is caught up", "err", err)
	case last.Before(due):
		n.log.Info("notify: posting the report missed while no router ran", "period_end", due)
		n.report(ctx, previousReport(n.schedule, due), due)
	}
}

// mark saves until as the end of the last period reported.
func (n *notifier) mark(ctx context.Context, until time.Time) {
	if n.marks == nil {
		return
	}
	if err := n.marks.SaveSnapshot(ctx, reportMark, until, []byte(until.UTC().Format(time.RFC3339))); err != nil {
		n.log.Warn("notify: the report's period could not be saved; a restart may post it again", "err", err)
	}
}

// ReportNotice is what notify.webhook receives on schedule.
type ReportNotice struct {
	Type     string `json:"type"` // "report"
	Schedule string `json:"schedule"`
	// Since and Until are the period reported; Text says it in a line.
	Since  time.Time        `json:"since"`
	Until  time.Time        `json:"until"`
	Text   string           `json:"text"`
	Report admin.ReportView `json:"report"`
}

func reportPayload(schedule string, since, until time.Time, v admin.ReportView) ReportNotice {
	var b strings.Builder
	fmt.Fprintf(&b, "Switchyard %s report, %s to %s: %d recommendation(s)", schedule,
		since.Format(time.DateOnly), until.Format(time.DateOnly), len(v.Recommendations))
	if s := v.Savings; s != nil && s.Total.SavedUSD != nil {
		fmt.Fprintf(&b, "; routing saved $%.2f", *s.Total.SavedUSD)
		if s.Total.SavedPercent != nil {
			fmt.Fprintf(&b, " (%.1f%%)", *s.Total.SavedPercent)
		}
		fmt.Fprintf(&b, " against each route's reference, on %d request(s) (an estimate)", s.Total.Counted)
	}
	return ReportNotice{Type: "report", Schedule: schedule, Since: since, Until: until, Text: b.String(), Report: v}
}

// BudgetNotice is what notify.webhook receives for a budget alert.
type BudgetNotice struct {
	Type   string `json:"type"` // "budget_alert"
	Budget string `json:"budget"`
	Scope  string `json:"scope"`
	// Instance is the tenant, the key (tenant/name) or the route.
	Instance string `json:"instance"`
	// Level is "threshold" (alert_at reached) or "exhausted".
	Level string `json:"level"`
	// Unit is "usd" or "tokens"; Used (held requests included) and Limit
	// are in it.
	Unit   string    `json:"unit"`
	Used   float64   `json:"used"`
	Limit  float64   `json:"limit"`
	Resets time.Time `json:"resets"`
	Text   string    `json:"text"`
}

func alertPayload(a *budget.Alert) BudgetNotice {
	used, limit := float64(a.Used), float64(a.Limit)
	amount := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + " tokens" }
	if a.Unit == budget.USD {
		used, limit = used/1e6, limit/1e6
		amount = func(v float64) string { return "$" + strconv.FormatFloat(v, 'f', -1, 64) }
	}
	text := fmt.Sprintf("Budget %s (%s %s) %s: %s used of %s; resets %s", a.Budget, a.Scope, a.Match, a.Level,
		amount(used), amount(limit), a.Resets.UTC().Format(time.RFC3339))
	return BudgetNotice{Type: "budget_alert", Budget: a.Budget, Scope: a.Scope, Instance: a.Match, Level: a.Level,
		Unit: string(a.Unit), Used: used, Limit: limit, Resets: a.Resets.UTC(), Text: text}
}

// nextReport is the first report time of schedule after t: the next UTC
// midnight (daily) or Monday 00:00 UTC (weekly).
func nextReport(schedule string, t time.Time) time.Time {
	next := t.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	for schedule == config.ReportWeekly && next.Weekday() != time.Monday {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// previousReport is the start of the period a report sent at until
// covers: a day or a week before.
func previousReport(schedule string, until time.Time) time.Time {
	if schedule == config.ReportWeekly {
		return until.AddDate(0, 0, -7)
	}
	return until.AddDate(0, 0, -1)
}
