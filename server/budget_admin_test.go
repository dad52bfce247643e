package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/state"
)

// GET /admin/budgets on either of two routers sharing Redis shows what
// both spent: the listing reads the shared state, not the process's own
// counts. A viewer key scoped to acme sees acme's budget, not the route
// budget every tenant's requests count in.
func TestBudgetsListedAcrossTwoRoutersInRedis(t *testing.T) {
	addr := testRedis(t)
	prefix := "switchyard-test:" + state.NewID() + ":"
	t.Cleanup(func() { dropKeys(t, addr, prefix) })
	up := costedUpstream(t)
	st := config.State{Driver: config.StateRedis, Addr: addr, Prefix: prefix}
	withViewers := func() *config.Config {
		cfg := budgetConfig(t, up.URL, st)
		cfg.Auth.AdminKeys = []config.AdminKey{{Key: "ak-ops-0123456789", Name: "ops", Role: config.RoleViewer},
			{Key: "ak-acme-0123456789", Name: "acme-ops", Role: config.RoleViewer, Tenant: "acme"}}
		return cfg
	}
	r1, r2 := budgetRouter(t, withViewers()), budgetRouter(t, withViewers())
	for i, r := range []*Router{r1, r1, r1, r2, r2} {
		if w := ask(r, i%2 == 0); w.Code != http.StatusOK {
			t.Fatalf("chat %d: %d %s", i, w.Code, w.Body)
		}
	}
	if w := do(r2, "POST", "/v1/embeddings", `{"model":"embed","input":"rivers"}`, acmeHeaders); w.Code != http.StatusOK {
		t.Fatalf("embeddings: %d %s", w.Code, w.Body)
	}
	r1.Gateway.Budgets().Wait() // on Redis, requests settle off their path
	r2.Gateway.Budgets().Wait()
	for i, r := range []*Router{r1, r2} {
		list := listBudgets(t, r, "ak-ops-0123456789")
		if len(list.Data) != 2 || list.Data[0].Name != "acme-daily" || list.Data[1].Name != "embed-tokens" {
			t.Fatalf("router %d lists %+v", i+1, list.Data)
		}
		acme, embed := list.Data[0].Instances, list.Data[1].Instances
		if len(acme) != 1 || acme[0].Instance != "acme" || acme[0].Spent != 0.005005 || acme[0].Reserved != 0 || acme[0].Remaining != 0.010495 {
			t.Errorf("router %d: acme-daily %+v, want $0.005005 spent by both routers (five chats and the embedding)", i+1, acme)
		}
		if len(embed) != 1 || embed[0].Instance != "embed" || embed[0].Spent != 5 || embed[0].ShareUsed != 0.005 {
			t.Errorf("router %d: embed-tokens %+v, want 5 tokens", i+1, embed)
		}
	}
	scoped := listBudgets(t, r2, "ak-acme-0123456789")
	if names := budgetNames(scoped); !slices.Equal(names, []string{"acme-daily"}) || scoped.Data[0].Instances[0].Spent != 0.005005 {
		t.Errorf("acme's viewer sees %v: %+v", names, scoped.Data)
	}
}

func listBudgets(t *testing.T, r *Router, key string) admin.BudgetList {
	t.Helper()
	w := do(r, "GET", "/admin/budgets", "", map[string]string{"Authorization": "Bearer " + key})
	var list admin.BudgetList
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &list) != nil {
		t.Fatalf("GET /admin/budgets: %d %s", w.Code, w.Body)
	}
	return list
}

func budgetNames(l admin.BudgetList) []string {
	var out []string
	for _, b := range l.Data {
		out = append(out, b.Name)
	}
	return out
}
