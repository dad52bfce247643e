package openai

import (
	"context"
	"errors"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// TestSDKResponsesWebSearch checks the sim's web search with openai-go:
// the web_search_call searching the prompt with its source, then the
// message whose link a url_citation covers; streamed, the search's
// events, the annotation's, and the final response holding both items.
func TestSDKResponsesWebSearch(t *testing.T) {
	c := sdkClient(t)
	params := responses.ResponseNewParams{Model: "gpt-sim", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("Weather in Lima")},
		Tools:   []responses.ToolUnionParam{responses.ToolParamOfWebSearchPreview(responses.WebSearchPreviewToolTypeWebSearchPreview)},
		Include: []responses.ResponseIncludable{responses.ResponseIncludableWebSearchCallActionSources}}
	resp, err := c.Responses.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Output) != 2 || resp.Output[0].Type != "web_search_call" || resp.Output[1].Type != "message" {
		t.Fatalf("output %s", resp.RawJSON())
	}
	search := resp.Output[0].AsWebSearchCall().Action.AsSearch()
	if search.Type != "search" || len(search.Queries) != 1 || search.Queries[0] != "Weather in Lima" || len(search.Sources) != 1 || search.Sources[0].URL != "https://example.com/search/weather-in-lima" {
		t.Errorf("search %s", resp.Output[0].RawJSON())
	}
	part := resp.Output[1].AsMessage().Content[0]
	a := part.Annotations[0].AsURLCitation()
	if len(part.Annotations) != 1 || a.URL != search.Sources[0].URL || string([]rune(part.Text)[a.StartIndex:a.EndIndex]) != "([example.com]("+a.URL+"))" {
		t.Errorf("annotation %s of %q", a.RawJSON(), part.Text)
	}
	stream := c.Responses.NewStreaming(context.Background(), params)
	var types []string
	var final responses.Response
	for stream.Next() {
		ev := stream.Current()
		types = append(types, strings.TrimPrefix(ev.Type, "response."))
		if ev.Type == "response.completed" {
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(types, " ")
	if !strings.HasPrefix(got, "created in_progress output_item.added web_search_call.in_progress web_search_call.searching web_search_call.completed output_item.done output_item.added") ||
		!strings.Contains(got, "output_text.annotation.added output_text.done") || len(final.Output) != 2 || final.Output[1].AsMessage().Content[0].Text != part.Text {
		t.Errorf("events %s, final %s", got, final.RawJSON())
	}
}

// TestSDKAzureResponsesHosted checks Azure's v1 Responses API with
// openai-go as Azure documents it for v1 (base URL …/openai/v1/, the
// key): a web search runs as on OpenAI's; a hosted tool Azure does not
// serve (the computer tool) is a 400 at the tool.
func TestSDKAzureResponsesHosted(t *testing.T) {
	url, hc := start(t, NewAzure(testCatalog(), nil))
	c := sdk.NewClient(option.WithBaseURL(url+"/openai/v1/"), option.WithHeader("api-key", "az-key"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	params := responses.ResponseNewParams{Model: "gpt-sim", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("Weather in Lima")},
		Tools: []responses.ToolUnionParam{responses.ToolParamOfWebSearch(responses.WebSearchToolTypeWebSearch)}}
	resp, err := c.Responses.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Output) != 2 || resp.Output[0].Type != "web_search_call" || len(resp.Output[1].AsMessage().Content[0].Annotations) != 1 {
		t.Errorf("output %s", resp.RawJSON())
	}
	params.Tools = append(params.Tools, responses.ToolUnionParam{OfComputer: &responses.ComputerToolParam{}})
	_, err = c.Responses.New(context.Background(), params)
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "tools[1].type" || apiErr.Message != "Hosted tool 'computer' is not supported." {
		t.Errorf("computer tool: %v", err)
	}
}
