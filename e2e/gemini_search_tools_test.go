package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// Gemini before 3 refuses googleSearch beside function declarations ("Tool
// use with function calling is unsupported", as its sim does): a Responses
// web_search with a function tool naming gemini-2.5-flash is the router's
// 400 on tools, with no upstream call; a Chat client's web_search_options
// beside a function tool is answered without the search, named
// dropped=web_search_options, its function tool sent alone.
func TestGeminiWebSearchBesideFunctionTools(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	before := len(tp.requests())
	params := webSearchParams("gemini-2.5-flash", "What is new in Paris today?")
	params.Tools = []responses.ToolUnionParam{{OfWebSearch: &responses.WebSearchToolParam{Type: responses.WebSearchToolTypeWebSearch}},
		responses.ToolParamOfFunction("get_weather", map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}}, false)}
	_, err := e.Client.Responses.New(ctxT(t), params)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Message, "web_search") {
		t.Errorf("err %v, want the router's 400 naming web_search", err)
	}
	if n := len(tp.requests()); n != before {
		t.Errorf("%d upstream calls, want none", n-before)
	}

	chat := openai.ChatCompletionNewParams{Model: "gemini-2.5-flash", Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
		Messages:         []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is new in Paris today?")},
		WebSearchOptions: openai.ChatCompletionNewParamsWebSearchOptions{SearchContextSize: "low"}}
	var hr *http.Response
	if _, err := e.Client.Chat.Completions.New(ctxT(t), chat, option.WithResponseInto(&hr)); err != nil {
		t.Fatal(err)
	}
	if r := hr.Header.Get("x-switchyard-route"); !strings.Contains(r, "web_search_options") {
		t.Errorf("x-switchyard-route %q does not name web_search_options dropped", r)
	}
	if got := string(tp.lastBody(t, ":")["tools"]); strings.Contains(got, "googleSearch") || !strings.Contains(got, "get_weather") {
		t.Errorf("sent tools %s, want the function tool alone", got)
	}
}
