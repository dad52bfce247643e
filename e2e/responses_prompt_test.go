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

// promptParams asks route for the stored prompt pmpt_1 with a city, and
// compaction past 2000 tokens; no input, no instructions.
func promptParams(route string) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: route,
		Prompt: responses.ResponsePromptParam{ID: "pmpt_1", Version: openai.String("2"),
			Variables: map[string]responses.ResponsePromptVariableUnionParam{"city": {OfString: openai.String("Paris")}}},
		ContextManagement: []responses.ResponseNewParamsContextManagement{{Type: "compaction", CompactThreshold: openai.Int(2000)}}}
}

// A stored prompt and context_management go, as the client wrote them,
// to an OpenAI deployment called on the Responses API (the Claude
// deployment first in the route is skipped; GPT-4o mini, api auto, is
// called on the Responses API for this request), the prompt standing for
// the input (the sim renders its variables); complete and streamed. A
// route with no deployment calling the Responses API answers 400 at
// prompt.
func TestResponsesStoredPrompt(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, hostedEdit)
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), promptParams("search"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if d := hr.Header.Get("x-switchyard-deployment"); d != "gpt-4o-mini" {
		t.Errorf("served by %q", d)
	}
	if !strings.Contains(resp.OutputText(), "city: Paris") {
		t.Errorf("answer %q does not use the prompt's variables", resp.OutputText())
	}
	upstreamResponses(t, tp)
	body := tp.lastBody(t, "/v1/responses")
	if compact(t, string(body["prompt"])) != `{"id":"pmpt_1","variables":{"city":"Paris"},"version":"2"}` ||
		compact(t, string(body["context_management"])) != `[{"compact_threshold":2000,"type":"compaction"}]` || body["input"] != nil {
		t.Errorf("sent prompt %s context_management %s input %s", body["prompt"], body["context_management"], body["input"])
	}

	stream := e.Client.Responses.NewStreaming(ctxT(t), promptParams("search"))
	var final responses.Response
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.completed" {
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if final.OutputText() != resp.OutputText() {
		t.Errorf("streamed %q, complete %q", final.OutputText(), resp.OutputText())
	}

	_, err = e.Client.Responses.New(ctxT(t), promptParams("chat-only"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "prompt" || !strings.Contains(apiErr.Message, "a stored prompt and context_management") {
		t.Errorf("chat-only route: %v", err)
	}
}
