package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"switchyard/store"
)

// This file tests the metadata filter of the stored chat completions'
// lists as the blind index runs it: a page of a rare value reads the
// page's rows, not the tenant's, and a filter sees a metadata update at
// once.

// ChatRowsCounter is a store that counts the stored chat completions its
// lists read (and open).
type ChatRowsCounter interface {
	ChatRowsRead() int64
}

// chatRowsRead returns a counter of the rows s's lists read, failing t
// when s counts none.
func chatRowsRead(t *testing.T, s store.Store) func() int64 {
	t.Helper()
	c, ok := s.(ChatRowsCounter)
	if !ok {
		t.Fatalf("%T does not count the chat completions its lists read (ChatRowsRead)", s)
	}
	start := c.ChatRowsRead()
	return func() int64 {
		n := c.ChatRowsRead() - start
		start = c.ChatRowsRead()
		return n
	}
}

// testChatListRare: among many completions, the pages of a rare value
// are right, each reading no more rows than it holds plus one; so do
// those of a common value, newest first, and with a model.
func testChatListRare(t *testing.T, s store.Store) {
	cl, ctx, acme := chatLog(t, s), context.Background(), store.TenantScope("acme")
	const total = 600
	rare := map[int]bool{40: true, 333: true, 598: true}
	var all []*store.ChatCompletion
	for i := range total {
		md := fmt.Sprintf(`{"tier":"common","n":"%d"}`, i)
		if rare[i] {
			md = `{"tier":"rare","n":"x"}`
		}
		model := "a"
		if i%2 == 1 {
			model = "b"
		}
		all = append(all, sampleChat(fmt.Sprintf("chatcmpl-%04d", i), "acme", model, i, md))
	}
	saveChats(t, cl, all...)
	// The same value of another tenant is not listed, nor read.
	saveChats(t, cl, sampleChat("chatcmpl-g", "globex", "a", 1, `{"tier":"rare","n":"x"}`))
	read := chatRowsRead(t, s)
	for _, tt := range []struct {
		name  string
		q     store.ChatCompletionQuery
		pages [][]string
	}{
		{"rare", store.ChatCompletionQuery{Limit: 2, Metadata: map[string]string{"tier": "rare"}},
			[][]string{{"chatcmpl-0040", "chatcmpl-0333"}, {"chatcmpl-0598"}}},
		{"rare pairs", store.ChatCompletionQuery{Limit: 5, Metadata: map[string]string{"tier": "rare", "n": "x"}},
			[][]string{{"chatcmpl-0040", "chatcmpl-0333", "chatcmpl-0598"}}},
		{"rare newest first", store.ChatCompletionQuery{Limit: 1, Desc: true, Metadata: map[string]string{"tier": "rare"}},
			[][]string{{"chatcmpl-0598"}, {"chatcmpl-0333"}, {"chatcmpl-0040"}}},
		{"rare of a model", store.ChatCompletionQuery{Limit: 5, Model: "a", Metadata: map[string]string{"tier": "rare"}},
			[][]string{{"chatcmpl-0040", "chatcmpl-0598"}}},
		{"common", store.ChatCompletionQuery{Limit: 3, Metadata: map[string]string{"tier": "common"}},
			[][]string{{"chatcmpl-0000", "chatcmpl-0001", "chatcmpl-0002"}, {"chatcmpl-0003", "chatcmpl-0004", "chatcmpl-0005"}}},
		{"one of many", store.ChatCompletionQuery{Limit: 3, Metadata: map[string]string{"tier": "common", "n": "597"}},
			[][]string{{"chatcmpl-0597"}}},
		{"none", store.ChatCompletionQuery{Limit: 3, Metadata: map[string]string{"tier": "none"}}, [][]string{nil}},
	} {
		q := tt.q
		for i, want := range tt.pages {
			p, err := cl.ListChatCompletions(ctx, acme, q, Base)
			if err != nil {
				t.Fatalf("%s page %d: ListChatCompletions: %v", tt.name, i, err)
			}
			more := i < len(tt.pages)-1 || tt.name == "common"
			if got := chatIDs(p); !slices.Equal(got, want) || p.HasMore != more {
				t.Errorf("%s page %d: %v more %v; want %v more %v", tt.name, i, got, p.HasMore, want, more)
			}
			// The page and the one row telling whether more follow.
			if n := read(); n > int64(len(want)+1) {
				t.Errorf("%s page %d: the list read %d rows of %d for a page of %d", tt.name, i, n, total, len(want))
			}
			if len(want) > 0 {
				q.After = want[len(want)-1]
			}
		}
	}
}

