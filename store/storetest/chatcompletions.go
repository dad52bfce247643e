package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// This file tests the stored chat completions (store.ChatCompletionLog):
// a completion saved and read as it was, listed in order with filters
// and pages, its metadata replaced, deleted, within its tenant, erased
// once expired.

// chatLog returns s's stored chat completions, failing t when s keeps
// none.
func chatLog(t *testing.T, s store.Store) store.ChatCompletionLog {
	t.Helper()
	return logOf[store.ChatCompletionLog](t, s, "chat completions")
}

// sampleChat is a completion of tenant and model created at Base plus i
// seconds, living a day, with metadata md (a JSON object).
func sampleChat(id, tenant, model string, i int, md string) *store.ChatCompletion {
	created := Base.Add(time.Duration(i) * time.Second)
	return &store.ChatCompletion{ID: id, Tenant: tenant, KeyName: "app", Created: created, Expires: created.Add(day), Model: model,
		Object:   []byte(`{"id":"` + id + `","object":"chat.completion","choices":[{"message":{"content":"caf\u00e9 \u0000"}}]}`),
		Messages: []byte(`[{"role":"user","content":"hi ` + id + `"}]`), Metadata: []byte(md)}
}

// saveChats saves cs, failing t on an error.
func saveChats(t *testing.T, cl store.ChatCompletionLog, cs ...*store.ChatCompletion) {
	t.Helper()
	for _, c := range cs {
		if err := cl.SaveChatCompletion(context.Background(), c); err != nil {
			t.Fatalf("SaveChatCompletion(%s): %v", c.ID, err)
		}
	}
}

// chatIDs returns the ids of a page.
func chatIDs(p store.ChatCompletionPage) []string {
	out := make([]string, len(p.Completions))
	for i, c := range p.Completions {
		out[i] = c.ID
	}
	return out
}

func testChatRoundTrip(t *testing.T, s store.Store) {
	cl, ctx := chatLog(t, s), context.Background()
	want := sampleChat("chatcmpl-1", "acme", "gpt-4o", 0, `{"k":"v"}`)
	saveChats(t, cl, want)
	got, err := cl.GetChatCompletion(ctx, store.TenantScope("acme"), want.ID, Base)
	if err != nil {
		t.Fatalf("GetChatCompletion: %v", err)
	}
	if fmt.Sprint(*got) != fmt.Sprint(*want) {
		t.Errorf("got  %+v\nwant %+v", *got, *want)
	}
	md := []byte(`{"k":"w","n":"2"}`)
	up, err := cl.UpdateChatCompletion(ctx, store.TenantScope("acme"), want.ID, md, Base)
	if err != nil || string(up.Metadata) != string(md) || string(up.Object) != string(want.Object) {
		t.Fatalf("UpdateChatCompletion = %+v, %v; want the metadata %s", up, err, md)
	}
	if got, _ := cl.GetChatCompletion(ctx, store.AllTenants(), want.ID, Base); got == nil || string(got.Metadata) != string(md) {
		t.Errorf("after the update, GetChatCompletion = %+v; want the metadata %s", got, md)
	}
	if err := cl.DeleteChatCompletion(ctx, store.TenantScope("acme"), want.ID, Base); err != nil {
		t.Fatalf("DeleteChatCompletion: %v", err)
	}
	if _, err := cl.GetChatCompletion(ctx, store.TenantScope("acme"), want.ID, Base); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("after delete, GetChatCompletion err = %v; want ErrChatCompletionNotFound", err)
	}
	if err := cl.DeleteChatCompletion(ctx, store.TenantScope("acme"), want.ID, Base); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("second DeleteChatCompletion err = %v; want ErrChatCompletionNotFound", err)
	}
}

