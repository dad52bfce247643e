package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
)

// A stream from an Azure deployment reaches an openai-go client as
// OpenAI streams, under Azure's default content filter and under its
// Asynchronous Filter, whole and cut by the filter: every chunk of the
// answer's id and model, none with Azure's annotations or an annotation
// chunk's empty choice, the answer's text and one finish_reason.
func TestAzureStreamAnnotationsStayBehind(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, prompt := range []string{"Say hello.", "Tell me a story. [[sim:content_filter_output]]",
		"[[sim:async_filter]] Say hello.", "[[sim:async_filter]] Tell me a story. [[sim:content_filter_output]]"} {
		s := e.Client.Chat.Completions.NewStreaming(ctxT(t), ask("azure-gpt-4o-mini", prompt))
		var acc openai.ChatCompletionAccumulator
		var finishes []string
		id := ""
		for s.Next() {
			ch := s.Current()
			acc.AddChunk(ch)
			if id == "" {
				id = ch.ID
			}
			if raw := ch.RawJSON(); ch.ID == "" || ch.ID != id || ch.Model == "" || strings.Contains(raw, "content_filter_") {
				t.Errorf("%s: chunk %s in a stream of %q", prompt, raw, id)
			}
			for _, c := range ch.Choices {
				if c.FinishReason != "" {
					finishes = append(finishes, c.FinishReason)
				} else if c.Delta.Role == "" && c.Delta.Content == "" && c.Delta.Refusal == "" && len(c.Delta.ToolCalls) == 0 {
					t.Errorf("%s: an empty choice: %s", prompt, ch.RawJSON())
				}
			}
		}
		if err := s.Err(); err != nil {
			t.Fatalf("%s: %v", prompt, err)
		}
		want := "stop"
		if strings.Contains(prompt, "content_filter_output") {
			want = "content_filter"
		}
		if len(finishes) != 1 || finishes[0] != want || len(acc.Choices) != 1 || acc.Choices[0].Message.Content == "" {
			t.Errorf("%s: finishes %v, answer %+v; want [%s] and text", prompt, finishes, acc.Choices, want)
		}
	}
}
