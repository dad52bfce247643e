package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/llm"
)

// checkClaudeSearch checks a Claude web search answer in the Responses
// API's shape: the web_search_call (completed, its query, the sources
// asked for) then the message, whose url_citation annotations span the
// cited sentences of its text.
func checkClaudeSearch(t *testing.T, what string, out []responses.ResponseOutputItemUnion) {
	t.Helper()
	if len(out) != 2 || out[0].Type != "web_search_call" || out[1].Type != "message" {
		t.Fatalf("%s: output %+v", what, out)
	}
	ws := out[0].AsWebSearchCall()
	search := ws.Action.AsSearch()
	if !strings.HasPrefix(ws.ID, "ws_") || ws.Status != "completed" || search.Type != "search" || len(search.Queries) != 1 || search.Queries[0] != "What is new in Paris today?" ||
		len(search.Sources) != 2 || !strings.HasPrefix(search.Sources[0].URL, "https://search.example/") {
		t.Errorf("%s: web search call %s", what, ws.RawJSON())
	}
	msg := out[1].AsMessage()
	if len(msg.Content) != 1 || len(msg.Content[0].Annotations) != 2 {
		t.Fatalf("%s: message %s", what, msg.RawJSON())
	}
	runes := []rune(msg.Content[0].Text)
	for i, want := range []string{"The first source gives an overview.", " The second has the latest news."} {
		a := msg.Content[0].Annotations[i].AsURLCitation()
		if a.Type != "url_citation" || a.URL != search.Sources[i].URL || !strings.HasPrefix(a.Title, []string{"Overview", "Latest news"}[i]) ||
			a.EndIndex > int64(len(runes)) || a.StartIndex > a.EndIndex || string(runes[a.StartIndex:a.EndIndex]) != want {
			t.Errorf("%s: annotation %d %s of %q", what, i, a.RawJSON(), string(runes))
		}
	}
}

// A Responses client's web search on a Claude deployment runs as
// Claude's web search server tool (web_search_20250305, the allowed
// domains and the location carried over): the search comes back as a
// web_search_call item and the citations as url_citation annotations,
// complete and streamed (the search's in_progress, searching and
// completed events), the search priced in the cost.
func TestClaudeResponsesWebSearch(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	params := webSearchParams("claude-haiku-4-5", "What is new in Paris today?")
	params.Tools = []responses.ToolUnionParam{{OfWebSearch: &responses.WebSearchToolParam{Type: responses.WebSearchToolTypeWebSearch,
		Filters:      responses.WebSearchToolFiltersParam{AllowedDomains: []string{"https://paris.fr"}},
		UserLocation: responses.WebSearchToolUserLocationParam{City: openai.String("Paris"), Country: openai.String("FR")}}}}
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), params, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	checkClaudeSearch(t, "complete", resp.Output)
	body := tp.lastBody(t, "/v1/messages")
	if got, want := string(body["tools"]), `[{"type":"web_search_20250305","name":"web_search","allowed_domains":["paris.fr"],"user_location":{"type":"approximate","city":"Paris","country":"FR"}}]`; got != want {
		t.Errorf("sent tools %s, want %s", got, want)
	}
	wantCost(t, hr, (float64(resp.Usage.InputTokens)*1.00+float64(resp.Usage.OutputTokens)*5.00)/1e6+llm.WebSearchUSD)

	got, final := streamedEvents(t, e, webSearchParams("claude-haiku-4-5", "What is new in Paris today?"))
	if want := "response.output_item.added response.web_search_call.in_progress response.web_search_call.searching response.web_search_call.completed response.output_item.done"; !strings.Contains(got, want) ||
		strings.Count(got, "response.output_text.annotation.added") != 2 { // each as its sentence ends
		t.Errorf("events %s\nlack %s or two annotations", got, want)
	}
	checkClaudeSearch(t, "streamed", final.Output)
}

// A Chat Completions client's web_search_options on a Claude deployment
// runs Claude's web search: the answer's message.annotations are
// url_citation objects spanning the cited sentences, complete and
// streamed; web_search_options is not named dropped.
func TestClaudeChatWebSearch(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	params := openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is new in Paris today?")},
		WebSearchOptions: openai.ChatCompletionNewParamsWebSearchOptions{UserLocation: openai.ChatCompletionNewParamsWebSearchOptionsUserLocation{
			Approximate: openai.ChatCompletionNewParamsWebSearchOptionsUserLocationApproximate{City: openai.String("Paris")}}}}
	var hr *http.Response
	c, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if r := hr.Header.Get("x-switchyard-route"); strings.Contains(r, "web_search_options") {
		t.Errorf("x-switchyard-route %q names web_search_options", r)
	}
	if got := string(tp.lastBody(t, "/v1/messages")["tools"]); got != `[{"type":"web_search_20250305","name":"web_search","user_location":{"type":"approximate","city":"Paris"}}]` {
		t.Errorf("sent tools %s", got)
	}
	checkChatCitations(t, "complete", c.Choices[0].Message.Content, c.Choices[0].Message.Annotations)

	text, annotations := streamedChatCitations(t, e.Client.Chat.Completions.NewStreaming(ctxT(t), params))
	checkChatCitations(t, "streamed", text, annotations)
}