func testChatScope(t *testing.T, s store.Store) {
	cl, ctx := chatLog(t, s), context.Background()
	c := sampleChat("chatcmpl-a", "acme", "m", 0, `{}`)
	saveChats(t, cl, c)
	other := store.TenantScope("globex")
	if _, err := cl.GetChatCompletion(ctx, other, c.ID, Base); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("another tenant's Get err = %v; want ErrChatCompletionNotFound", err)
	}
	if _, err := cl.UpdateChatCompletion(ctx, other, c.ID, []byte(`{"x":"y"}`), Base); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("another tenant's Update err = %v; want ErrChatCompletionNotFound", err)
	}
	if err := cl.DeleteChatCompletion(ctx, other, c.ID, Base); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("another tenant's Delete err = %v; want ErrChatCompletionNotFound", err)
	}
	if p, err := cl.ListChatCompletions(ctx, other, store.ChatCompletionQuery{Limit: 10}, Base); err != nil || len(p.Completions) != 0 {
		t.Errorf("another tenant's List = %v, %v; want none", chatIDs(p), err)
	}
	if _, err := cl.ListChatCompletions(ctx, other, store.ChatCompletionQuery{After: c.ID, Limit: 10}, Base); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("another tenant's List after its id err = %v; want ErrChatCompletionNotFound", err)
	}
	// The same id saved by another tenant leaves the first one's as it was.
	saveChats(t, cl, sampleChat(c.ID, "globex", "other", 5, `{"x":"y"}`))
	got, err := cl.GetChatCompletion(ctx, store.TenantScope("acme"), c.ID, Base)
	if err != nil || got.Model != "m" || string(got.Metadata) != `{}` {
		t.Errorf("after another tenant saved the same id, Get = %+v, %v; want the first unchanged", got, err)
	}
	if _, err := cl.GetChatCompletion(ctx, other, c.ID, Base); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("the other tenant's save of a taken id is found (err %v)", err)
	}
}

func testChatList(t *testing.T, s store.Store) {
	cl, ctx := chatLog(t, s), context.Background()
	// Two at the same instant: ordered by id then.
	saveChats(t, cl,
		sampleChat("chatcmpl-3", "acme", "a", 3, `{"team":"x"}`),
		sampleChat("chatcmpl-1", "acme", "a", 1, `{"team":"x","env":"prod"}`),
		sampleChat("chatcmpl-2b", "acme", "b", 2, `{"team":"y"}`),
		sampleChat("chatcmpl-2a", "acme", "a", 2, `{}`),
		sampleChat("chatcmpl-9", "globex", "a", 0, `{"team":"x"}`))
	acme := store.TenantScope("acme")
	for _, tt := range []struct {
		name string
		q    store.ChatCompletionQuery
		want []string
		more bool
	}{
		{"all", store.ChatCompletionQuery{Limit: 20}, []string{"chatcmpl-1", "chatcmpl-2a", "chatcmpl-2b", "chatcmpl-3"}, false},
		{"desc", store.ChatCompletionQuery{Limit: 20, Desc: true}, []string{"chatcmpl-3", "chatcmpl-2b", "chatcmpl-2a", "chatcmpl-1"}, false},
		{"page", store.ChatCompletionQuery{Limit: 2}, []string{"chatcmpl-1", "chatcmpl-2a"}, true},
		{"after", store.ChatCompletionQuery{Limit: 2, After: "chatcmpl-2a"}, []string{"chatcmpl-2b", "chatcmpl-3"}, false},
		{"desc after", store.ChatCompletionQuery{Limit: 1, After: "chatcmpl-2b", Desc: true}, []string{"chatcmpl-2a"}, true},
		{"model", store.ChatCompletionQuery{Limit: 20, Model: "a"}, []string{"chatcmpl-1", "chatcmpl-2a", "chatcmpl-3"}, false},
		{"metadata", store.ChatCompletionQuery{Limit: 20, Metadata: map[string]string{"team": "x"}}, []string{"chatcmpl-1", "chatcmpl-3"}, false},
		{"metadata page", store.ChatCompletionQuery{Limit: 1, Metadata: map[string]string{"team": "x"}}, []string{"chatcmpl-1"}, true},
		{"metadata pairs", store.ChatCompletionQuery{Limit: 20, Metadata: map[string]string{"team": "x", "env": "prod"}}, []string{"chatcmpl-1"}, false},
		{"metadata none", store.ChatCompletionQuery{Limit: 20, Metadata: map[string]string{"team": "z"}}, nil, false},
		{"model and metadata", store.ChatCompletionQuery{Limit: 20, Model: "b", Metadata: map[string]string{"team": "x"}}, nil, false},
	} {
		p, err := cl.ListChatCompletions(ctx, acme, tt.q, Base)
		if err != nil {
			t.Errorf("%s: ListChatCompletions: %v", tt.name, err)
			continue
		}
		if got := chatIDs(p); !slices.Equal(got, tt.want) || p.HasMore != tt.more {
			t.Errorf("%s: got %v more %v; want %v more %v", tt.name, got, p.HasMore, tt.want, tt.more)
		}
	}
	if _, err := cl.ListChatCompletions(ctx, acme, store.ChatCompletionQuery{Limit: 2, After: "chatcmpl-none"}, Base); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("List after an unknown id err = %v; want ErrChatCompletionNotFound", err)
	}
}

