package e2e

import (
	"encoding/json"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3/responses"
)

// openai-go's ResponseAccumulator takes every event of a streamed
// Responses answer and rebuilds the response from them: from every
// upstream kind, Responses API included, it refuses none, its snapshot's
// text is the deltas', and the rebuilt response holds the text and the
// function call that response.completed holds.
func TestResponsesAccumulatorEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range append(chatDeployments, "gpt-5.3-codex") {
		for _, prompt := range []string{"Write a few sentences about rivers.", "Use get_weather for Lima."} {
			t.Run(dep+"/"+prompt[:5], func(t *testing.T) {
				params := responses.ResponseNewParams{Model: dep, Tools: []responses.ToolUnionParam{responsesWeather},
					Input: inputText(prompt)}
				acc, completed := accumulateResponse(t, e, params)
				whole, err := acc.ReconstructedResponse()
				if err != nil {
					t.Fatal(err)
				}
				if got, want := whole.OutputText(), completed.OutputText(); got != want || acc.Snapshot().OutputText() != want {
					t.Errorf("rebuilt text %q, snapshot %q; completed %q", got, acc.Snapshot().OutputText(), want)
				}
				if got, want := callsOf(whole), callsOf(&completed); got != want {
					t.Errorf("rebuilt calls %s; completed %s", got, want)
				}
			})
		}
	}
}

// accumulateResponse streams params into a ResponseAccumulator and
// returns it with the response of response.completed; the events must
// number from 0 without a gap.
func accumulateResponse(t *testing.T, e *env, params responses.ResponseNewParams) (*responses.ResponseAccumulator, responses.Response) {
	t.Helper()
	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	defer stream.Close()
	acc := &responses.ResponseAccumulator{}
	var completed responses.Response
	var seq int64
	for stream.Next() {
		ev := stream.Current()
		if ev.SequenceNumber != seq {
			t.Errorf("%s: sequence_number %d, want %d", ev.Type, ev.SequenceNumber, seq)
		}
		seq++
		var sev responses.ResponsesServerEventUnion
		if err := json.Unmarshal([]byte(ev.RawJSON()), &sev); err != nil {
			t.Fatal(err)
		}
		if err := acc.AddEvent(sev); err != nil {
			t.Errorf("the accumulator refused %s: %v", ev.RawJSON(), err)
		}
		if ev.Type == "response.completed" {
			completed = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	return acc, completed
}

// callsOf lists r's function calls as "name arguments".
func callsOf(r *responses.Response) string {
	var s string
	for _, it := range r.Output {
		if it.Type == "function_call" {
			c := it.AsFunctionCall()
			s += c.Name + " " + c.Arguments + ";"
		}
	}
	return s
}

// anthropic-sdk-go's Message.Accumulate over a stream with thinking
// asked of a reasoning model on each upstream kind that reasons: a
// thinking block first, whole (its deltas make its text), then the
// text; Claude's is signed. (OpenAI's Chat Completions returns no
// reasoning text, so o3-mini there answers with text alone.)
func TestAnthropicAccumulateThinkingEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"claude-sonnet-4-5", "gpt-5.3-codex", "gemini-2.5-pro"} {
		t.Run(dep, func(t *testing.T) {
			params := userMessage(dep, "Is 91 prime?", 4096)
			params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
			msg := accumulateMessage(t, c.Messages.NewStreaming(ctxT(t), params))
			var kinds []string
			for _, b := range msg.Content {
				kinds = append(kinds, b.Type)
			}
			if len(msg.Content) < 2 || msg.Content[0].Type != "thinking" || msg.Content[0].Thinking == "" || msg.Content[len(msg.Content)-1].Text == "" {
				t.Fatalf("content %v: %+v", kinds, msg.Content)
			}
			if dep == "claude-sonnet-4-5" && msg.Content[0].Signature == "" {
				t.Errorf("Claude's thinking unsigned")
			}
			if msg.StopReason != sdk.StopReasonEndTurn {
				t.Errorf("stop %q", msg.StopReason)
			}
		})
	}
}
