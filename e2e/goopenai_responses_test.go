package e2e

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	goai "github.com/sashabaranov/go-openai"

	"switchyard/sim"
)

// TestGoOpenAIResponses drives the Responses API with go-openai's
// CreateResponse and CreateResponseStream on every upstream kind and on a
// model OpenAI serves only there: the text, the usage, a function call,
// and the stream read to its end, its events numbered from 0.
func TestGoOpenAIResponses(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := goClient(e.URL, "demo-key")
	models := []string{"gpt-5.3-codex"}
	for _, k := range goKinds {
		models = append(models, k.chat)
	}
	for _, model := range models {
		t.Run(model, func(t *testing.T) {
			req := goai.CreateResponseRequest{Model: model, Input: "Write a sentence about trains."}
			resp, err := c.CreateResponse(ctxT(t), req)
			if err != nil {
				t.Fatal(err)
			}
			u := resp.Usage
			if resp.Status != goai.ResponseStatusCompleted || resp.Object != "response" || resp.GetOutputText() == "" ||
				u == nil || u.OutputTokens == 0 || u.TotalTokens != u.InputTokens+u.OutputTokens {
				t.Fatalf("status %q object %q text %q usage %+v", resp.Status, resp.Object, resp.GetOutputText(), u)
			}
			text, done := goResponseStream(t, c, req)
			if text == "" || done == nil || done.GetOutputText() != text || done.Status != goai.ResponseStatusCompleted {
				t.Errorf("streamed %q, completed with %+v", text, done)
			}

			fn := goai.NewResponseFunctionTool(*goWeather.Function)
			resp, err = c.CreateResponse(ctxT(t), goai.CreateResponseRequest{Model: model, Input: "Use get_weather: what's the weather in Paris?",
				Tools: []goai.ResponseTool{fn}})
			if err != nil {
				t.Fatal(err)
			}
			call := goResponseCall(t, resp)
			var args map[string]any
			if call.Name != "get_weather" || call.CallID == "" || json.Unmarshal([]byte(call.Arguments), &args) != nil || args["city"] == nil {
				t.Errorf("call %+v", call)
			}
		})
	}
}

// TestGoOpenAIResponsesStreamError: an upstream failing in the middle of
// a Responses stream reaches go-openai as an event (its Recv returns
// errors only for Chat Completions' {"error":…} lines): response.failed
// with the error, then the error event (docs/responses.md), then the
// stream's end. (The deployment is alone in its
// route: in the demo's, the router would continue the stream on another.)
func TestGoOpenAIResponsesStreamError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, goAlone)
	c := goClient(e.URL, "demo-key")
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultErrorEvent, Model: "gpt-4o-mini", After: 3})
	stream, err := c.CreateResponseStream(ctxT(t), goai.CreateResponseRequest{Model: "gpt-4o-mini", Input: "Write about rivers."})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var types []goai.ResponseStreamEventType
	var failed *goai.CreateResponseResponse
	var last goai.ResponseStreamEvent
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Recv after %v: %v", types, err)
		}
		types, last = append(types, ev.Type), ev
		if ev.Type == goai.ResponseStreamEventFailed {
			failed = ev.Response
		}
	}
	if failed == nil || failed.Status != goai.ResponseStatusFailed || failed.Error == nil || failed.Error.Code == "" || failed.Error.Message == "" {
		t.Fatalf("events %v; failed %+v", types, failed)
	}
	if n := len(types); types[n-2] != goai.ResponseStreamEventFailed || last.Type != goai.ResponseStreamEventError || last.Message == "" {
		t.Errorf("events %v, the last %s", types, last.Raw)
	}
}

// goResponseStream streams req to its end and returns the text deltas
// and the response of response.completed; the events must be numbered
// from 0 without a gap.
func goResponseStream(t *testing.T, c *goai.Client, req goai.CreateResponseRequest) (string, *goai.CreateResponseResponse) {
	t.Helper()
	stream, err := c.CreateResponseStream(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var text strings.Builder
	var done *goai.CreateResponseResponse
	for n := 0; ; n++ {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return text.String(), done
		}
		if err != nil {
			t.Fatalf("Recv after %d events: %v", n, err)
		}
		if ev.SequenceNumber != n {
			t.Fatalf("event %d (%s) numbered %d", n, ev.Type, ev.SequenceNumber)
		}
		switch ev.Type {
		case goai.ResponseStreamEventOutputTextDelta:
			text.WriteString(ev.Delta)
		case goai.ResponseStreamEventCompleted:
			done = ev.Response
		case goai.ResponseStreamEventError, goai.ResponseStreamEventFailed:
			t.Fatalf("event %s: %s", ev.Type, ev.Raw)
		}
	}
}

// goResponseCall returns the one function call of resp's output.
func goResponseCall(t *testing.T, resp goai.CreateResponseResponse) goai.ResponseOutputItem {
	t.Helper()
	var calls []goai.ResponseOutputItem
	for _, raw := range resp.Output {
		b, _ := json.Marshal(raw)
		var item goai.ResponseOutputItem
		if err := json.Unmarshal(b, &item); err != nil {
			t.Fatal(err)
		}
		if item.Type == "function_call" {
			calls = append(calls, item)
		}
	}
	if len(calls) != 1 {
		t.Fatalf("%d function calls in %+v", len(calls), resp.Output)
	}
	return calls[0]
}
