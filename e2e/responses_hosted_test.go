package e2e

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
)

// hostedEdit adds the routes of the hosted tools' tests: "search", a
// deployment on Chat Completions first (mini-chat: it serves no hosted
// tool), then GPT-4o mini (api auto: Chat Completions by its model, the
// Responses API for a request with hosted tools); "chat-only",
// deployments none of which calls the Responses API (nor is Claude or
// Gemini, which serve web search as their own).
func hostedEdit(c *config.Config) {
	c.Routes["search"] = &config.Route{Name: "search", Deployments: []string{"mini-chat", "gpt-4o-mini"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	mini := *c.Deployments["gpt-4o-mini"]
	mini.Name, mini.API = "mini-chat", config.APIChatCompletions
	c.Deployments["mini-chat"] = &mini
	c.Routes["chat-only"] = &config.Route{Name: "chat-only", Deployments: []string{"mini-chat", "azure-gpt-4o-mini"}}
}

// webSearchParams asks route for a web search with the sources.
func webSearchParams(route, prompt string) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: route,
		Input:   responses.ResponseNewParamsInputUnion{OfString: openai.String(prompt)},
		Tools:   []responses.ToolUnionParam{responses.ToolParamOfWebSearch(responses.WebSearchToolTypeWebSearch)},
		Include: []responses.ResponseIncludable{responses.ResponseIncludableWebSearchCallActionSources}}
}

// checkWebSearch checks a web search answer's output: the search call
// (its action, the source) then the message citing it.
func checkWebSearch(t *testing.T, what string, out []responses.ResponseOutputItemUnion) {
	t.Helper()
	if len(out) != 2 || out[0].Type != "web_search_call" || out[1].Type != "message" {
		t.Fatalf("%s: output %+v", what, out)
	}
	ws := out[0].AsWebSearchCall()
	search := ws.Action.AsSearch()
	if !strings.HasPrefix(ws.ID, "ws_") || ws.Status != "completed" || len(search.Queries) != 1 || search.Queries[0] != "What is the weather in Paris today?" ||
		len(search.Sources) != 1 || !strings.HasPrefix(search.Sources[0].URL, "https://example.com/search/what-is-the-weather") {
		t.Errorf("%s: web search call %s", what, ws.RawJSON())
	}
	msg := out[1].AsMessage()
	if len(msg.Content) != 1 || len(msg.Content[0].Annotations) != 1 {
		t.Fatalf("%s: message %s", what, msg.RawJSON())
	}
	text, a := msg.Content[0].Text, msg.Content[0].Annotations[0].AsURLCitation()
	runes := []rune(text)
	if a.Type != "url_citation" || a.URL != search.Sources[0].URL || a.EndIndex != int64(len(runes)) ||
		!strings.Contains(string(runes[a.StartIndex:a.EndIndex]), a.URL) {
		t.Errorf("%s: annotation %s of %q", what, a.RawJSON(), text)
	}
}

