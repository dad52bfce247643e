package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/sim"
	simgemini "switchyard/sim/gemini"
)

// A Gemini deployment's grounded answer (here a model that shows its
// thought summary, includeThoughts) to a Responses client, streamed,
// is laid out as OpenAI lays out a web search: any reasoning first, then
// the web_search_call item, then the message; each item is added,
// worked on and done at one output_index, its place in the final
// response's output, and no item is added before the one ahead of it;
// a complete answer's output is in the same order.
func TestGeminiResponsesWebSearchOrder(t *testing.T) {
	t.Parallel()
	gem := httptest.NewServer(simgemini.New(sim.NewCatalog(sim.Profile{Model: "gemini-2.5-flash", Reasoning: true}), nil))
	t.Cleanup(gem.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["gem-think"] = &config.Provider{Name: "gem-think", Kind: config.KindGemini, BaseURL: gem.URL, APIKey: "sim"}
		c.Deployments["gem-think"] = &config.Deployment{Name: "gem-think", Provider: "gem-think", Model: "gemini-2.5-flash"}
	})
	for _, reason := range []bool{false, true} {
		params := webSearchParams("gem-think", "What is new in Paris today?")
		want := "web_search_call message"
		if reason {
			params.Reasoning = shared.ReasoningParam{Effort: shared.ReasoningEffortMedium, Summary: shared.ReasoningSummaryAuto}
			want = "reasoning web_search_call message"
		}
		if got := streamedItems(t, e, params); got != want {
			t.Errorf("reasoning %v: streamed %s, want %s", reason, got, want)
		}
		complete, err := e.Client.Responses.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		if got := itemTypes(complete.Output); got != want {
			t.Errorf("reasoning %v: complete output %s, want %s", reason, got, want)
		}
	}
}

// streamedItems streams params and returns the final response's item
// types, checking that each item was added at its place in that output,
// after the items ahead of it, and that every event of an item names
// that place.
func streamedItems(t *testing.T, e *env, params responses.ResponseNewParams) string {
	t.Helper()
	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	added := map[string]int64{} // item id → output_index
	var events []responses.ResponseStreamEventUnion
	var final responses.Response
	for stream.Next() {
		ev := stream.Current()
		events = append(events, ev)
		switch ev.Type {
		case "response.output_item.added":
			if ev.OutputIndex != int64(len(added)) {
				t.Errorf("item %s added at %d after %d items", ev.Item.ID, ev.OutputIndex, len(added))
			}
			added[ev.Item.ID] = ev.OutputIndex
		case "response.completed":
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	for i, it := range final.Output {
		if at, ok := added[it.ID]; !ok || at != int64(i) {
			t.Errorf("final output[%d] %s %s was added at %d (%v)", i, it.Type, it.ID, at, ok)
		}
	}
	for _, ev := range events {
		if at, ok := added[ev.ItemID]; ev.ItemID != "" && (!ok || at != ev.OutputIndex) {
			t.Errorf("%s of %s at output_index %d, its item is at %d (%v)", ev.Type, ev.ItemID, ev.OutputIndex, at, ok)
		}
	}
	if len(added) != len(final.Output) {
		t.Errorf("%d items added, %d in the final output", len(added), len(final.Output))
	}
	return itemTypes(final.Output)
}

// itemTypes is the types of output's items, space-separated.
func itemTypes(output []responses.ResponseOutputItemUnion) string {
	types := make([]string, len(output))
	for i, it := range output {
		types[i] = it.Type
	}
	return strings.Join(types, " ")
}
