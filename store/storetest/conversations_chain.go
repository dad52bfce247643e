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

// This file tests the stored responses made in a conversation: a chain
// that begins with the conversation's items before its root, within its
// tenant, and the conversation kept, once expired or deleted, for as long
// as such a response is.

// convResponse is chainResponse made in the conversation conv, after its
// items before position seq.
func convResponse(id, conv string, seq int64, tenant string, expires time.Time) *store.Response {
	r := chainResponse(id, "", tenant, expires)
	r.Conversation, r.ConversationSeq = conv, seq
	return r
}

// prefixOf returns the ids of the conversation's items a chain begins
// with, failing t when it does not begin with conv's.
func prefixOf(t *testing.T, chain []*store.Response, conv string) []string {
	t.Helper()
	if len(chain) == 0 || chain[0].ID != conv || string(chain[0].Output) != "[]" {
		t.Fatalf("the chain does not begin with conversation %s: %v", conv, chain)
	}
	var ids []string
	for _, it := range items("msg_0", "msg_1", "msg_2", "msg_3") {
		if strings.Contains(string(chain[0].Input), string(it.Item)) {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// testConversationsResponseChain: a response made in a conversation
// begins its chain with the items it was given (not those added after),
// and so do its continuations; an item deleted from the conversation
// leaves it; another tenant's or an unknown conversation is refused.
func testConversationsResponseChain(t *testing.T, s store.Store) {
	cl, rl, ctx, acme := conversationLog(t, s), responseLog(t, s), context.Background(), store.TenantScope("acme")
	createConversation(t, cl, sampleConversation("conv_r", "acme"), items("msg_0", "msg_1", "msg_2")...)
	if err := rl.SaveResponse(ctx, convResponse("resp_1", "conv_r", 2, "acme", Base.Add(day))); err != nil {
		t.Fatalf("SaveResponse in a conversation: %v", err)
	}
	if err := rl.SaveResponse(ctx, chainResponse("resp_2", "resp_1", "acme", Base.Add(day))); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"resp_1", "resp_2"} {
		chain, err := rl.ResponseChain(ctx, acme, id, Base)
		if err != nil {
			t.Fatalf("ResponseChain(%s): %v", id, err)
		}
		if got := prefixOf(t, chain, "conv_r"); !slices.Equal(got, []string{"msg_0", "msg_1"}) {
			t.Errorf("%s begins with %v, want msg_0 and msg_1", id, got)
		}
		if chain[1].ID != "resp_1" || chain[len(chain)-1].ID != id || chain[len(chain)-1].Object == nil {
			t.Errorf("%s's chain: %v", id, chain)
		}
	}
	if got, err := rl.GetResponse(ctx, acme, "resp_1", Base); err != nil || got.Conversation != "conv_r" || got.ConversationSeq != 2 {
		t.Errorf("GetResponse = %+v, %v", got, err)
	}
	if _, err := cl.DeleteItem(ctx, acme, "conv_r", "msg_0", Base.Add(day), Base); err != nil {
		t.Fatal(err)
	}
	chain, _ := rl.ResponseChain(ctx, acme, "resp_2", Base)
	if got := prefixOf(t, chain, "conv_r"); !slices.Equal(got, []string{"msg_1"}) {
		t.Errorf("after deleting msg_0 the chain begins with %v", got)
	}
	for _, r := range []*store.Response{convResponse("resp_x", "conv_r", 1, "globex", Base.Add(day)), convResponse("resp_y", "conv_404", 0, "acme", Base.Add(day))} {
		if err := rl.SaveResponse(ctx, r); !errors.Is(err, store.ErrParentNotFound) {
			t.Errorf("SaveResponse in %s as %s: %v, want ErrParentNotFound", r.Conversation, r.Tenant, err)
		}
	}
}

// conversationErased reports whether the store no longer keeps the
// conversation id for tenant: a response made in it cannot be saved.
func conversationErased(t *testing.T, rl store.ResponseLog, tenant, id string) bool {
	t.Helper()
	return probeErased(t, rl, id, convResponse("resp_probe_"+id, id, 0, tenant, Base.Add(time.Minute)))
}

// testConversationsErasure: a deleted conversation no response was made
// in is erased at once; one a stored response was made in stays (its
// items still begin the response's chain) until that response is
// erased, like an expired one; a live one is never erased.
func testConversationsErasure(t *testing.T, s store.Store) {
	cl, rl, ctx, acme := conversationLog(t, s), responseLog(t, s), context.Background(), store.TenantScope("acme")
	for _, id := range []string{"conv_alone", "conv_used", "conv_old", "conv_live"} {
		c := sampleConversation(id, "acme")
		if id == "conv_old" {
			c.Expires = Base.Add(time.Hour)
		}
		createConversation(t, cl, c, items("msg_0")...)
	}
	for _, r := range []*store.Response{convResponse("resp_used", "conv_used", 1, "acme", Base.Add(day)), convResponse("resp_old", "conv_old", 1, "acme", Base.Add(2*time.Hour))} {
		if err := rl.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"conv_alone", "conv_used"} {
		if err := cl.DeleteConversation(ctx, acme, id, Base); err != nil {
			t.Fatalf("DeleteConversation(%s): %v", id, err)
		}
	}
	if !conversationErased(t, rl, "acme", "conv_alone") || conversationErased(t, rl, "acme", "conv_used") {
		t.Fatal("a deleted conversation: erased at once only when no stored response was made in it")
	}
	chain, err := rl.ResponseChain(ctx, acme, "resp_used", Base)
	if err != nil || !slices.Equal(prefixOf(t, chain, "conv_used"), []string{"msg_0"}) {
		t.Fatalf("the response made in the deleted conversation: %v, %v", chain, err)
	}
	at := Base.Add(90 * time.Minute)
	if n, err := cl.DeleteExpiredConversations(ctx, at); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredConversations while their responses live = %d, %v", n, err)
	}
	if err := rl.DeleteResponse(ctx, acme, "resp_used", at); err != nil {
		t.Fatal(err)
	}
	if n, err := cl.DeleteExpiredConversations(ctx, at); err != nil || n != 1 || !conversationErased(t, rl, "acme", "conv_used") {
		t.Fatalf("once its response is deleted: erased %d, %v", n, err)
	}
	later := Base.Add(3 * time.Hour)
	if _, err := rl.DeleteExpiredResponses(ctx, later); err != nil {
		t.Fatal(err)
	}
	if n, err := cl.DeleteExpiredConversations(ctx, later); err != nil || n != 1 || !conversationErased(t, rl, "acme", "conv_old") {
		t.Fatalf("the expired conversation, its response expired: erased %d, %v", n, err)
	}
	if _, err := cl.GetConversation(ctx, acme, "conv_live", later); err != nil {
		t.Errorf("the live conversation: %v", err)
	}
}

// testConversationsSaveRacesErasure: a response made in a conversation
// saved while retention erases it is either refused (ErrParentNotFound)
// or saved with the conversation kept for it.
func testConversationsSaveRacesErasure(t *testing.T, s store.Store) {
	cl, rl, ctx := conversationLog(t, s), responseLog(t, s), context.Background()
	at := Base.Add(2 * time.Hour)
	var saved, refused int
	for i := range 30 {
		c := sampleConversation(fmt.Sprintf("conv_%d", i), "acme")
		c.Expires = Base.Add(time.Hour)
		createConversation(t, cl, c, items("msg_0")...)
		r := convResponse(fmt.Sprintf("resp_%d", i), c.ID, 1, "acme", Base.Add(3*time.Hour))
		if !saveRacingErasure(t, rl, r, func() (int64, error) { return cl.DeleteExpiredConversations(ctx, at) }) {
			refused++
			continue
		}
		saved++
		chain, err := rl.ResponseChain(ctx, store.TenantScope("acme"), r.ID, at)
		if err != nil || !slices.Equal(prefixOf(t, chain, c.ID), []string{"msg_0"}) {
			t.Fatalf("race %d: the saved response's chain lost its conversation: %v, %v", i, chain, err)
		}
	}
	t.Logf("%d responses saved, %d refused", saved, refused)
}
