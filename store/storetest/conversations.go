package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"switchyard/store"
)

// This file tests the conversations (store.ConversationLog): the
// conversation's row, its items in order, paged, read and erased one by
// one, within its tenant, its expiry moved by each write.

// conversationLog returns s's conversations, failing t when s keeps none.
func conversationLog(t *testing.T, s store.Store) store.ConversationLog {
	t.Helper()
	return logOf[store.ConversationLog](t, s, "conversations")
}

// day is how long the test conversations live from Base.
const day = 24 * time.Hour

// sampleConversation is a conversation of tenant created at Base, living
// a day.
func sampleConversation(id, tenant string) *store.Conversation {
	return &store.Conversation{ID: id, Tenant: tenant, KeyName: "app", Created: Base, Expires: Base.Add(day),
		Metadata: []byte(`{"topic":"caf\u00e9"}`)}
}

// items returns items with the given ids, each a message naming it.
func items(ids ...string) []store.ConversationItem {
	out := make([]store.ConversationItem, len(ids))
	for i, id := range ids {
		out[i] = store.ConversationItem{ID: id, Item: []byte(`{"id":"` + id + `","type":"message","content":"\u0000 ` + id + `"}`)}
	}
	return out
}

// itemIDs returns the ids of items.
func itemIDs(items []store.ConversationItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// createConversation stores c with items, failing t on an error.
func createConversation(t *testing.T, cl store.ConversationLog, c *store.Conversation, its ...store.ConversationItem) {
	t.Helper()
	if err := cl.CreateConversation(context.Background(), c, its); err != nil {
		t.Fatalf("CreateConversation(%s): %v", c.ID, err)
	}
}

// testConversationsRoundTrip: a conversation reads back as created, its
// items in order, bytes as saved; appended items follow; the metadata is
// replaced; each write moves the expiry.
func testConversationsRoundTrip(t *testing.T, s store.Store) {
	cl, ctx, acme := conversationLog(t, s), context.Background(), store.TenantScope("acme")
	want := sampleConversation("conv_a", "acme")
	createConversation(t, cl, want, items("msg_1", "msg_2")...)
	got, err := cl.GetConversation(ctx, acme, "conv_a", Base)
	if err != nil || got.ID != want.ID || got.Tenant != "acme" || got.KeyName != "app" || !got.Created.Equal(Base) ||
		!got.Expires.Equal(want.Expires) || string(got.Metadata) != string(want.Metadata) {
		t.Fatalf("GetConversation = %+v, %v; want %+v", got, err, want)
	}
	later := Base.Add(2 * day)
	if err := cl.AppendItems(ctx, acme, "conv_a", items("fc_3", "fco_4"), later, Base.Add(time.Hour)); err != nil {
		t.Fatalf("AppendItems: %v", err)
	}
	all, next, err := cl.ConversationItems(ctx, acme, "conv_a", Base)
	if err != nil || !slices.Equal(itemIDs(all), []string{"msg_1", "msg_2", "fc_3", "fco_4"}) || next != 4 {
		t.Fatalf("ConversationItems = %v, %d, %v", itemIDs(all), next, err)
	}
	if string(all[0].Item) != string(items("msg_1")[0].Item) {
		t.Errorf("item read back %s", all[0].Item)
	}
	if _, err := cl.GetConversation(ctx, acme, "conv_a", Base.Add(day+time.Hour)); err != nil {
		t.Errorf("adding items did not move the expiry: %v", err)
	}
	up, err := cl.UpdateConversation(ctx, acme, "conv_a", []byte(`{"b":"2"}`), Base.Add(3*day), Base)
	if err != nil || string(up.Metadata) != `{"b":"2"}` || !up.Expires.Equal(Base.Add(3*day)) || !up.Created.Equal(Base) {
		t.Fatalf("UpdateConversation = %+v, %v", up, err)
	}
	it, err := cl.GetItem(ctx, acme, "conv_a", "fc_3", Base)
	if err != nil || it.ID != "fc_3" || string(it.Item) != string(items("fc_3")[0].Item) {
		t.Fatalf("GetItem = %+v, %v", it, err)
	}
	conv, err := cl.DeleteItem(ctx, acme, "conv_a", "msg_2", Base.Add(4*day), Base)
	if err != nil || conv.ID != "conv_a" || !conv.Expires.Equal(Base.Add(4*day)) {
		t.Fatalf("DeleteItem = %+v, %v", conv, err)
	}
	if _, err := cl.GetItem(ctx, acme, "conv_a", "msg_2", Base); !errors.Is(err, store.ErrItemNotFound) {
		t.Errorf("GetItem of the deleted item: %v", err)
	}
	if _, err := cl.DeleteItem(ctx, acme, "conv_a", "msg_2", Base.Add(4*day), Base); !errors.Is(err, store.ErrItemNotFound) {
		t.Errorf("DeleteItem again: %v", err)
	}
	if err := cl.AppendItems(ctx, acme, "conv_a", items("msg_5"), Base.Add(4*day), Base); err != nil {
		t.Fatal(err)
	}
	all, next, _ = cl.ConversationItems(ctx, acme, "conv_a", Base)
	if !slices.Equal(itemIDs(all), []string{"msg_1", "fc_3", "fco_4", "msg_5"}) || next != 5 {
		t.Errorf("after a delete and an append: %v, next %d", itemIDs(all), next)
	}
	createConversation(t, cl, sampleConversation("conv_empty", "acme"))
	if all, next, err := cl.ConversationItems(ctx, acme, "conv_empty", Base); err != nil || len(all) != 0 || next != 0 {
		t.Errorf("an empty conversation: %v, %d, %v", all, next, err)
	}
}

// testConversationItemsPages: pages of items, oldest or newest first,
// follow After to the end; an After that names no item is refused.
func testConversationItemsPages(t *testing.T, s store.Store) {
	cl, ctx, acme := conversationLog(t, s), context.Background(), store.TenantScope("acme")
	var ids []string
	for i := range 7 {
		ids = append(ids, fmt.Sprintf("msg_%d", i))
	}
	createConversation(t, cl, sampleConversation("conv_p", "acme"), items(ids[:3]...)...)
	if err := cl.AppendItems(ctx, acme, "conv_p", items(ids[3:]...), Base.Add(day), Base); err != nil {
		t.Fatal(err)
	}
	for _, desc := range []bool{false, true} {
		want := slices.Clone(ids)
		if desc {
			slices.Reverse(want)
		}
		var got []string
		q := store.ItemQuery{Limit: 3, Desc: desc}
		for pages := 0; ; pages++ {
			page, err := cl.ListItems(ctx, acme, "conv_p", q, Base)
			if err != nil || pages > 5 {
				t.Fatalf("ListItems(%+v): %v (page %d)", q, err, pages)
			}
			got = append(got, itemIDs(page.Items)...)
			if !page.HasMore {
				break
			}
			q.After = page.Items[len(page.Items)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Errorf("desc %v: paged %v, want %v", desc, got, want)
		}
	}
	if page, err := cl.ListItems(ctx, acme, "conv_p", store.ItemQuery{Limit: 7}, Base); err != nil || page.HasMore || len(page.Items) != 7 {
		t.Errorf("a page of all: %d items, more %v, %v", len(page.Items), page.HasMore, err)
	}
	if _, err := cl.ListItems(ctx, acme, "conv_p", store.ItemQuery{Limit: 3, After: "msg_404"}, Base); !errors.Is(err, store.ErrItemNotFound) {
		t.Errorf("after an unknown item: %v", err)
	}
}

// testConversationsScope: another tenant's conversation, an unknown id,
// an expired and a deleted one are not found, for every read and write.
func testConversationsScope(t *testing.T, s store.Store) {
	cl, ctx := conversationLog(t, s), context.Background()
	createConversation(t, cl, sampleConversation("conv_a", "acme"), items("msg_a")...)
	createConversation(t, cl, sampleConversation("conv_b", "globex"), items("msg_b")...)
	createConversation(t, cl, sampleConversation("conv_d", "acme"))
	acme := store.TenantScope("acme")
	if err := cl.DeleteConversation(ctx, acme, "conv_d", Base); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		scope store.Scope
		id    string
		at    time.Time
	}{
		{"another tenant's", acme, "conv_b", Base},
		{"unknown", acme, "conv_zz", Base},
		{"expired", acme, "conv_a", Base.Add(day)},
		{"deleted", acme, "conv_d", Base},
		{"no tenant's", store.TenantScope(""), "conv_a", Base},
	} {
		for op, err := range conversationOps(cl, c.scope, c.id, c.at) {
			if !errors.Is(err, store.ErrConversationNotFound) {
				t.Errorf("%s %s: %v, want ErrConversationNotFound", op, c.name, err)
			}
		}
	}
	if _, err := cl.GetItem(ctx, store.TenantScope("globex"), "conv_b", "msg_a", Base); !errors.Is(err, store.ErrItemNotFound) {
		t.Errorf("another conversation's item: %v", err)
	}
	if got, err := cl.GetItem(ctx, store.TenantScope("globex"), "conv_b", "msg_b", Base); err != nil || got.ID != "msg_b" {
		t.Errorf("the other tenant's own item: %+v, %v", got, err)
	}
}

// conversationOps runs every operation of cl on the conversation id in
// scope at at, and returns each one's error by name.
func conversationOps(cl store.ConversationLog, scope store.Scope, id string, at time.Time) map[string]error {
	ctx, exp := context.Background(), at.Add(day)
	errs := map[string]error{}
	_, errs["get"] = cl.GetConversation(ctx, scope, id, at)
	_, errs["update"] = cl.UpdateConversation(ctx, scope, id, []byte(`{}`), exp, at)
	errs["append"] = cl.AppendItems(ctx, scope, id, items("msg_new"), exp, at)
	_, _, errs["items"] = cl.ConversationItems(ctx, scope, id, at)
	_, errs["list"] = cl.ListItems(ctx, scope, id, store.ItemQuery{Limit: 10}, at)
	_, errs["get item"] = cl.GetItem(ctx, scope, id, "msg_a", at)
	_, errs["delete item"] = cl.DeleteItem(ctx, scope, id, "msg_a", exp, at)
	errs["delete"] = cl.DeleteConversation(ctx, scope, id, at)
	return errs
}

// testConversationsConcurrentAppends: appends to one conversation at
// once each land whole, their items adjacent and in order, none lost.
func testConversationsConcurrentAppends(t *testing.T, s store.Store) {
	cl, ctx, acme := conversationLog(t, s), context.Background(), store.TenantScope("acme")
	createConversation(t, cl, sampleConversation("conv_c", "acme"))
	const writers = 8
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- cl.AppendItems(ctx, acme, "conv_c", items(fmt.Sprintf("msg_%d_0", w), fmt.Sprintf("msg_%d_1", w), fmt.Sprintf("msg_%d_2", w)), Base.Add(day), Base)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("AppendItems: %v", err)
		}
	}
	all, next, err := cl.ConversationItems(ctx, acme, "conv_c", Base)
	if err != nil || len(all) != 3*writers || next != 3*writers {
		t.Fatalf("%d items, next %d, %v; want %d", len(all), next, err, 3*writers)
	}
	for i := 0; i < len(all); i += 3 {
		var w int
		fmt.Sscanf(all[i].ID, "msg_%d_0", &w)
		if want := items(fmt.Sprintf("msg_%d_0", w), fmt.Sprintf("msg_%d_1", w), fmt.Sprintf("msg_%d_2", w)); !slices.Equal(itemIDs(all[i:i+3]), itemIDs(want)) {
			t.Fatalf("an append's items are interleaved: %v", itemIDs(all))
		}
	}
}

