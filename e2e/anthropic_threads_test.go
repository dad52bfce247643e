package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3/responses"
)

// sentBodies keeps the body of every request an SDK client sent the
// router (a middleware of the client).
type sentBodies struct {
	mu     sync.Mutex
	bodies []map[string]json.RawMessage
}

func (s *sentBodies) option() sdkoption.RequestOption {
	return sdkoption.WithMiddleware(func(r *http.Request, next sdkoption.MiddlewareNext) (*http.Response, error) {
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			var m map[string]json.RawMessage
			json.Unmarshal(b, &m)
			s.mu.Lock()
			s.bodies = append(s.bodies, m)
			s.mu.Unlock()
		}
		return next(r)
	})
}

// last is the last body sent.
func (s *sentBodies) last() map[string]json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[len(s.bodies)-1]
}

// messageCount is the number of messages of a request body.
func messageCount(t *testing.T, raw json.RawMessage) int {
	t.Helper()
	var msgs []json.RawMessage
	if err := json.Unmarshal(raw, &msgs); err != nil {
		t.Fatalf("messages %s: %v", raw, err)
	}
	return len(msgs)
}

func userTurn(text string) sdk.BetaMessageThreadSendParams {
	return sdk.BetaMessageThreadSendParams{Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock(text))}}
}

// anthropic-sdk-go's message threads, unchanged, against the router on
// both store back ends: each later turn sends only its new message and
// continues the previous reply, and the deployment gets the whole
// conversation (the system of the create, every reply, streamed or not);
// a thread continued by an OpenAI deployment after a Claude one; a fork
// and its origin both go on.
func TestAnthropicThreads(t *testing.T) {
	t.Parallel()
	for _, rs := range rawStores {
		t.Run(rs.name, func(t *testing.T) {
			st, _ := rs.open(t)
			e, ul := storedEnv(t, st, nil)
			sent := &sentBodies{}
			c := anthropicClient(e, respKeyA, sent.option())
			thread := c.Beta.Messages.NewThread(sdk.BetaMessageThreadCreateParams{Model: "claude-haiku-4-5", MaxTokens: 200,
				System: []sdk.BetaTextBlockParam{{Text: "Answer like a pirate."}}})
			first, err := thread.Send(ctxT(t), userTurn("What is a goroutine?"))
			if err != nil {
				t.Fatal(err)
			}
			second, err := thread.Send(ctxT(t), userTurn("And in one sentence?"))
			if err != nil {
				t.Fatal(err)
			}
			body := sent.last()
			if !strings.Contains(string(body["thread"]), `"previous_message_id":"`+first.ID+`"`) || messageCount(t, body["messages"]) != 1 || body["system"] != nil {
				t.Errorf("the second turn sent %s, %d messages, system %s", body["thread"], messageCount(t, body["messages"]), body["system"])
			}
			up := ul.last(t, "anthropic")
			if !strings.Contains(up, "Answer like a pirate.") || !strings.Contains(up, "What is a goroutine?") || !strings.Contains(up, jsonText(first.Content[0].Text)) || !strings.Contains(up, "And in one sentence?") {
				t.Errorf("Claude got %s", up)
			}
			if thread.PreviousMessageID() != second.ID {
				t.Errorf("the thread continues %q, want %q", thread.PreviousMessageID(), second.ID)
			}

			stream := thread.SendStreaming(ctxT(t), userTurn("Say it again, streamed."))
			streamedText := ""
			for stream.Next() {
				if ev := stream.Current(); ev.Type == "content_block_delta" {
					streamedText += ev.Delta.Text
				}
			}
			if err := stream.Err(); err != nil || streamedText == "" {
				t.Fatalf("streamed turn: %v (%q)", err, streamedText)
			}
			stream.Close()
			fork := thread.Fork()

			// The next turn goes to an OpenAI deployment: it gets the whole
			// conversation, the streamed reply included.
			thread.Params.Model = "gpt-4o-mini"
			if _, err := thread.Send(ctxT(t), userTurn("Thanks!")); err != nil {
				t.Fatal(err)
			}
			if body := sent.last(); !strings.Contains(string(body["thread"]), "continue") || messageCount(t, body["messages"]) != 1 {
				t.Errorf("the cross-provider turn sent %s with %d messages", body["thread"], messageCount(t, body["messages"]))
			}
			up = ul.last(t, "openai")
			if !strings.Contains(up, "Answer like a pirate.") || !strings.Contains(up, "What is a goroutine?") || !strings.Contains(up, jsonText(streamedText)) || !strings.Contains(up, "Thanks!") {
				t.Errorf("OpenAI got %s", up)
			}

			// The fork starts a thread of its own (a create with the whole
			// history), then continues it.
			for _, text := range []string{"Fork here.", "Fork again."} {
				if _, err := fork.Send(ctxT(t), userTurn(text)); err != nil {
					t.Fatalf("fork: %v", err)
				}
			}
			if body := sent.last(); !strings.Contains(string(body["thread"]), "continue") || messageCount(t, body["messages"]) != 1 {
				t.Errorf("the fork's second turn sent %s with %d messages", body["thread"], messageCount(t, body["messages"]))
			}
			if up := ul.last(t, "anthropic"); !strings.Contains(up, "Fork here.") || !strings.Contains(up, "What is a goroutine?") || strings.Contains(up, "Thanks!") {
				t.Errorf("the fork's turn sent Claude %s", up)
			}
		})
	}
}

