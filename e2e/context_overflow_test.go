package e2e

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
)

// A prompt too long for every candidate's context window is a 400 the
// clients recognize as such, whichever upstream refused it last: code
// context_length_exceeded for the OpenAI SDKs, and for the Anthropic ones
// the API's own words, "prompt is too long: N tokens > M maximum", which
// is all the Messages API says about it and what agents such as Claude
// Code read (and parse) to compact the conversation and retry.
func TestContextOverflowInEachAPIsWords(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	tooLong := regexp.MustCompile(`^prompt is too long: (\d+) tokens > (\d+) maximum`)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			_, err := c.Messages.New(ctxT(t), userMessage(dep, "Summarize this [[sim:context_length]]", 100))
			var ae *sdk.Error
			if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Type() != "invalid_request_error" {
				t.Fatalf("want a 400 invalid_request_error, got %v", err)
			}
			var body struct{ Error struct{ Message string } }
			if err := json.Unmarshal([]byte(ae.RawJSON()), &body); err != nil {
				t.Fatal(err)
			}
			m := tooLong.FindStringSubmatch(body.Error.Message)
			if m == nil {
				t.Fatalf("message %q does not begin as Anthropic's does", body.Error.Message)
			}
			if n, max := atoi(m[1]), atoi(m[2]); n <= max {
				t.Errorf("%d tokens > %d maximum", n, max)
			}
			_, err = e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Summarize this [[sim:context_length]]")}})
			var oe *openai.Error
			if !errors.As(err, &oe) || oe.StatusCode != 400 || oe.Code != "context_length_exceeded" || oe.Param != "messages" {
				t.Errorf("OpenAI endpoint: want a 400 context_length_exceeded, got %v", err)
			}
		})
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
