package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// This file tests the stored responses kept as chains: a continuation
// stores its parent and its own items only, its conversation is read
// back through its ancestors, within its tenant, and an ancestor that
// expires or is deleted stays while a live descendant needs it.

// chainResponse is a stored response id of tenant continuing parent (""
// for a root), created at Base and expiring at expires, whose input is
// one message "in <id>" and whose output "out <id>".
func chainResponse(id, parent, tenant string, expires time.Time) *store.Response {
	return &store.Response{ID: id, Parent: parent, Tenant: tenant, KeyName: "agent", Created: Base, Expires: expires,
		Model: "gpt-4o-mini", Status: "completed", Object: []byte(`{"id":"` + id + `"}`),
		Input:  []byte(`[{"id":"msg_` + id + `_i0","type":"message","role":"user","content":"in ` + id + `"}]`),
		Output: []byte(`[{"id":"msg_` + id + `","type":"message","role":"assistant","content":"out ` + id + `"}]`)}
}

// saveChain saves responses of tenant, each continuing the one before
// (the first a root), living a day, and returns them.
func saveChain(t *testing.T, rl store.ResponseLog, tenant string, ids ...string) []*store.Response {
	t.Helper()
	out, parent := make([]*store.Response, 0, len(ids)), ""
	for _, id := range ids {
		r := chainResponse(id, parent, tenant, Base.Add(24*time.Hour))
		if err := rl.SaveResponse(context.Background(), r); err != nil {
			t.Fatalf("SaveResponse(%s, parent %q): %v", id, parent, err)
		}
		out, parent = append(out, r), id
	}
	return out
}

// chainOf returns the ids of the chain ResponseChain reads for id,
// failing t on an error.
func chainOf(t *testing.T, rl store.ResponseLog, scope store.Scope, id string, at time.Time) []string {
	t.Helper()
	chain, err := rl.ResponseChain(context.Background(), scope, id, at)
	if err != nil {
		t.Fatalf("ResponseChain(%s): %v", id, err)
	}
	ids := make([]string, len(chain))
	for i, r := range chain {
		ids[i] = r.ID
	}
	return ids
}

// erased reports whether the store no longer keeps id for tenant: a
// response continuing it cannot be saved.
func erased(t *testing.T, rl store.ResponseLog, tenant, id string) bool {
	t.Helper()
	return probeErased(t, rl, id, chainResponse("resp_probe_"+id, id, tenant, Base.Add(time.Minute)))
}

// probeErased saves probe, a response made after id, and reports whether
// the store refused it for want of id (ErrParentNotFound); a probe saved
// is deleted again.
func probeErased(t *testing.T, rl store.ResponseLog, id string, probe *store.Response) bool {
	t.Helper()
	err := rl.SaveResponse(context.Background(), probe)
	switch {
	case errors.Is(err, store.ErrParentNotFound):
		return true
	case err != nil:
		t.Fatalf("SaveResponse(probe of %s): %v", id, err)
	}
	if err := rl.DeleteResponse(context.Background(), store.AllTenants(), probe.ID, Base); err != nil {
		t.Fatalf("DeleteResponse(probe of %s): %v", id, err)
	}
	return false
}

// testResponsesChain: a continuation keeps its own items; its chain is
// its ancestors root first, each as saved, the object on itself only;
// siblings share their ancestors.
func testResponsesChain(t *testing.T, s store.Store) {
	rl, acme := responseLog(t, s), store.TenantScope("acme")
	saved := saveChain(t, rl, "acme", "resp_a", "resp_b", "resp_c")
	sibling := chainResponse("resp_b2", "resp_a", "acme", Base.Add(time.Hour))
	if err := rl.SaveResponse(context.Background(), sibling); err != nil {
		t.Fatal(err)
	}
	got, err := rl.GetResponse(context.Background(), acme, "resp_c", Base)
	if err != nil || got.Parent != "resp_b" || string(got.Input) != string(saved[2].Input) {
		t.Fatalf("GetResponse(resp_c) = %+v, %v; want its own input and parent resp_b", got, err)
	}
	chain, err := rl.ResponseChain(context.Background(), acme, "resp_c", Base)
	if err != nil || len(chain) != 3 {
		t.Fatalf("ResponseChain(resp_c) = %d responses, %v; want 3", len(chain), err)
	}
	for i, r := range chain {
		want := saved[i]
		if r.ID != want.ID || r.Parent != want.Parent || r.Tenant != "acme" || string(r.Input) != string(want.Input) ||
			string(r.Output) != string(want.Output) || r.Status != want.Status {
			t.Errorf("chain[%d] = %+v, want %+v", i, r, want)
		}
		if hasObject := r.Object != nil; hasObject != (i == 2) {
			t.Errorf("chain[%d] object %q: want it on the last only", i, r.Object)
		}
	}
	for _, c := range []struct {
		scope store.Scope
		id    string
		want  []string
	}{
		{acme, "resp_b2", []string{"resp_a", "resp_b2"}},
		{store.AllTenants(), "resp_c", []string{"resp_a", "resp_b", "resp_c"}},
		{acme, "resp_a", []string{"resp_a"}},
	} {
		if got := chainOf(t, rl, c.scope, c.id, Base); !slices.Equal(got, c.want) {
			t.Errorf("ResponseChain(%s) = %v, want %v", c.id, got, c.want)
		}
	}
	if _, err := rl.ResponseChain(context.Background(), acme, "resp_zz", Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("ResponseChain(unknown) = %v, want ErrResponseNotFound", err)
	}
}

