package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/store"
)

// responseLog returns s's stored responses, failing t when s keeps none.
func responseLog(t *testing.T, s store.Store) store.ResponseLog {
	t.Helper()
	return logOf[store.ResponseLog](t, s, "stored responses")
}

// sampleResponse is a stored response of tenant, created at Base, living
// a day.
func sampleResponse(id, tenant string) *store.Response {
	return &store.Response{
		ID: id, Tenant: tenant, KeyName: "backend", Created: Base, Expires: Base.Add(24 * time.Hour),
		Model: "gpt-4o-mini", Status: "completed",
		Object: []byte(`{"id":"` + id + `","object":"response","text":"caf\u00e9 \u0000 end"}`),
		Input:  []byte(`[{"id":"msg_1","type":"message","role":"user","content":[{"type":"input_text","text":"hi \u0000"}]}]`),
		Output: []byte(`[{"id":"msg_2","type":"message","role":"assistant","content":[]}]`),
	}
}

// testResponsesRoundTrip: a saved response reads back whole, bytes as
// saved (an escaped NUL included); saving the same id replaces it.
func testResponsesRoundTrip(t *testing.T, s store.Store) {
	rl, ctx := responseLog(t, s), context.Background()
	want := sampleResponse("resp_a", "acme")
	if err := rl.SaveResponse(ctx, want); err != nil {
		t.Fatalf("SaveResponse: %v", err)
	}
	got, err := rl.GetResponse(ctx, store.TenantScope("acme"), "resp_a", Base)
	if err != nil {
		t.Fatalf("GetResponse: %v", err)
	}
	if got.ID != want.ID || got.Tenant != want.Tenant || got.KeyName != want.KeyName || !got.Created.Equal(want.Created) ||
		!got.Expires.Equal(want.Expires) || got.Model != want.Model || got.Status != want.Status ||
		!bytes.Equal(got.Object, want.Object) || !bytes.Equal(got.Input, want.Input) || !bytes.Equal(got.Output, want.Output) {
		t.Fatalf("read back\n %+v\nwant\n %+v", got, want)
	}
	again := sampleResponse("resp_a", "acme")
	again.Status, again.Object = "failed", []byte(`{}`)
	if err := rl.SaveResponse(ctx, again); err != nil {
		t.Fatalf("SaveResponse again: %v", err)
	}
	if got, err := rl.GetResponse(ctx, store.AllTenants(), "resp_a", Base); err != nil || got.Status != "failed" || string(got.Object) != "{}" {
		t.Fatalf("after replacing: %+v, %v", got, err)
	}
}

// testResponsesScope: another tenant's response, an unknown id and an
// expired response are not found, to read or to delete; deleting one
// makes it not found.
func testResponsesScope(t *testing.T, s store.Store) {
	rl, ctx := responseLog(t, s), context.Background()
	for _, r := range []*store.Response{sampleResponse("resp_a", "acme"), sampleResponse("resp_b", "globex")} {
		if err := rl.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	acme, later := store.TenantScope("acme"), Base.Add(24*time.Hour)
	for _, c := range []struct {
		name  string
		scope store.Scope
		id    string
		at    time.Time
	}{
		{"another tenant's", acme, "resp_b", Base},
		{"unknown", acme, "resp_zz", Base},
		{"expired", acme, "resp_a", later},
		{"no tenant's", store.TenantScope(""), "resp_a", Base},
	} {
		if _, err := rl.GetResponse(ctx, c.scope, c.id, c.at); !errors.Is(err, store.ErrResponseNotFound) {
			t.Errorf("get %s: %v, want ErrResponseNotFound", c.name, err)
		}
		if err := rl.DeleteResponse(ctx, c.scope, c.id, c.at); !errors.Is(err, store.ErrResponseNotFound) {
			t.Errorf("delete %s: %v, want ErrResponseNotFound", c.name, err)
		}
	}
	if err := rl.DeleteResponse(ctx, acme, "resp_a", Base); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := rl.GetResponse(ctx, acme, "resp_a", Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if _, err := rl.GetResponse(ctx, store.TenantScope("globex"), "resp_b", Base); err != nil {
		t.Errorf("the other tenant's response: %v", err)
	}
}

// testResponsesExpiry: DeleteExpiredResponses deletes the responses
// expired at its time, of every tenant, and keeps the others.
func testResponsesExpiry(t *testing.T, s store.Store) {
	rl, ctx := responseLog(t, s), context.Background()
	for i, id := range []string{"resp_1", "resp_2", "resp_3"} {
		r := sampleResponse(id, []string{"acme", "globex", "acme"}[i])
		r.Expires = Base.Add(time.Duration(i+1) * time.Hour)
		if err := rl.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := rl.DeleteExpiredResponses(ctx, Base.Add(2*time.Hour)); err != nil || n != 2 {
		t.Fatalf("DeleteExpiredResponses = %d, %v; want 2", n, err)
	}
	if _, err := rl.GetResponse(ctx, store.AllTenants(), "resp_3", Base); err != nil {
		t.Errorf("the live response: %v", err)
	}
	if _, err := rl.GetResponse(ctx, store.AllTenants(), "resp_2", Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("a deleted response: %v", err)
	}
}
