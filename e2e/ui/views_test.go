package ui

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
)

// budgetsYAML are the budgets of TestBudgetsAndDriftViews: a fixed
// tenant budget in USD and one token budget per client key.
const budgetsYAML = `budgets:
  - {name: acme-daily, scope: tenant, match: acme, period: daily, limit_usd: 5}
  - {name: per-key-tokens, scope: key, match: "*", period: monthly, limit_tokens: 1000000}
`

// TestBudgetsAndDriftViews opens the Budgets and Drift views in Chromium
// against a router that served requests under budgets and whose store
// holds golden runs made on the simulated providers (one of them
// flagged), and checks that the figures the pages show are the API's;
// that a run whose set and prompt hold HTML shows them as text; and that
// a viewer key opens both views.
func TestBudgetsAndDriftViews(t *testing.T) {
	b := newBrowser(t)
	g := startRouterWith(t, false, budgetsYAML)
	var ids []string
	for i := range 3 {
		id, status := g.chat(t, "auto", fmt.Sprintf("What is the capital of country number %d?", i))
		if status != 200 {
			t.Fatalf("chat: %d", status)
		}
		ids = append(ids, id)
	}
	g.waitLogged(t, adminKey, ids...)
	budgets := g.settledBudgets(t)
	g.driftRuns(t)
	tab := b.tab(t)
	tab.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	tab.signIn(t, adminKey)
	tab.run(t, "signed in", waitVisible(`nav a[href="#/budgets"]`), waitVisible(`nav a[href="#/drift"]`))
	checkBudgetsView(t, tab, budgets)
	checkDriftViews(t, g, tab)

	viewer := b.tab(t)
	viewer.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	viewer.signIn(t, viewerKey)
	viewer.run(t, "signed in as a viewer", waitVisible(`nav a[href="#/budgets"]`), waitVisible(`nav a[href="#/drift"]`))
	viewer.show(t, "#/budgets", "budgets")
	viewer.show(t, "#/drift", "drift")
	for _, p := range []*page{tab, viewer} {
		if errs := p.errors(); len(errs) > 0 {
			t.Errorf("the pages threw or logged errors: %v", errs)
		}
	}
}

