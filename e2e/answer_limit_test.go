package e2e

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider/providertest"
	"switchyard/record"
)

// longAnswer is the answer of the upstream of TestConfiguredAnswerLimit:
// 96 KiB of text in 4 KiB pieces, past the 64 KiB its router may hold.
var longAnswer = strings.Repeat(strings.Repeat("x", 4<<10), 24)

// server.max_answer_bytes bounds what the router holds whole at the
// configured value: a complete answer on every endpoint and a streamed or
// background Responses answer fail with answer_too_large (recorded so),
// while a Chat Completions stream, relayed chunk by chunk, is relayed
// whole. With the default limit (32 MiB) every one of these answers.
func TestConfiguredAnswerLimit(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		f := providertest.OpenAI
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, f.Start)
		for range len(longAnswer) / (4 << 10) {
			io.WriteString(w, f.Text(longAnswer[:4<<10]))
		}
		io.WriteString(w, f.Finish+f.End)
	}))
	t.Cleanup(up.Close)
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Server.MaxAnswerBytes = 64 << 10
		c.Providers["long"] = &config.Provider{Name: "long", Kind: config.KindOpenAI, BaseURL: up.URL + "/v1", APIKey: "sk-long"}
		c.Deployments["long"] = &config.Deployment{Name: "long", Provider: "long", Model: "long-model", API: config.APIChatCompletions}
	})
	const limit = "limit of 65536 bytes"
	ask := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a long answer.")}

	t.Run("chat", func(t *testing.T) {
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "long", Messages: ask})
		var ae *openai.Error
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway || ae.Code != llm.CodeAnswerTooLarge || !strings.Contains(ae.Message, limit) {
			t.Fatalf("err %v, want a 502 %s naming the %s", err, llm.CodeAnswerTooLarge, limit)
		}
	})
	t.Run("chat streamed", func(t *testing.T) {
		s := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{Model: "long", Messages: ask})
		var acc openai.ChatCompletionAccumulator
		for s.Next() {
			acc.AddChunk(s.Current())
		}
		if err := s.Err(); err != nil || len(acc.Choices) != 1 || acc.Choices[0].Message.Content != longAnswer {
			t.Fatalf("err %v, %d choices; want the whole answer relayed", err, len(acc.Choices))
		}
	})
	t.Run("messages", func(t *testing.T) {
		c := anthropicClient(e, respKeyA)
		_, err := c.Messages.New(ctxT(t), userMessage("long", "Write a long answer.", 4096))
		var ae *sdk.Error
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway || !strings.Contains(err.Error(), limit) {
			t.Fatalf("err %v, want a 502 naming the %s", err, limit)
		}
	})
	t.Run("responses", func(t *testing.T) {
		_, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "long", Input: inputText("Write a long answer.")})
		var ae *openai.Error
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway || ae.Code != llm.CodeAnswerTooLarge || !strings.Contains(ae.Message, limit) {
			t.Fatalf("err %v, want a 502 %s naming the %s", err, llm.CodeAnswerTooLarge, limit)
		}
	})
	t.Run("responses streamed", func(t *testing.T) {
		s := e.Client.Responses.NewStreaming(ctxT(t), responses.ResponseNewParams{Model: "long", Input: inputText("Write a long answer.")})
		var last string
		for s.Next() {
			last = s.Current().Type
		}
		if last != "response.failed" || s.Err() == nil || !strings.Contains(s.Err().Error(), limit) {
			t.Fatalf("last event %s, then %v; want response.failed, then an error naming the %s", last, s.Err(), limit)
		}
	})
	t.Run("responses background", func(t *testing.T) {
		created, err := e.Client.Responses.New(ctxT(t), background("long", "Write a long answer."))
		if err != nil {
			t.Fatal(err)
		}
		got := waitStatus(t, e.Client, created.ID, responses.ResponseStatusFailed, responses.ResponseStatusCompleted)
		if got.Status != responses.ResponseStatusFailed || !strings.Contains(got.Error.Message, limit) {
			t.Fatalf("stored %s: %q; want failed naming the %s", got.Status, got.Error.Message, limit)
		}
	})

	// Five requests failed so (chat, messages, responses complete,
	// streamed and background), each with its upstream call.
	tooLarge := func(r record.Record) bool {
		return r.ErrorCode == llm.CodeAnswerTooLarge && r.Status == http.StatusBadGateway &&
			len(r.Trail) == 1 && r.Trail[0].Outcome == "cut" && r.Trail[0].ErrorCode == llm.CodeAnswerTooLarge
	}
	if n, recs := e.recordedWhere(t, 5, tooLarge); n != 5 {
		for _, r := range recs {
			t.Logf("%s %s: %d %s %s, trail %+v", r.Endpoint, r.Deployment, r.Status, r.ErrorKind, r.ErrorCode, r.Trail)
		}
		t.Fatalf("%d requests recorded failed %s with their call, want 5", n, llm.CodeAnswerTooLarge)
	}
	if got := answersTooLarge(t, e, "long"); got != 5 {
		t.Errorf("switchyard_answers_too_large_total{deployment=long} = %v, want 5", got)
	}
}

// answersTooLarge is switchyard_answers_too_large_total of deployment on
// e's router.
func answersTooLarge(t *testing.T, e *env, deployment string) float64 {
	t.Helper()
	mfs, err := e.Router.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "switchyard_answers_too_large_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "deployment" && l.GetValue() == deployment {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
