package openai_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/store"
)

// itemIDs returns the ids of a JSON array of items.
func itemIDs(t *testing.T, items []byte) []string {
	t.Helper()
	var its []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(items, &its); err != nil {
		t.Fatalf("items %s: %v", items, err)
	}
	ids := make([]string, len(its))
	for i, it := range its {
		ids[i] = it.ID
	}
	return ids
}

// get returns the response kept as id, or nil.
func (m *memResponses) get(id string) *store.Response {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.kept[id]
}

// chainBackend answers every request with "ok", noting how many messages
// each was sent, and runs between, when set, before answering.
type chainBackend struct {
	fakeBackend
	mu      sync.Mutex
	sent    []int
	between func()
}

func newChainBackend() *chainBackend {
	b := &chainBackend{}
	b.ChatFunc = func(_ context.Context, req *llm.Request) (*llm.Response, error) {
		b.mu.Lock()
		b.sent = append(b.sent, len(req.Messages))
		between := b.between
		b.mu.Unlock()
		if between != nil {
			between()
		}
		return openaitest.Text("ok"), nil
	}
	return b
}

// A continuation is stored with its parent and its own input only, and
// its conversation is read through its chain: continuing it sends every
// turn, and its input items list them all.
func TestContinuationStoresItsOwnItems(t *testing.T) {
	rs := &memResponses{kept: map[string]*store.Response{}}
	b := newChainBackend()
	_, c := storedServer(t, &b.fakeBackend, rs)
	prev := ""
	for i, text := range []string{"one", "two", "three"} {
		p := responses.ResponseNewParams{Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String(text)}}
		if prev != "" {
			p.PreviousResponseID = sdk.String(prev)
		}
		resp, err := c.Responses.New(context.Background(), p)
		if err != nil {
			t.Fatalf("turn %d: %v", i+1, err)
		}
		stored := rs.get(resp.ID)
		if stored == nil || stored.Parent != prev || len(itemIDs(t, stored.Input)) != 1 {
			t.Fatalf("turn %d stored as %+v; want parent %q and one input item", i+1, stored, prev)
		}
		prev = resp.ID
	}
	b.mu.Lock()
	sent := b.sent
	b.mu.Unlock()
	if want := []int{1, 3, 5}; len(sent) != 3 || sent[1] != want[1] || sent[2] != want[2] {
		t.Errorf("messages sent upstream per turn: %v, want %v", sent, want)
	}
	page, err := c.Responses.InputItems.List(context.Background(), prev, responses.InputItemListParams{Order: "asc"})
	if err != nil || len(page.Data) != 5 || page.Data[4].Role != "user" || page.Data[3].Role != "assistant" {
		t.Fatalf("input items of turn 3: %v, %s", err, page.RawJSON())
	}
}

// A continuation whose parent is erased while it is answered (expired,
// or deleted, and no other response needed it) is stored whole, as a
// root: the conversation it was given is kept, and it says "store": true.
func TestContinuationOfAnErasedParentStoredWhole(t *testing.T) {
	rs := &memResponses{kept: map[string]*store.Response{}}
	b := newChainBackend()
	_, c := storedServer(t, &b.fakeBackend, rs)
	first, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("one")}})
	if err != nil {
		t.Fatal(err)
	}
	b.between = func() { rs.Delete(context.Background(), first.ID) }
	second, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m", PreviousResponseID: sdk.String(first.ID),
		Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("two")}})
	if err != nil || !strings.Contains(second.RawJSON(), `"store":true`) {
		t.Fatalf("second turn: %v, %s", err, second.RawJSON())
	}
	stored := rs.get(second.ID)
	if stored == nil || stored.Parent != "" || len(itemIDs(t, stored.Input)) != 3 {
		t.Fatalf("second turn stored as %+v; want a root holding the three items", stored)
	}
}

// A stream cut in the middle of a chain is stored with its input only:
// the turn continuing it is sent the turns before, the cut turn's input
// and its own, never the partial answer.
func TestContinuationOfACutStreamInAChain(t *testing.T) {
	rs := &memResponses{kept: map[string]*store.Response{}}
	b := newChainBackend()
	var last []llm.Message
	b.StreamFunc = func(ctx context.Context, _ *llm.Request) (llm.Stream, error) {
		return llmtest.NewStream(ctx, append(llmtest.Chunks(openaitest.TextChunk("Hel")),
			llmtest.Event{Err: llm.Errorf(llm.KindUpstream, "the upstream cut the stream")})...), nil
	}
	chat := b.ChatFunc
	b.ChatFunc = func(ctx context.Context, req *llm.Request) (*llm.Response, error) {
		b.mu.Lock()
		last = req.Messages
		b.mu.Unlock()
		return chat(ctx, req)
	}
	_, c := storedServer(t, &b.fakeBackend, rs)
	first, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("one")}})
	if err != nil {
		t.Fatal(err)
	}
	stream := c.Responses.NewStreaming(context.Background(), responses.ResponseNewParams{Model: "m", PreviousResponseID: sdk.String(first.ID),
		Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("two")}})
	cut := ""
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.failed" {
			cut = ev.Response.ID
		}
	}
	if cut == "" || rs.get(cut) == nil || rs.get(cut).Parent != first.ID || string(rs.get(cut).Output) != "[]" {
		t.Fatalf("the cut stream %q stored as %+v; want failed, continuing %s, no output", cut, rs.get(cut), first.ID)
	}
	if _, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m", PreviousResponseID: sdk.String(cut),
		Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("three")}}); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var texts []string
	for _, m := range last {
		texts = append(texts, m.Text())
	}
	if got := strings.Join(texts, "|"); got != "one|ok|two|three" {
		t.Errorf("the third turn was sent %q, want one|ok|two|three", got)
	}
}
