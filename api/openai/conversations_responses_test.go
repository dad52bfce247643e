package openai_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/store"
)

// earlierItem is the item conv_1 starts with.
var earlierItem = store.ConversationItem{ID: "msg_x", Item: []byte(`{"id":"msg_x","type":"message","role":"user","status":"completed","content":[{"type":"input_text","text":"Earlier."}]}`)}

// conversationTurn is a request of text made in conv_1.
func conversationTurn(text string, byObject bool) responses.ResponseNewParams {
	p := responses.ResponseNewParams{Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String(text)}}
	if byObject {
		p.Conversation.OfConversationObject = &responses.ResponseConversationParam{ID: "conv_1"}
	} else {
		p.Conversation.OfString = sdk.String("conv_1")
	}
	return p
}

// texts returns the texts of msgs, joined by |.
func texts(msgs []llm.Message) string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Text())
	}
	return strings.Join(out, "|")
}

// A response made in a conversation is sent its items before the input;
// its input and output items are added to it with the response's ids,
// complete or streamed, and the next turn is sent them; it names its
// conversation; stored, it keeps its own input and its position.
func TestResponsesInConversation(t *testing.T) {
	rs, cs := &memResponses{kept: map[string]*store.Response{}}, newMemConversations()
	cs.convs["conv_1"] = &store.Conversation{ID: "conv_1", Metadata: []byte("{}")}
	cs.items["conv_1"] = []store.ConversationItem{earlierItem}
	b := newChainBackend()
	var sent []string
	chat := b.ChatFunc
	b.ChatFunc = func(ctx context.Context, req *llm.Request) (*llm.Response, error) {
		b.mu.Lock()
		sent = append(sent, texts(req.Messages))
		b.mu.Unlock()
		return chat(ctx, req)
	}
	b.StreamFunc = func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		b.mu.Lock()
		sent = append(sent, texts(req.Messages))
		b.mu.Unlock()
		return llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("streamed")}), nil
	}
	_, c := conversationServer(t, &b.fakeBackend, rs, cs)
	first, err := c.Responses.New(context.Background(), conversationTurn("one", false))
	if err != nil || first.Conversation.ID != "conv_1" {
		t.Fatalf("turn 1: %v %s", err, first.RawJSON())
	}
	base := strings.TrimPrefix(first.ID, "resp_")
	if got, want := cs.ids("conv_1"), []string{"msg_x", "msg_" + base + "_i0", first.Output[0].ID}; !slices.Equal(got, want) {
		t.Errorf("after turn 1 the conversation holds %v, want %v", got, want)
	}
	if r := rs.get(first.ID); r == nil || r.Conversation != "conv_1" || r.ConversationSeq != 1 || len(itemIDs(t, r.Input)) != 1 {
		t.Errorf("turn 1 stored as %+v", r)
	}
	stream := c.Responses.NewStreaming(context.Background(), conversationTurn("two", true))
	var completed responses.Response
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.completed" {
			completed = ev.Response
		}
	}
	if stream.Err() != nil || completed.Conversation.ID != "conv_1" || len(cs.ids("conv_1")) != 5 {
		t.Fatalf("turn 2, streamed: %v, %s, items %v", stream.Err(), completed.RawJSON(), cs.ids("conv_1"))
	}
	if _, err := c.Responses.New(context.Background(), conversationTurn("three", false)); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if want := []string{"Earlier.|one", "Earlier.|one|ok|two", "Earlier.|one|ok|two|streamed|three"}; !slices.Equal(sent, want) {
		t.Errorf("the turns were sent %q, want %q", sent, want)
	}
}