// testChatFilterAfterUpdate: a metadata update replaces the completion's
// pairs: the old ones no longer find it, the new ones do; a deleted or
// expired completion is found by none.
func testChatFilterAfterUpdate(t *testing.T, s store.Store) {
	cl, ctx, acme := chatLog(t, s), context.Background(), store.TenantScope("acme")
	saveChats(t, cl, sampleChat("chatcmpl-1", "acme", "m", 1, `{"stage":"draft","owner":"ann"}`),
		sampleChat("chatcmpl-2", "acme", "m", 2, `{"stage":"draft"}`))
	find := func(md map[string]string) []string {
		t.Helper()
		p, err := cl.ListChatCompletions(ctx, acme, store.ChatCompletionQuery{Limit: 10, Metadata: md}, Base)
		if err != nil {
			t.Fatalf("ListChatCompletions(%v): %v", md, err)
		}
		return chatIDs(p)
	}
	if _, err := cl.UpdateChatCompletion(ctx, acme, "chatcmpl-1", []byte(`{"stage":"final"}`), Base); err != nil {
		t.Fatalf("UpdateChatCompletion: %v", err)
	}
	for _, tt := range []struct {
		md   map[string]string
		want []string
	}{
		{map[string]string{"stage": "draft"}, []string{"chatcmpl-2"}},
		{map[string]string{"owner": "ann"}, nil},
		{map[string]string{"stage": "final"}, []string{"chatcmpl-1"}},
	} {
		if got := find(tt.md); !slices.Equal(got, tt.want) {
			t.Errorf("after the update, the filter %v finds %v; want %v", tt.md, got, tt.want)
		}
	}
	// Saved again (the same id, same tenant): its pairs are the new ones.
	saveChats(t, cl, sampleChat("chatcmpl-2", "acme", "m", 2, `{"stage":"redo"}`))
	if got := find(map[string]string{"stage": "draft"}); len(got) != 0 {
		t.Errorf("a completion saved anew is found by its old pairs: %v", got)
	}
	if got := find(map[string]string{"stage": "redo"}); !slices.Equal(got, []string{"chatcmpl-2"}) {
		t.Errorf("a completion saved anew is not found by its pairs: %v", got)
	}
	// Another tenant's save of a taken id neither replaces nor adds pairs.
	saveChats(t, cl, sampleChat("chatcmpl-2", "globex", "m", 2, `{"stage":"stolen"}`))
	if got := find(map[string]string{"stage": "stolen"}); len(got) != 0 {
		t.Errorf("another tenant's save of a taken id added pairs: %v", got)
	}
	if got := find(map[string]string{"stage": "redo"}); !slices.Equal(got, []string{"chatcmpl-2"}) {
		t.Errorf("another tenant's save of a taken id removed pairs: %v", got)
	}
	if err := cl.DeleteChatCompletion(ctx, acme, "chatcmpl-2", Base); err != nil {
		t.Fatal(err)
	}
	saveChats(t, cl, sampleChat("chatcmpl-2", "acme", "m", 2, `{}`)) // saved anew, without its pairs
	if got := find(map[string]string{"stage": "redo"}); len(got) != 0 {
		t.Errorf("a deleted completion's pairs find it saved anew: %v", got)
	}
}