// A continue of an id the router does not hold is the API's 404
// thread_not_found (on which the SDK's thread replays the conversation);
// another tenant's id is not found either; the Responses API never finds
// a thread's turn; a thread sent in a Message Batch is refused with
// thread_unsupported_request.
func TestAnthropicThreadNotFound(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	a, b := anthropicClient(e, respKeyA), anthropicClient(e, respKeyB)
	params := sdk.BetaMessageNewParams{Model: "claude-haiku-4-5", MaxTokens: 50,
		Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Hi"))},
		Thread:   sdk.BetaMessageThreadParamUnion{OfCreate: &sdk.BetaThreadCreateParams{}}}
	created, err := a.Beta.Messages.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what   string
		client sdk.Client
		id     string
	}{{"unknown id", a, "msg_unknown"}, {"another tenant's", b, created.ID}} {
		params.Thread = sdk.BetaMessageThreadParamOfContinue(tc.id)
		_, err := tc.client.Beta.Messages.New(ctxT(t), params)
		var apiErr *sdk.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !strings.Contains(apiErr.RawJSON(), `"error_code":"thread_not_found"`) {
			t.Errorf("%s: %v", tc.what, err)
		}
	}
	params.Thread = sdk.BetaMessageThreadParamOfContinue(created.ID)
	if _, err := a.Beta.Messages.New(ctxT(t), params); err != nil {
		t.Errorf("the owner's continue: %v", err)
	}
	if _, err := e.Client.Responses.Get(ctxT(t), created.ID, responses.ResponseGetParams{}); err == nil {
		t.Error("the Responses API found a thread's turn")
	}
	// A thread helper of a client that replays on thread_not_found goes
	// on: the SDK's own recovery, against the router.
	th := a.Beta.Messages.NewThread(sdk.BetaMessageThreadCreateParams{Model: "claude-haiku-4-5", MaxTokens: 50})
	if _, err := th.Send(ctxT(t), userTurn("Hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := th.Send(ctxT(t), userTurn("Again")); err != nil {
		t.Fatal(err)
	}
}

// The tool runner over a thread: each tool result goes as a continue,
// and the tool runs once.
func TestAnthropicThreadToolRunner(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	sent := &sentBodies{}
	c := anthropicClient(e, respKeyA, sent.option())
	for _, model := range []string{"claude-haiku-4-5", "gpt-4o-mini"} {
		tool := &runnerWeather{}
		thread := c.Beta.Messages.NewThread(sdk.BetaMessageThreadCreateParams{Model: sdk.Model(model), MaxTokens: 300,
			Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Use get_weather for Lima."))}})
		msg, err := thread.NewToolRunner([]sdk.BetaTool{tool}).RunToCompletion(ctxT(t))
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if len(tool.calls) != 1 || msg.StopReason != sdk.BetaStopReasonEndTurn || !strings.Contains(msg.Content[len(msg.Content)-1].Text, "19 degrees") {
			t.Errorf("%s: calls %v, final %+v", model, tool.calls, msg.Content)
		}
		body := sent.last()
		if !strings.Contains(string(body["thread"]), "continue") || messageCount(t, body["messages"]) != 1 || body["tools"] != nil {
			t.Errorf("%s: the tool result went as %s, %d messages, tools %s", model, body["thread"], messageCount(t, body["messages"]), body["tools"])
		}
	}
	if up := ul.last(t, "openai"); !strings.Contains(up, "get_weather") || !strings.Contains(up, "19 degrees in") {
		t.Errorf("OpenAI got %s", up)
	}
}

// A Message Batch's request with a thread is refused with
// thread_unsupported_request (its result errored), as the batch runner
// holds no thread; the batch's other requests run.
func TestAnthropicThreadInMessageBatch(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), localBatches)
	c := anthropicClient(e, respKeyA)
	threaded := batchItem("threaded", "claude-haiku-4-5", "Capital of Peru?")
	threaded.Params.SetExtraFields(map[string]any{"thread": map[string]any{"type": "create"}})
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		threaded, batchItem("plain", "claude-haiku-4-5", "Capital of Chile?")}})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	awaitMessageBatch(t, c, created.ID)
	res := messageResults(t, c, created.ID)
	if r := res["threaded"]; r.Result.Type != "errored" || !strings.Contains(r.RawJSON(), `"error_code":"thread_unsupported_request"`) {
		t.Errorf("threaded result %s", r.RawJSON())
	}
	if r := res["plain"]; r.Result.Type != "succeeded" {
		t.Errorf("plain result %s", r.RawJSON())
	}
}