// settledBudgets polls GET /admin/budgets until the acme budget holds
// nothing in flight (requests settle as they are recorded), and returns
// it.
func (g *rig) settledBudgets(t *testing.T) admin.BudgetList {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var list admin.BudgetList
		g.getAs(t, adminKey, "/admin/budgets", &list)
		if len(list.Data) != 2 {
			t.Fatalf("budgets: %+v", list.Data)
		}
		in := list.Data[0].Instances
		if len(in) == 1 && in[0].Spent > 0 && in[0].Reserved == 0 && len(list.Data[1].Instances) == 1 {
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("the budgets never settled: %+v", list.Data)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkBudgetsView: each budget's panel shows its instances with the
// API's spent, remaining and share used.
func checkBudgetsView(t *testing.T, b *page, list admin.BudgetList) {
	t.Helper()
	b.show(t, "#/budgets", "budgets")
	for _, bv := range list.Data {
		sel := fmt.Sprintf(`section[data-budget-panel=%q]`, bv.Name)
		if n := b.count(t, sel+" tbody tr"); n != len(bv.Instances) {
			t.Errorf("%s: %d rows, want %d", bv.Name, n, len(bv.Instances))
		}
		in := bv.Instances[0]
		if got := b.text(t, sel+" [data-field=instance]"); got != in.Instance {
			t.Errorf("%s: instance %q, want %q", bv.Name, got, in.Instance)
		}
		for field, want := range map[string]float64{"spent": in.Spent, "remaining": in.Remaining} {
			got := b.text(t, sel+" [data-field="+field+"]")
			if bv.Unit == "usd" && got != usd(want) || bv.Unit == "tokens" && digits(got) != fmt.Sprint(int64(want)) {
				t.Errorf("%s: %s shows %q, the API says %v %s", bv.Name, field, got, want, bv.Unit)
			}
		}
		if got, want := b.text(t, sel+" [data-field=share]"), fmt.Sprintf("%.1f%%", 100*in.ShareUsed); got != want {
			t.Errorf("%s: share %q, want %q", bv.Name, got, want)
		}
		if n := b.count(t, sel+" meter"); n != len(bv.Instances) {
			t.Errorf("%s: %d bars", bv.Name, n)
		}
	}
	if got := b.text(t, `section[data-budget-panel="acme-daily"] [data-field=limit]`); got != "$5.00 per UTC day" {
		t.Errorf("acme-daily's limit: %q", got)
	}
	b.screenshot(t, "budgets")
}

// checkDriftViews: the runs list shows every run with the API's pass
// rate and verdict; the flagged run's page lists the API's flagged
// tests, word for word; the hostile run's set and prompt are text.
func checkDriftViews(t *testing.T, g *rig, b *page) {
	t.Helper()
	var list admin.DriftRunList
	g.getAs(t, adminKey, "/admin/drift/runs", &list)
	if len(list.Data) != 3 {
		t.Fatalf("%d runs stored, want 3", len(list.Data))
	}
	b.show(t, "#/drift", "drift")
	var flagged string
	for _, r := range list.Data {
		row := fmt.Sprintf(`tr:has(a[data-run=%q])`, r.ID)
		if got, want := b.text(t, row+" [data-field=pass_rate]"), fmt.Sprintf("%.1f%%", 100*r.PassRate); got != want {
			t.Errorf("run %s: pass rate %q, the API says %q", r.ID, got, want)
		}
		if got := b.text(t, row+" [data-field=verdict] .badge"); got != r.Verdict {
			t.Errorf("run %s: verdict %q, the API says %q", r.ID, got, r.Verdict)
		}
		if r.Verdict == "flagged" {
			flagged = r.ID
		}
	}
	if got := eval[string](t, b, `document.querySelector('main').textContent`); !strings.Contains(got, xssSet) {
		t.Error("the hostile run's set is not shown as text")
	}
	var health struct {
		Deployments []struct {
			QualityDemotions []any `json:"quality_demotions"`
		} `json:"deployments"`
	}
	g.getAs(t, adminKey, "/admin/health", &health)
	demoted := 0
	for _, d := range health.Deployments {
		demoted += len(d.QualityDemotions)
	}
	if n := b.count(t, "main [data-field=demoted]"); n != demoted {
		t.Errorf("%d quality demotions shown, /admin/health has %d", n, demoted)
	}
	if flagged == "" {
		t.Fatalf("the drifted run was not flagged: %+v", list.Data)
	}
	var run admin.DriftRunView
	g.getAs(t, adminKey, "/admin/drift/runs/"+flagged, &run)
	b.show(t, "#/drift/runs/"+flagged, "drift/runs/:id")
	var want []string
	for _, ts := range run.Tests {
		if ts.Flagged {
			want = append(want, ts.Description)
		}
	}
	got := eval[[]string](t, b, `[...document.querySelectorAll('li[data-flagged]')].map((e) => e.textContent)`)
	if len(want) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("flagged tests shown:\n%s\nthe API's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := b.count(t, "main [data-field=q]"); n != len(run.Tests) {
		t.Errorf("%d tests shown, the run has %d", n, len(run.Tests))
	}
	if n := b.count(t, "main [data-field=prompt]"); n != len(run.Results) {
		t.Errorf("%d prompts shown, the run has %d", n, len(run.Results))
	}
	b.show(t, "#/drift/runs/drift_hostile", "drift/runs/:id")
	if got := b.text(t, "main [data-field=prompt]"); got != xssPromptID {
		t.Errorf("the hostile prompt shows as %q", got)
	}
	noScriptRan(t, b)
	b.screenshot(t, "drift-run")
}

// usd is how the Budgets view writes dollars (below $1,000, which the
// locale would group): to the micro-dollar, at least to the cent.
func usd(v float64) string {
	s := strings.TrimRight(strconv.FormatFloat(v, 'f', 6, 64), "0")
	if i := strings.IndexByte(s, '.'); len(s)-i-1 < 2 {
		s += strings.Repeat("0", 2-(len(s)-i-1))
	}
	return "$" + s
}

// digits keeps the digits of s (a token count, grouped by the locale).
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