// testChatListManyFiltered pages through more rows than one batch of a
// metadata-filtered list reads.
func testChatListManyFiltered(t *testing.T, s store.Store) {
	cl, ctx := chatLog(t, s), context.Background()
	var want []string
	for i := range 250 {
		md := `{"pick":"no"}`
		if i%7 == 0 {
			md = `{"pick":"yes"}`
			want = append(want, fmt.Sprintf("chatcmpl-%03d", i))
		}
		saveChats(t, cl, sampleChat(fmt.Sprintf("chatcmpl-%03d", i), "acme", "m", i, md))
	}
	var got []string
	q := store.ChatCompletionQuery{Limit: 5, Metadata: map[string]string{"pick": "yes"}}
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("the pages do not end")
		}
		p, err := cl.ListChatCompletions(ctx, store.TenantScope("acme"), q, Base)
		if err != nil {
			t.Fatalf("ListChatCompletions: %v", err)
		}
		got = append(got, chatIDs(p)...)
		if !p.HasMore {
			break
		}
		q.After = got[len(got)-1]
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages hold %v; want %v", got, want)
	}
}

func testChatExpiry(t *testing.T, s store.Store) {
	cl, ctx := chatLog(t, s), context.Background()
	old, live := sampleChat("chatcmpl-old", "acme", "m", 0, `{}`), sampleChat("chatcmpl-live", "acme", "m", 0, `{}`)
	live.Expires = Base.Add(3 * day)
	saveChats(t, cl, old, live)
	later := Base.Add(2 * day)
	if _, err := cl.GetChatCompletion(ctx, store.TenantScope("acme"), old.ID, later); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("an expired completion's Get err = %v; want ErrChatCompletionNotFound", err)
	}
	if p, _ := cl.ListChatCompletions(ctx, store.TenantScope("acme"), store.ChatCompletionQuery{Limit: 10}, later); !slices.Equal(chatIDs(p), []string{live.ID}) {
		t.Errorf("List after expiry = %v; want only %s", chatIDs(p), live.ID)
	}
	if _, err := cl.UpdateChatCompletion(ctx, store.TenantScope("acme"), old.ID, []byte(`{}`), later); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("an expired completion's Update err = %v; want ErrChatCompletionNotFound", err)
	}
	n, err := cl.DeleteExpiredChatCompletions(ctx, later)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpiredChatCompletions = %d, %v; want 1", n, err)
	}
	if _, err := cl.GetChatCompletion(ctx, store.TenantScope("acme"), live.ID, later); err != nil {
		t.Errorf("the live completion is gone: %v", err)
	}
	// Saved again, an erased completion is found again.
	saveChats(t, cl, sampleChat(old.ID, "acme", "m", 0, `{}`))
	if _, err := cl.GetChatCompletion(ctx, store.TenantScope("acme"), old.ID, Base); err != nil {
		t.Errorf("a completion saved again is not found: %v", err)
	}
}
