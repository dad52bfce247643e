package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// geminiCited are the sentences the Gemini sim's grounded answer cites
// (sim/gemini/search.go), each after a multi-byte character, so an
// annotation indexing bytes instead of characters spans the wrong text;
// the second cites both pages.
var geminiCited = []string{"the Louvre opens late on Fridays.", "Métro line 14 now reaches Orly.", "Métro line 14 now reaches Orly."}

// checkGeminiSearch checks a Gemini web search answer in the Responses
// API's shape: the web_search_call (completed, Gemini's query) then the
// message, whose url_citation annotations span the cited sentences.
func checkGeminiSearch(t *testing.T, what string, out []responses.ResponseOutputItemUnion) {
	t.Helper()
	if len(out) != 2 || out[0].Type != "web_search_call" || out[1].Type != "message" {
		t.Fatalf("%s: output %+v", what, out)
	}
	ws := out[0].AsWebSearchCall()
	search := ws.Action.AsSearch()
	if !strings.HasPrefix(ws.ID, "ws_") || ws.Status != "completed" || search.Type != "search" || len(search.Queries) != 1 || search.Queries[0] != "What is new in Paris today?" {
		t.Errorf("%s: web search call %s", what, ws.RawJSON())
	}
	msg := out[1].AsMessage()
	if len(msg.Content) != 1 || len(msg.Content[0].Annotations) != len(geminiCited) {
		t.Fatalf("%s: message %s", what, msg.RawJSON())
	}
	runes := []rune(msg.Content[0].Text)
	for i, want := range geminiCited {
		a := msg.Content[0].Annotations[i].AsURLCitation()
		if a.Type != "url_citation" || !strings.HasPrefix(a.URL, "https://vertexaisearch.cloud.google.com/") || a.Title == "" ||
			a.EndIndex > int64(len(runes)) || a.StartIndex > a.EndIndex || string(runes[a.StartIndex:a.EndIndex]) != want {
			t.Errorf("%s: annotation %d %s of %q", what, i, a.RawJSON(), string(runes))
		}
	}
}

// A Responses client's web search on a Gemini deployment runs as Grounding
// with Google Search (tools: [{"googleSearch": {}}]): the search comes
// back as a web_search_call item before the message and the grounding
// supports as url_citation annotations whose indices count characters
// (Gemini's count UTF-8 bytes), complete and streamed; the user location,
// which googleSearch does not take, is named dropped.
func TestGeminiResponsesWebSearch(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	params := webSearchParams("gemini-2.5-flash", "What is new in Paris today?")
	params.Tools = []responses.ToolUnionParam{{OfWebSearch: &responses.WebSearchToolParam{Type: responses.WebSearchToolTypeWebSearch,
		UserLocation: responses.WebSearchToolUserLocationParam{City: openai.String("Paris")}}}}
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), params, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	checkGeminiSearch(t, "complete", resp.Output)
	if got := string(tp.lastBody(t, ":")["tools"]); got != `[{"googleSearch":{}}]` {
		t.Errorf("sent tools %s", got)
	}
	if r := hr.Header.Get("x-switchyard-route"); !strings.Contains(r, "dropped=web_search.user_location") {
		t.Errorf("x-switchyard-route %q does not name the user location dropped", r)
	}

	got, final := streamedEvents(t, e, webSearchParams("gemini-2.5-flash", "What is new in Paris today?"))
	if want := "response.output_item.added response.web_search_call.in_progress response.web_search_call.searching"; !strings.Contains(got, want) ||
		!strings.Contains(got, "response.web_search_call.completed") || strings.Count(got, "response.output_text.annotation.added") != len(geminiCited) {
		t.Errorf("events %s\nlack %s, the search's completion or the annotations", got, want)
	}
	checkGeminiSearch(t, "streamed", final.Output)
}

// A web search restricted to some sites is refused on a Gemini
// deployment: googleSearch takes no domain filter, and searching the
// whole web instead would not be what the client asked.
func TestGeminiWebSearchAllowedDomainsRefused(t *testing.T) {
	t.Parallel()
	e, _ := newTapEnv(t, nil)
	params := webSearchParams("gemini-2.5-flash", "What is new in Paris today?")
	params.Tools = []responses.ToolUnionParam{{OfWebSearch: &responses.WebSearchToolParam{Type: responses.WebSearchToolTypeWebSearch,
		Filters: responses.WebSearchToolFiltersParam{AllowedDomains: []string{"paris.fr"}}}}}
	_, err := e.Client.Responses.New(ctxT(t), params)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Param, "allowed_domains") {
		t.Errorf("err %v, want a 400 naming allowed_domains", err)
	}
}

// A Chat Completions client's web_search_options on a Gemini deployment
// runs Grounding with Google Search: the answer's message.annotations
// are url_citation objects spanning the cited sentences in characters,
// complete and streamed; web_search_options is not named dropped.
func TestGeminiChatWebSearch(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	params := openai.ChatCompletionNewParams{Model: "gemini-2.5-flash", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is new in Paris today?")},
		WebSearchOptions: openai.ChatCompletionNewParamsWebSearchOptions{SearchContextSize: "low"}}
	var hr *http.Response
	c, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if r := hr.Header.Get("x-switchyard-route"); strings.Contains(r, "web_search_options") || !strings.Contains(r, "dropped=web_search.search_context_size") {
		t.Errorf("x-switchyard-route %q names web_search_options, or not the context size dropped", r)
	}
	if got := string(tp.lastBody(t, ":")["tools"]); got != `[{"googleSearch":{}}]` {
		t.Errorf("sent tools %s", got)
	}
	checkGeminiChatCitations(t, "complete", c.Choices[0].Message.Content, c.Choices[0].Message.Annotations)

	text, annotations := streamedChatCitations(t, e.Client.Chat.Completions.NewStreaming(ctxT(t), params))
	checkGeminiChatCitations(t, "streamed", text, annotations)
}

func checkGeminiChatCitations(t *testing.T, what, text string, list []openai.ChatCompletionMessageAnnotation) {
	t.Helper()
	checkCitationSpans(t, what, text, list, "https://vertexaisearch.cloud.google.com/", geminiCited)
}

// A Responses client that sends a Gemini web search's output back as
// input continues on Gemini: the web_search_call item is not Gemini's to
// read and is left out; the answer's text goes back as the model's turn.
func TestGeminiResponsesWebSearchResent(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	resendSearch(t, e, "gemini-2.5-flash")
	var sent []map[string]json.RawMessage
	if err := json.Unmarshal(tp.lastBody(t, ":")["contents"], &sent); err != nil || len(sent) != 3 || strings.Contains(string(sent[1]["parts"]), "web_search_call") ||
		!strings.Contains(string(sent[1]["parts"]), "Louvre") {
		t.Errorf("sent contents %s (%v)", tp.lastBody(t, ":")["contents"], err)
	}
}
