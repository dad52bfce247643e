package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"switchyard/admin"
)

// adminReadsSavings: the weekly report's savings card of route pair, and
// the total's, show the figures GET /admin/report answers, as the
// dashboard formats them.
func adminReadsSavings(t *testing.T, g *rig, b *page) {
	// A request pinned to a deployment goes through no route: it is
	// counted apart, not shown as a route of its own.
	pinned, status := g.chat(t, "gpt-4o-mini", "What is the capital of Spain?")
	if status != 200 {
		t.Fatalf("a pinned request: %d", status)
	}
	g.waitLogged(t, adminKey, pinned)
	rep := g.report(t, "min_outcomes=3")
	sv := rep.Savings
	if sv == nil {
		t.Fatal("the router's report has no savings")
	}
	var pair *admin.RouteSavingsView
	for i := range sv.Routes {
		if sv.Routes[i].Route == "pair" {
			pair = &sv.Routes[i]
		}
	}
	if pair == nil || pair.Reference == nil || pair.ReferenceUSD == nil || pair.Quality == nil || pair.Counted == 0 {
		t.Fatalf("route pair's savings: %+v", pair)
	}
	// Away and back, so the view is drawn anew from the API.
	b.show(t, "#/overview", "overview")
	b.show(t, "#/report?min_outcomes=3&since=7d", "report")
	card := `[data-savings-route="pair"] `
	for sel, want := range map[string]string{
		card + `[data-field="reference-deployment"]`:    *pair.Reference,
		card + `[data-field="actual"]`:                  fmtUSD(pair.ActualUSD),
		card + `[data-field="reference"]`:               fmtUSD(*pair.ReferenceUSD),
		card + `[data-field="saved"]`:                   fmtUSD(*pair.SavedUSD),
		card + `[data-field="counted"]`:                 fmt.Sprintf("%d of %d", pair.Counted, pair.Requests),
		card + `[data-field="verdict-text"]`:            pair.Quality.Text,
		`[data-savings-total] [data-field="actual"]`:    fmtUSD(sv.Total.ActualUSD),
		`[data-savings-total] [data-field="reference"]`: fmtUSD(*sv.Total.ReferenceUSD),
		`[data-savings-total] [data-field="saved"]`:     fmtUSD(*sv.Total.SavedUSD),
	} {
		if got := b.text(t, sel); got != want {
			t.Errorf("%s shows %q; the API says %q", sel, got, want)
		}
	}
	if pair.SavedPercent != nil {
		if got, want := b.text(t, card+`[data-field="saved-percent"]`), strconv.FormatFloat(*pair.SavedPercent, 'f', 1, 64)+"%"; got != want {
			t.Errorf("saved percent shows %q; the API says %q", got, want)
		}
	}
	if sv.NoRoute == 0 {
		t.Error("the report counts no request without a route")
	} else if got := b.text(t, `[data-field="no-route"]`); !strings.HasPrefix(got, strconv.FormatInt(sv.NoRoute, 10)+" requests went through no route") {
		t.Errorf("the requests without a route: %q (the API says %d)", got, sv.NoRoute)
	}
	if n := b.count(t, `[data-savings-route=""]`); n != 0 {
		t.Error("the requests without a route are shown as a route")
	}
	if why := b.text(t, card+"dl.kv"); !strings.Contains(why, pair.ReferenceWhy) {
		t.Errorf("the card lacks why %s is the reference (%q):\n%s", *pair.Reference, pair.ReferenceWhy, why)
	}
	b.screenshot(t, "report-savings")
}

// report reads GET /admin/report?query as the admin.
func (g *rig) report(t *testing.T, query string) admin.ReportView {
	t.Helper()
	var rep admin.ReportView
	g.getAs(t, adminKey, "/admin/report?"+query, &rep)
	return rep
}

// fmtUSD is the dashboard's fmtUSD (dom.js): six decimals below $1, two
// with thousands separators from $1, the sign before the $.
func fmtUSD(v float64) string {
	if v == 0 {
		return "$0"
	}
	sign, a := "", math.Abs(v)
	if v < 0 {
		sign = "-"
	}
	if a < 1e-6 {
		return sign + "$" + strconv.FormatFloat(a, 'f', min(20, 1-int(math.Floor(math.Log10(a)))), 64)
	}
	if a < 1 {
		return sign + "$" + strconv.FormatFloat(a, 'f', 6, 64)
	}
	s := strconv.FormatFloat(a, 'f', 2, 64)
	whole, cents, _ := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return sign + "$" + whole + "." + cents
}