// streamedChatCitations reads a Chat stream to its end and returns its
// text and the url_citation annotations its deltas carried.
func streamedChatCitations(t *testing.T, stream *ssestream.Stream[openai.ChatCompletionChunk]) (string, []openai.ChatCompletionMessageAnnotation) {
	t.Helper()
	var acc openai.ChatCompletionAccumulator
	var annotations []openai.ChatCompletionMessageAnnotation
	for stream.Next() {
		ch := stream.Current()
		acc.AddChunk(ch)
		if len(ch.Choices) > 0 {
			var d struct {
				Annotations []openai.ChatCompletionMessageAnnotation `json:"annotations"`
			}
			_ = json.Unmarshal([]byte(ch.Choices[0].Delta.RawJSON()), &d)
			annotations = append(annotations, d.Annotations...)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	return acc.Choices[0].Message.Content, annotations
}

// streamedEvents streams params and returns the stream's event types,
// space-separated, and its final response.
func streamedEvents(t *testing.T, e *env, params responses.ResponseNewParams) (string, responses.Response) {
	t.Helper()
	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	var types []string
	var final responses.Response
	for stream.Next() {
		ev := stream.Current()
		types = append(types, ev.Type)
		if ev.Type == "response.completed" {
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(types, " "), final
}

// resendSearch asks model for a web search, then sends its output back
// as input (as Codex does, storing nothing) with a follow-up question,
// which must be answered 200.
func resendSearch(t *testing.T, e *env, model string) {
	t.Helper()
	first, err := e.Client.Responses.New(ctxT(t), webSearchParams(model, "What is new in Paris today?"))
	if err != nil {
		t.Fatal(err)
	}
	input := []json.RawMessage{json.RawMessage(`{"role":"user","content":"What is new in Paris today?"}`)}
	for _, it := range first.Output {
		input = append(input, json.RawMessage(it.RawJSON()))
	}
	input = append(input, json.RawMessage(`{"role":"user","content":"And in Lyon?"}`))
	body, _ := json.Marshal(map[string]any{"model": model, "input": input, "tools": []any{map[string]string{"type": "web_search"}}})
	if res, out := post(t, e.URL+"/v1/responses", "demo-key", body); res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, out)
	}
}

// checkChatCitations checks a Chat answer's annotations: two url_citation
// objects spanning the two cited sentences of text.
func checkChatCitations(t *testing.T, what, text string, list []openai.ChatCompletionMessageAnnotation) {
	t.Helper()
	checkCitationSpans(t, what, text, list, "https://search.example/", []string{"The first source gives an overview.", " The second has the latest news."})
}

// checkCitationSpans checks that list holds one url_citation per cited
// span of text, in order, each with a URL under prefix.
func checkCitationSpans(t *testing.T, what, text string, list []openai.ChatCompletionMessageAnnotation, prefix string, cited []string) {
	t.Helper()
	runes := []rune(text)
	if len(list) != len(cited) {
		t.Fatalf("%s: annotations %+v of %q", what, list, text)
	}
	for i, want := range cited {
		a := list[i].URLCitation
		if list[i].Type != "url_citation" || !strings.HasPrefix(a.URL, prefix) || a.EndIndex > int64(len(runes)) || a.StartIndex > a.EndIndex ||
			string(runes[a.StartIndex:a.EndIndex]) != want {
			t.Errorf("%s: annotation %d %+v of %q", what, i, a, text)
		}
	}
}

// A Responses client that sends a Claude web search's output back as
// input (as Codex does, storing nothing) continues on Claude: the
// web_search_call item is not Claude's to read and is left out; the
// answer's text goes back as the assistant's turn.
func TestClaudeResponsesWebSearchResent(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	resendSearch(t, e, "claude-haiku-4-5")
	var sent []map[string]json.RawMessage
	if err := json.Unmarshal(tp.lastBody(t, "/v1/messages")["messages"], &sent); err != nil || len(sent) != 3 || strings.Contains(string(sent[1]["content"]), "web_search_call") {
		t.Errorf("sent messages %s (%v)", tp.lastBody(t, "/v1/messages")["messages"], err)
	}
}
