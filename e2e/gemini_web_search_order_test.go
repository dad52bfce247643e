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
		if reason {
			params.Reasoning = shared.ReasoningParam{Effort: shared.ReasoningEffortMedium, Summary: shared.ReasoningSummaryAuto}
		}
		stream := e.Client.Responses.NewStreaming(ctxT(t), params)
		added := map[string]int64{} // item id → output_index
		var order []string
		var events []responses.ResponseStreamEventUnion
		var final responses.Response
		for stream.Next() {
			ev := stream.Current()
			events = append(events, ev)
			switch ev.Type {
			case "response.output_item.added":
				if ev.OutputIndex != int64(len(order)) {
					t.Errorf("reasoning %v: item %s added at %d after %d items", reason, ev.Item.ID, ev.OutputIndex, len(order))
				}
				added[ev.Item.ID] = ev.OutputIndex
				order = append(order, ev.Item.Type)
			case "response.completed":
				final = ev.Response
			}
		}
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
		var types []string
		for i, it := range final.Output {
			types = append(types, it.Type)
			if at, ok := added[it.ID]; !ok || at != int64(i) {
				t.Errorf("reasoning %v: final output[%d] %s %s was added at %d (%v)", reason, i, it.Type, it.ID, at, ok)
			}
		}
		want := "web_search_call message"
		if reason {
			want = "reasoning web_search_call message"
		}
		complete, err := e.Client.Responses.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		var whole []string
		for _, it := range complete.Output {
			whole = append(whole, it.Type)
		}
		if got := strings.Join(whole, " "); got != want {
			t.Errorf("reasoning %v: complete output %s, want %s", reason, got, want)
		}
		if got := strings.Join(types, " "); got != want || strings.Join(order, " ") != want {
			t.Errorf("reasoning %v: output %s, added %v; want %s", reason, got, order, want)
		}
		for _, ev := range events {
			if ev.ItemID == "" {
				continue
			}
			if at, ok := added[ev.ItemID]; !ok || at != ev.OutputIndex {
				t.Errorf("reasoning %v: %s of %s at output_index %d, its item is at %d (%v)", reason, ev.Type, ev.ItemID, ev.OutputIndex, at, ok)
			}
		}
	}
}
