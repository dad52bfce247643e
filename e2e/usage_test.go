package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
)

// Cached prompt tokens and reasoning tokens reach the client in OpenAI's
// usage fields whatever the upstream's wire format.
func TestUsageDetailsAreMappedFromEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	long := strings.Repeat("The quick brown fox jumps over the lazy dog. ", 600) // ~6,700 tokens
	t.Run("cached tokens", func(t *testing.T) {
		for _, dep := range []string{"gpt-4o-mini", "azure-gpt-4o-mini", "gemini-2.5-flash"} {
			params := openai.ChatCompletionNewParams{
				Model: dep,
				Messages: []openai.ChatCompletionMessageParamUnion{
					openai.SystemMessage(long),
					openai.UserMessage("Summarize the text above."),
				},
			}
			first, err := e.Client.Chat.Completions.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			second, err := e.Client.Chat.Completions.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			if first.Usage.PromptTokensDetails.CachedTokens != 0 {
				t.Errorf("%s: first call reports %d cached tokens", dep, first.Usage.PromptTokensDetails.CachedTokens)
			}
			c := second.Usage.PromptTokensDetails.CachedTokens
			if c < 1024 || c > second.Usage.PromptTokens {
				t.Errorf("%s: second call cached %d of %d prompt tokens", dep, c, second.Usage.PromptTokens)
			}
		}
	})
	t.Run("reasoning tokens", func(t *testing.T) {
		for _, dep := range []string{"o3-mini", "gemini-2.5-pro"} {
			resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
				Model:    dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("If 3x + 5 = 20, what is x?")},
			})
			if err != nil {
				t.Fatal(err)
			}
			u := resp.Usage
			r := u.CompletionTokensDetails.ReasoningTokens
			if r == 0 || r >= u.CompletionTokens || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
				t.Errorf("%s: usage %+v", dep, u)
			}
		}
	})
}
