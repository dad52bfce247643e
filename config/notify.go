package config

import "fmt"

// Notify says where the router tells its operators what they should know
// without asking: budget alerts as they happen, and the report on a
// schedule (docs/report.md#the-scheduled-report).
type Notify struct {
	// Webhook, when its URL is set, receives each budget alert and each
	// scheduled report as a JSON POST. Its URL and headers are secrets.
	Webhook DriftWebhook
	// Report is when the report is sent: ReportOff (the default),
	// ReportDaily or ReportWeekly.
	Report string
}

// The schedules of Notify.Report.
const (
	ReportOff    = "off"
	ReportDaily  = "daily"  // each UTC day, for the day before
	ReportWeekly = "weekly" // each Monday 00:00 UTC, for the week before
)

func (d *decoder) notify(e entry, n *Notify) {
	d.object(e.node, e.path, []field{
		{"webhook", func(e entry) {
			d.object(e.node, e.path, []field{
				{"url", func(e entry) { d.secretStr(e, "", &n.Webhook.URL) }},
				{"headers", func(e entry) { n.Webhook.Headers = d.secretMap(e) }},
			})
		}},
		{"report", func(e entry) { d.str(e, &n.Report) }},
	})
}

func (v *validator) notify() {
	n := &v.c.Notify
	switch n.Report {
	case "", ReportOff, ReportDaily, ReportWeekly:
	default:
		v.add("notify.report", fmt.Sprintf("unknown schedule %q", n.Report), choices(n.Report, "schedules", []string{ReportOff, ReportDaily, ReportWeekly}))
	}
	if n.Webhook.URL != "" {
		v.webhookURL("notify.webhook.url", n.Webhook.URL)
		v.headers("notify.webhook.headers", n.Webhook.Headers)
		return
	}
	if len(n.Webhook.Headers) > 0 {
		v.add("notify.webhook.url", "is required when webhook headers are set", "the URL alerts and reports are posted to")
	}
	if n.Report == ReportDaily || n.Report == ReportWeekly {
		v.add("notify.report", "a scheduled report needs notify.webhook.url", "the URL the report is posted to, or report: off")
	}
}

// ReportScheduled reports whether the report is sent on a schedule.
func (n *Notify) ReportScheduled() bool { return n.Report == ReportDaily || n.Report == ReportWeekly }