// testConversationItemFind: an item is found by its id alone among the
// live conversations of the scope, with its conversation; another
// tenant's, an expired or deleted conversation's, or an unknown id is
// ErrItemNotFound; every tenant's scope finds any.
func testConversationItemFind(t *testing.T, s store.Store) {
	cl, ctx := conversationLog(t, s), context.Background()
	f, ok := cl.(store.ConversationItemFinder)
	if !ok {
		t.Skip("the store finds no item by id alone")
	}
	createConversation(t, cl, sampleConversation("conv_a", "acme"), items("msg_a", "fc_a")...)
	createConversation(t, cl, sampleConversation("conv_b", "globex"), items("msg_b")...)
	createConversation(t, cl, sampleConversation("conv_d", "acme"), items("msg_d")...)
	acme := store.TenantScope("acme")
	if err := cl.DeleteConversation(ctx, acme, "conv_d", Base); err != nil {
		t.Fatal(err)
	}
	it, conv, err := f.FindItem(ctx, acme, "fc_a", Base)
	if err != nil || conv != "conv_a" || it.ID != "fc_a" || string(it.Item) != string(items("fc_a")[0].Item) {
		t.Fatalf("FindItem = %+v, %q, %v", it, conv, err)
	}
	if _, conv, err := f.FindItem(ctx, store.AllTenants(), "msg_b", Base); err != nil || conv != "conv_b" {
		t.Errorf("every tenant's scope: %q, %v", conv, err)
	}
	for _, c := range []struct {
		name, id string
		at       time.Time
	}{
		{"another tenant's", "msg_b", Base}, {"unknown", "msg_zz", Base},
		{"an expired conversation's", "msg_a", Base.Add(day)}, {"a deleted conversation's", "msg_d", Base},
	} {
		if _, _, err := f.FindItem(ctx, acme, c.id, c.at); !errors.Is(err, store.ErrItemNotFound) {
			t.Errorf("%s item: %v, want ErrItemNotFound", c.name, err)
		}
	}
}