// A Responses client's web search is served by an OpenAI deployment on
// the Responses API (the Chat Completions deployment first in the route
// is skipped), sent the tool and the include as the client wrote them; the
// search call and the cited answer come back complete and streamed (the
// search's events renumbered, the stream's final response the same as
// its items); a route with no deployment calling the Responses API
// answers 400 at tools[0].type.
func TestResponsesHostedWebSearch(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, hostedEdit)
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), webSearchParams("search", "What is the weather in Paris today?"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if d := hr.Header.Get("x-switchyard-deployment"); d != "gpt-4o-mini" {
		t.Errorf("served by %q", d)
	}
	checkWebSearch(t, "complete", resp.Output)
	wantCost(t, hr, miniCost(resp.Usage)+llm.WebSearchUSD)
	upstreamResponses(t, tp)
	body := tp.lastBody(t, "/v1/responses")
	if string(body["tools"]) != `[{"type":"web_search"}]` || string(body["include"]) != `["web_search_call.action.sources"]` {
		t.Errorf("sent tools %s include %s", body["tools"], body["include"])
	}

	stream := e.Client.Responses.NewStreaming(ctxT(t), webSearchParams("search", "What is the weather in Paris today?"))
	var types []string
	var done []responses.ResponseOutputItemUnion
	var final responses.Response
	for stream.Next() {
		ev := stream.Current()
		types = append(types, ev.Type)
		switch ev.Type {
		case "response.web_search_call.searching":
			if ev.OutputIndex != 0 || !strings.HasPrefix(ev.ItemID, "ws_") {
				t.Errorf("searching event %s", ev.RawJSON())
			}
		case "response.output_item.done":
			done = append(done, ev.Item)
		case "response.completed":
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(types, " ")
	for _, want := range []string{"response.output_item.added response.web_search_call.in_progress response.web_search_call.searching response.web_search_call.completed response.output_item.done",
		"response.output_text.annotation.added response.output_text.done"} {
		if !strings.Contains(got, want) {
			t.Errorf("events %s\nlack %s", got, want)
		}
	}
	checkWebSearch(t, "streamed", final.Output)
	var usage struct {
		Cost float64 `json:"cost"`
	}
	if err := json.Unmarshal([]byte(final.Usage.RawJSON()), &usage); err != nil || math.Abs(usage.Cost-(miniCost(final.Usage)+llm.WebSearchUSD)) > 1e-12 {
		t.Errorf("streamed usage %s: want the search priced in its cost (%v)", final.Usage.RawJSON(), err)
	}
	checkWebSearch(t, "items done", done)
	for i := range done {
		if a, b := compact(t, done[i].RawJSON()), compact(t, final.Output[i].RawJSON()); a != b {
			t.Errorf("item %d done %s, final %s", i, a, b)
		}
	}

	_, err = e.Client.Responses.New(ctxT(t), webSearchParams("chat-only", "What is the weather in Paris today?"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "tools[0].type" ||
		!strings.Contains(apiErr.Message, "mini-chat does not serve OpenAI's hosted tools") || !strings.Contains(apiErr.Message, "only OpenAI deployments called on the Responses API") {
		t.Errorf("chat-only route: %v", err)
	}
}

// miniCost is the cost of u's tokens on gpt-4o-mini.
func miniCost(u responses.ResponseUsage) float64 {
	d := llm.Deployment{InputPricePerM: 0.15, OutputPricePerM: 0.60, CachedInputPricePerM: 0.075}
	return d.Cost(llm.Usage{PromptTokens: int(u.InputTokens), CachedPromptTokens: int(u.InputTokensDetails.CachedTokens),
		CompletionTokens: int(u.OutputTokens), TotalTokens: int(u.TotalTokens)})
}

// compact is raw JSON compacted.
func compact(t *testing.T, raw string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// A stored web search answer is continued (previous_response_id): the
// search call goes back to the OpenAI deployment in place, under
// OpenAI's id, before the answer that cited it; a continuation on a route
// with no deployment calling the Responses API is a 400, not the search
// silently dropped. The code interpreter runs there too, its code and
// logs back as OpenAI wrote them, its code streamed in its own events.
func TestResponsesHostedContinuation(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), hostedEdit)
	params := webSearchParams("search", "What is the weather in Paris today?")
	params.Store = openai.Bool(true)
	first, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	checkWebSearch(t, "first", first.Output)
	next := webSearchParams("search", "And tomorrow?")
	next.PreviousResponseID = openai.String(first.ID)
	if _, err := e.Client.Responses.New(ctxT(t), next); err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Input []json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal([]byte(ul.last(t, "openai")), &sent); err != nil {
		t.Fatal(err)
	}
	if len(sent.Input) != 4 || compact(t, string(sent.Input[1])) != compact(t, first.Output[0].RawJSON()) || !strings.Contains(string(sent.Input[2]), `"role":"assistant"`) {
		t.Errorf("continuation sent %s", sent.Input)
	}
	bare := responses.ResponseNewParams{Model: "chat-only", PreviousResponseID: openai.String(first.ID),
		Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("And tomorrow?")}}
	_, err = e.Client.Responses.New(ctxT(t), bare)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "does not serve OpenAI's hosted tools") {
		t.Errorf("continuation on chat-only: %v", err)
	}

	code := responses.ResponseNewParams{Model: "search", Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("How long is this question?")},
		Tools:   []responses.ToolUnionParam{responses.ToolParamOfCodeInterpreter(responses.ToolCodeInterpreterContainerCodeInterpreterContainerAutoParam{})},
		Include: []responses.ResponseIncludable{responses.ResponseIncludableCodeInterpreterCallOutputs}}
	var hr *http.Response
	ci, err := e.Client.Responses.New(ctxT(t), code, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	call := ci.Output[0].AsCodeInterpreterCall()
	if ci.Output[0].Type != "code_interpreter_call" || !strings.HasPrefix(call.ContainerID, "cntr_") || !strings.Contains(call.Code, "print(len(") ||
		len(call.Outputs) != 1 || call.Outputs[0].AsLogs().Logs != "26\n" {
		t.Errorf("code interpreter call %s", ci.Output[0].RawJSON())
	}
	wantCost(t, hr, miniCost(ci.Usage)+llm.ContainerSessionUSD)
	stream := e.Client.Responses.NewStreaming(ctxT(t), code)
	var types []string
	for stream.Next() {
		ev := stream.Current()
		types = append(types, strings.TrimPrefix(ev.Type, "response."))
		if ev.Type == "response.code_interpreter_call_code.done" && ev.Code != call.Code {
			t.Errorf("code done %s", ev.RawJSON())
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(types, " "), "output_item.added code_interpreter_call.in_progress code_interpreter_call_code.delta code_interpreter_call_code.done "+
		"code_interpreter_call.interpreting code_interpreter_call.completed output_item.done"; !strings.Contains(got, want) {
		t.Errorf("events %s\nlack %s", got, want)
	}
}
