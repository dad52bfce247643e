package drift

import (
	"fmt"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// Golden demotions (every route) and live ones (one route) live side by
// side: each in its own routing snapshot, both in List (golden first for
// a deployment), each lifted on its own, with the callbacks following.
func TestDemoterGoldenAndLive(t *testing.T) {
	var changes []string
	d := &Demoter{
		OnChange: func(dep string, c llm.Category, on bool) {
			changes = append(changes, fmt.Sprint("golden ", dep, " ", c, " ", on))
		},
		OnRouteChange: func(route, dep string, c llm.Category, on bool) {
			changes = append(changes, fmt.Sprint("live ", route, " ", dep, " ", c, " ", on))
		},
	}
	if g, _ := d.RouteRouting(); g != nil || d.Routing() != nil {
		t.Fatal("a new demoter demotes")
	}
	flagged := []store.DriftTest{{Metric: MetricRefusalRate, Scope: ScopeRun, P: 1e-6, Flagged: true}}
	d.Demote(&store.DriftRun{ID: "drift_1", Set: "starter", Deployment: "mini", Verdict: VerdictFlagged, Tests: flagged, Finished: time.Unix(10, 0)})
	p := Path{Route: "auto", Category: llm.CategoryChat, Deployment: "mini"}
	d.DemoteOnRoute(p, time.Unix(20, 0), "live reason", flagged)
	d.SetProbe(0.1)

	if r := d.Routing(); len(r) != 1 || r["mini"][AllCategories] == "" {
		t.Errorf("golden routing %v", r)
	}
	if r, probe := d.RouteRouting(); len(r) != 1 || r["auto"]["mini"][llm.CategoryChat] != "live reason" || probe != 0.1 {
		t.Errorf("route routing %v, probe %v", r, probe)
	}
	list := d.Of("mini")
	if len(list) != 2 || list[0].Source != SourceGolden || list[0].RunID != "drift_1" || list[1].Source != SourceLive || list[1].Route != "auto" {
		t.Errorf("demotions %+v", list)
	}
	// A clean golden run lifts the golden demotion only.
	lifted := d.Review(&store.DriftRun{Set: "starter", Deployment: "mini", Verdict: VerdictClean,
		Tests: []store.DriftTest{{Metric: MetricRefusalRate, Scope: ScopeRun, P: 0.5}}}, 0.05)
	if len(lifted) != 1 || lifted[0].Source != SourceGolden || d.Routing() != nil {
		t.Errorf("review lifted %+v; golden routing %v", lifted, d.Routing())
	}
	if r, _ := d.RouteRouting(); r == nil {
		t.Error("a golden review lifted the live demotion")
	}
	d.Retain(func(dm *Demotion) bool { return dm.Source != SourceLive })
	if r, probe := d.RouteRouting(); r != nil || probe != 0.1 || len(d.List()) != 0 {
		t.Errorf("after lifting the live demotion: %v %v %+v", r, probe, d.List())
	}
	want := fmt.Sprint([]string{"golden mini * true", "live auto mini chat true", "golden mini * false", "live auto mini chat false"})
	if got := fmt.Sprint(changes); got != want {
		t.Errorf("changes %s, want %s", got, want)
	}
}
