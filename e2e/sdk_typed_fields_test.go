package e2e

import (
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
)

// TestSDKChatFieldsPopulated reads, through openai-go, every field of a
// Chat Completion and of its stream that the API reference marks
// required — id, object, created, model, the choice's role and finish,
// the usage — on every wire format, OpenAI's Responses API (gpt-5.3-codex)
// included: a client reads `created` as a time, and 0 is 1970. The
// Responses API upstream answered created 0, complete and streamed.
func TestSDKChatFieldsPopulated(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	params := func(dep string) openai.ChatCompletionNewParams {
		return openai.ChatCompletionNewParams{Model: dep, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Name a river.")},
			StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}}
	}
	for _, dep := range append(chatDeployments, "gpt-5.3-codex") {
		t.Run(dep, func(t *testing.T) {
			t.Parallel()
			p := params(dep)
			p.StreamOptions = openai.ChatCompletionStreamOptionsParam{}
			res, err := e.Client.Chat.Completions.New(ctxT(t), p)
			if err != nil {
				t.Fatal(err)
			}
			checkCompletionFields(t, "complete", res)

			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params(dep))
			defer stream.Close()
			var acc openai.ChatCompletionAccumulator
			for stream.Next() {
				ch := stream.Current()
				if ch.Object != "chat.completion.chunk" || ch.ID == "" || !recent(ch.Created) || ch.Model == "" {
					t.Errorf("chunk id %q object %q created %d model %q", ch.ID, ch.Object, ch.Created, ch.Model)
				}
				acc.AddChunk(ch)
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			acc.Object = "chat.completion" // the accumulator keeps the chunks' object
			checkCompletionFields(t, "streamed", &acc.ChatCompletion)
		})
	}
}

// recent reports whether a Unix time is within a day of now.
func recent(unix int64) bool {
	return time.Since(time.Unix(unix, 0)).Abs() < 24*time.Hour
}

func checkCompletionFields(t *testing.T, how string, res *openai.ChatCompletion) {
	t.Helper()
	if res.ID == "" || res.Object != "chat.completion" || !recent(res.Created) || res.Model == "" {
		t.Errorf("%s: id %q object %q created %d (%s) model %q", how, res.ID, res.Object, res.Created,
			time.Unix(res.Created, 0).UTC().Format(time.DateOnly), res.Model)
	}
	if len(res.Choices) != 1 {
		t.Fatalf("%s: %d choices", how, len(res.Choices))
	}
	c := res.Choices[0]
	if c.Index != 0 || c.Message.Role != "assistant" || c.Message.Content == "" || c.FinishReason != "stop" {
		t.Errorf("%s: choice %+v", how, c)
	}
	u := res.Usage
	if u.PromptTokens <= 0 || u.CompletionTokens <= 0 || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("%s: usage %+v", how, u)
	}
}