// Items that could not be added are said: the response names no
// conversation (complete, or the stream's last event), and is still
// stored; with store false the items are added all the same.
func TestConversationAddFailureSaid(t *testing.T) {
	rs, cs := &memResponses{kept: map[string]*store.Response{}}, newMemConversations()
	cs.convs["conv_1"] = &store.Conversation{ID: "conv_1", Metadata: []byte("{}")}
	cs.failing = true
	b := &fakeBackend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) { return openaitest.Text("Lima."), nil },
		StreamFunc: func(ctx context.Context, _ *llm.Request) (llm.Stream, error) {
			return llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("Lima.")}), nil
		}}
	srv, c := conversationServer(t, b, rs, cs)
	resp, err := c.Responses.New(context.Background(), conversationTurn("hi", false))
	if err != nil || !strings.Contains(resp.RawJSON(), `"conversation":null`) || !strings.Contains(resp.RawJSON(), `"store":true`) || rs.get(resp.ID) == nil {
		t.Fatalf("complete: %v %s", err, resp.RawJSON())
	}
	events := streamEventsOf(t, srv.URL, `{"model":"m","input":"hi","stream":true,"conversation":"conv_1"}`)
	if !strings.Contains(events["response.created"], `"conversation":{"id":"conv_1"}`) || !strings.Contains(events["response.completed"], `"conversation":null`) {
		t.Errorf("stream: created %s\ncompleted %s", events["response.created"], events["response.completed"])
	}
	cs.mu.Lock()
	cs.failing = false
	cs.mu.Unlock()
	resp, err = c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m", Store: sdk.Bool(false),
		Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("hi")}, Conversation: responses.ResponseNewParamsConversationUnion{OfString: sdk.String("conv_1")}})
	if err != nil || resp.Conversation.ID != "conv_1" || len(cs.ids("conv_1")) != 2 || rs.get(resp.ID) != nil {
		t.Errorf("store false: %v, items %v, stored %v: %s", err, cs.ids("conv_1"), rs.get(resp.ID) != nil, resp.RawJSON())
	}
}

// A stream cut by the upstream adds nothing to its conversation; its
// failed response still names it.
func TestFailedStreamAddsNothing(t *testing.T) {
	cs := newMemConversations()
	cs.convs["conv_1"] = &store.Conversation{ID: "conv_1", Metadata: []byte("{}")}
	cs.items["conv_1"] = []store.ConversationItem{earlierItem}
	b := &fakeBackend{StreamFunc: func(ctx context.Context, _ *llm.Request) (llm.Stream, error) {
		return llmtest.NewStream(ctx, append(llmtest.Chunks(openaitest.TextChunk("Hel")),
			llmtest.Event{Err: llm.Errorf(llm.KindUpstream, "the upstream cut the stream")})...), nil
	}}
	srv, _ := conversationServer(t, b, &memResponses{kept: map[string]*store.Response{}}, cs)
	events := streamEventsOf(t, srv.URL, `{"model":"m","input":"hi","stream":true,"conversation":"conv_1"}`)
	if !strings.Contains(events["response.failed"], `"conversation":{"id":"conv_1"}`) || !slices.Equal(cs.ids("conv_1"), []string{"msg_x"}) {
		t.Errorf("failed %s; the conversation holds %v", events["response.failed"], cs.ids("conv_1"))
	}
}

// A conversation deleted while a response made in it is answered: its
// items are not added (the response says conversation null), and the
// response is stored whole, as a root holding the items it was given.
func TestConversationGoneWhileAnswered(t *testing.T) {
	rs, cs := &memResponses{kept: map[string]*store.Response{}}, newMemConversations()
	cs.convs["conv_1"] = &store.Conversation{ID: "conv_1", Metadata: []byte("{}")}
	cs.items["conv_1"] = []store.ConversationItem{earlierItem}
	b := newChainBackend()
	b.between = func() {
		cs.Delete(context.Background(), "conv_1")
		rs.mu.Lock()
		rs.convGone = true
		rs.mu.Unlock()
	}
	_, c := conversationServer(t, &b.fakeBackend, rs, cs)
	resp, err := c.Responses.New(context.Background(), conversationTurn("one", false))
	if err != nil || !strings.Contains(resp.RawJSON(), `"conversation":null`) || !strings.Contains(resp.RawJSON(), `"store":true`) {
		t.Fatalf("%v %s", err, resp.RawJSON())
	}
	r := rs.get(resp.ID)
	if r == nil || r.Conversation != "" || r.Parent != "" || !slices.Equal(itemIDs(t, r.Input)[:1], []string{"msg_x"}) || len(itemIDs(t, r.Input)) != 2 {
		t.Fatalf("stored as %+v; want a root holding the conversation's item and its input", r)
	}
}
