package config

import (
	"strings"
	"testing"
)

func TestNotify(t *testing.T) {
	c := mustParse(t, []byte(driftBase+`notify:
  webhook: {url: "https://hooks.example.com/x?token=${HOOK_TOKEN}", headers: {Authorization: Bearer tok}}
  report: weekly
`), env(map[string]string{"HOOK_TOKEN": "t0k"}))
	n := c.Notify
	if n.Webhook.URL != "https://hooks.example.com/x?token=t0k" || n.Webhook.Headers["Authorization"] != "Bearer tok" || n.Report != ReportWeekly || !n.ReportScheduled() {
		t.Errorf("notify %+v", n)
	}
	if c := mustParse(t, []byte(driftBase), nil); c.Notify.ReportScheduled() || c.Notify.Webhook.URL != "" {
		t.Errorf("default notify %+v", c.Notify)
	}
}

func TestNotifyMistakes(t *testing.T) {
	for _, tt := range []struct{ name, yaml, path, problem string }{
		{"schedule", "notify: {report: monthly, webhook: {url: \"https://h.example.com/secret-path\"}}\n", "notify.report", `unknown schedule "monthly"`},
		{"report without webhook", "notify: {report: daily}\n", "notify.report", "needs notify.webhook.url"},
		{"scheme", "notify: {webhook: {url: \"ftp://h.example.com/secret-path\"}}\n", "notify.webhook.url", "is not an absolute http(s) URL"},
		{"headers only", "notify: {webhook: {headers: {X: y}}}\n", "notify.webhook.url", "is required when webhook headers are set"},
		{"unknown field", "notify: {every: 1h}\n", "notify", `unknown field "every"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(driftBase+tt.yaml), nil)
			findError(t, err, tt.path, tt.problem)
			if err != nil && strings.Contains(err.Error(), "secret-path") {
				t.Errorf("the webhook URL shows in %v", err)
			}
		})
	}
}