// testResponsesChainTenant: another tenant's response, or an unknown
// one, cannot be a parent; another tenant's scope finds neither a
// response nor its chain.
func testResponsesChainTenant(t *testing.T, s store.Store) {
	rl, ctx := responseLog(t, s), context.Background()
	saveChain(t, rl, "acme", "resp_a", "resp_b")
	for _, parent := range []string{"resp_a", "resp_unknown"} {
		r := chainResponse("resp_g_"+parent, parent, "globex", Base.Add(time.Hour))
		if err := rl.SaveResponse(ctx, r); !errors.Is(err, store.ErrParentNotFound) {
			t.Errorf("globex continuing %s: %v, want ErrParentNotFound", parent, err)
		}
		if _, err := rl.GetResponse(ctx, store.AllTenants(), r.ID, Base); !errors.Is(err, store.ErrResponseNotFound) {
			t.Errorf("the refused response %s was saved: %v", r.ID, err)
		}
	}
	for _, id := range []string{"resp_a", "resp_b"} {
		if _, err := rl.ResponseChain(ctx, store.TenantScope("globex"), id, Base); !errors.Is(err, store.ErrResponseNotFound) {
			t.Errorf("globex reading acme's chain of %s: %v", id, err)
		}
	}
	self := chainResponse("resp_self", "resp_self", "acme", Base.Add(time.Hour))
	if err := rl.SaveResponse(ctx, self); err == nil {
		t.Error("a response continuing itself was saved")
	}
}

// testResponsesAncestorExpiry: an ancestor that expired is not found
// itself but stays in its live descendants' chains, through retention
// runs, and can still be continued until erased; once every descendant
// has expired too, retention erases the chain.
func testResponsesAncestorExpiry(t *testing.T, s store.Store) {
	rl, ctx, acme := responseLog(t, s), context.Background(), store.TenantScope("acme")
	root := chainResponse("resp_a", "", "acme", Base.Add(time.Hour))
	mid := chainResponse("resp_b", "resp_a", "acme", Base.Add(2*time.Hour))
	leaf := chainResponse("resp_c", "resp_b", "acme", Base.Add(4*time.Hour))
	lone := chainResponse("resp_lone", "", "acme", Base.Add(time.Hour))
	for _, r := range []*store.Response{root, mid, leaf, lone} {
		if err := rl.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	at := Base.Add(3 * time.Hour) // the root and the middle expired
	for _, id := range []string{"resp_a", "resp_b"} {
		if _, err := rl.GetResponse(ctx, acme, id, at); !errors.Is(err, store.ErrResponseNotFound) {
			t.Errorf("GetResponse(expired %s): %v", id, err)
		}
	}
	if n, err := rl.DeleteExpiredResponses(ctx, at); err != nil || n != 1 {
		t.Errorf("DeleteExpiredResponses = %d, %v; want 1 (only the lone response)", n, err)
	}
	if got := chainOf(t, rl, acme, "resp_c", at); !slices.Equal(got, []string{"resp_a", "resp_b", "resp_c"}) {
		t.Errorf("the live leaf's chain after retention: %v", got)
	}
	branch := chainResponse("resp_b2", "resp_a", "acme", Base.Add(5*time.Hour)) // a continuation saved as its parent expired
	if err := rl.SaveResponse(ctx, branch); err != nil {
		t.Fatalf("continuing an expired ancestor still kept: %v", err)
	}
	if got := chainOf(t, rl, acme, "resp_b2", at); !slices.Equal(got, []string{"resp_a", "resp_b2"}) {
		t.Errorf("the new branch's chain: %v", got)
	}
	if n, err := rl.DeleteExpiredResponses(ctx, Base.Add(4*time.Hour)); err != nil || n != 2 {
		t.Errorf("DeleteExpiredResponses past the leaf = %d, %v; want 2 (the leaf and the middle)", n, err)
	}
	if got := chainOf(t, rl, acme, "resp_b2", Base.Add(4*time.Hour)); !slices.Equal(got, []string{"resp_a", "resp_b2"}) {
		t.Errorf("the branch's chain after its sibling's erasure: %v", got)
	}
	if n, err := rl.DeleteExpiredResponses(ctx, Base.Add(5*time.Hour)); err != nil || n != 2 {
		t.Errorf("DeleteExpiredResponses past every response = %d, %v; want 2", n, err)
	}
	if !erased(t, rl, "acme", "resp_a") {
		t.Error("the root was kept after every descendant expired")
	}
}

// testResponsesDeleteMiddle: a deleted response is not found at once,
// to read, list or delete again, while its descendants keep its items;
// deleting the last of them erases it and the deleted or expired
// ancestors no other response needs, and nothing else.
func testResponsesDeleteMiddle(t *testing.T, s store.Store) {
	rl, ctx, acme := responseLog(t, s), context.Background(), store.TenantScope("acme")
	saved := saveChain(t, rl, "acme", "resp_a", "resp_b", "resp_c")
	if err := rl.DeleteResponse(ctx, acme, "resp_b", Base); err != nil {
		t.Fatal(err)
	}
	if _, err := rl.GetResponse(ctx, acme, "resp_b", Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("GetResponse(deleted): %v", err)
	}
	if _, err := rl.ResponseChain(ctx, acme, "resp_b", Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("ResponseChain(deleted): %v", err)
	}
	if err := rl.DeleteResponse(ctx, acme, "resp_b", Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("DeleteResponse(deleted) again: %v", err)
	}
	chain, err := rl.ResponseChain(ctx, acme, "resp_c", Base)
	if err != nil || len(chain) != 3 || string(chain[1].Input) != string(saved[1].Input) ||
		string(chain[1].Output) != string(saved[1].Output) || chain[1].Object != nil {
		t.Fatalf("the descendant's chain through the deleted response: %v, %v", chain, err)
	}
	if n, err := rl.DeleteExpiredResponses(ctx, Base); err != nil || n != 0 {
		t.Errorf("retention erased %d (%v) while the deleted response was needed", n, err)
	}
	if erased(t, rl, "acme", "resp_b") {
		t.Fatal("the deleted response was erased while its descendant lived")
	}
	if err := rl.DeleteResponse(ctx, acme, "resp_c", Base); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"resp_c": true, "resp_b": true, "resp_a": false} {
		if got := erased(t, rl, "acme", id); got != want {
			t.Errorf("after deleting the leaf, %s erased: %v, want %v", id, got, want)
		}
	}
	if got := chainOf(t, rl, acme, "resp_a", Base); !slices.Equal(got, []string{"resp_a"}) {
		t.Errorf("the live root's chain: %v", got)
	}
}

