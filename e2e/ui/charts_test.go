package ui

import (
	"fmt"
	"strconv"
	"testing"

	"switchyard/admin"
)

// adminReadsCharts: the overview's charts draw, for every deployment and
// 15-minute bucket of the last 24 hours, the requests, cost and median
// latency GET /admin/stats answers: one point per group the API lists,
// each with the API's value.
func adminReadsCharts(t *testing.T, g *rig, b *page) {
	var stats admin.StatsList
	g.getAs(t, adminKey, "/admin/stats?since=24h&by=deployment,time&interval=15m", &stats)
	if len(stats.Data) == 0 {
		t.Fatal("no traffic over time to chart")
	}
	b.show(t, "#/requests", "requests")
	b.show(t, "#/overview?since=24h&by=deployment", "overview")
	b.screenshot(t, "overview-charts")
	for chart, value := range map[string]func(admin.StatsGroup) float64{
		"Requests":    func(s admin.StatsGroup) float64 { return float64(s.Count) },
		"Cost":        func(s admin.StatsGroup) float64 { return s.CostUSD },
		"Latency p50": func(s admin.StatsGroup) float64 { return s.LatencyMs.P50 },
	} {
		if n := b.count(t, fmt.Sprintf(`svg[data-chart=%q] circle`, chart)); n != len(stats.Data) {
			t.Errorf("%s: %d points; the API lists %d groups", chart, n, len(stats.Data))
		}
		for _, s := range stats.Data {
			sel := fmt.Sprintf(`svg[data-chart=%q] g[data-series=%q] circle[data-time=%q]`, chart, s.Group["deployment"], s.Group["time"])
			got := eval[string](t, b, fmt.Sprintf(`(document.querySelector(%q) || {getAttribute: () => "missing"}).getAttribute("data-value")`, sel))
			if v, err := strconv.ParseFloat(got, 64); err != nil || v != value(s) {
				t.Errorf("%s of %s at %s: the chart says %s; the API says %v", chart, s.Group["deployment"], s.Group["time"], got, value(s))
			}
		}
	}
}