// saveRacingErasure saves r with rl while erase runs, and reports
// whether r was saved (else refused: its parent was erased first), once
// erase ran again after it; any other failure fails t.
func saveRacingErasure(t *testing.T, rl store.ResponseLog, r *store.Response, erase func() (int64, error)) bool {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, err := erase(); done <- err }()
	err := rl.SaveResponse(context.Background(), r)
	if rerr := <-done; rerr != nil {
		t.Fatalf("erasing while saving: %v", rerr)
	}
	switch {
	case errors.Is(err, store.ErrParentNotFound):
		return false
	case err != nil:
		t.Fatalf("SaveResponse: %v", err)
	}
	if _, err := erase(); err != nil {
		t.Fatal(err)
	}
	return true
}

// testResponsesSaveRacesErasure: a continuation saved while retention
// erases its expired parent is either refused (ErrParentNotFound) or
// saved with its whole chain readable, never saved with its beginning
// gone.
func testResponsesSaveRacesErasure(t *testing.T, s store.Store) {
	rl, ctx := responseLog(t, s), context.Background()
	at := Base.Add(2 * time.Hour)
	var saved, refused int
	for i := range 40 {
		parent := chainResponse(fmt.Sprintf("resp_p%d", i), "", "acme", Base.Add(time.Hour))
		if err := rl.SaveResponse(ctx, parent); err != nil {
			t.Fatal(err)
		}
		child := chainResponse(fmt.Sprintf("resp_c%d", i), parent.ID, "acme", Base.Add(3*time.Hour))
		if !saveRacingErasure(t, rl, child, func() (int64, error) { return rl.DeleteExpiredResponses(ctx, at) }) {
			refused++
			continue
		}
		saved++
		if got := chainOf(t, rl, store.TenantScope("acme"), child.ID, at); !slices.Equal(got, []string{parent.ID, child.ID}) {
			t.Fatalf("race %d: the saved continuation's chain is %v", i, got)
		}
	}
	t.Logf("%d continuations saved, %d refused", saved, refused)
}

// joinedItems returns the items of chain's conversation, for messages.
func joinedItems(chain []*store.Response) string {
	var parts []string
	for i, r := range chain {
		parts = append(parts, strings.Trim(string(r.Input), "[]"))
		if i < len(chain)-1 {
			parts = append(parts, strings.Trim(string(r.Output), "[]"))
		}
	}
	return "[" + strings.Join(parts, ",") + "]"
}
