package e2e

import (
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/record"
	"switchyard/sim"
)

// A stream cut on the primary (gpt-4o-mini) and resumed on a deployment
// that refuses to continue it (claude-haiku-4-5, stop_reason refusal)
// must not reach the client as a filtered answer: the next candidate
// (claude-sonnet-4-5) continues it, and with none left the stream ends
// with the cut's error, as an unresumable break does — under every client
// API, through the official SDKs.

const refusedResumePrompt = "Say something about rivers."

// refusedResumeCase is one route: the refusing deployment alone after the
// primary, or followed by one that continues.
type refusedResumeCase struct {
	name     string
	deps     []string
	wantText string
	wantTo   string // "" for a stream that ends with the error
}

func refusedResumeCases() []refusedResumeCase {
	full := (&sim.Profile{Model: primary}).Respond(sim.Ask{Model: primary, Prompt: refusedResumePrompt}).Text
	cut := strings.Join(sim.Split(full)[:3], "")
	return []refusedResumeCase{
		{"next candidate continues", []string{primary, "claude-haiku-4-5", "claude-sonnet-4-5"}, full, "claude-sonnet-4-5"},
		{"none left: the cut's error", []string{primary, "claude-haiku-4-5"}, cut, ""},
	}
}

// refusedResumeEnv is a router whose route "resume" holds tc's
// deployments, the primary cutting its stream after three pieces (the third names it, for the sim to continue its answer) and
// claude-haiku-4-5 refusing.
func refusedResumeEnv(t *testing.T, tc refusedResumeCase) *env {
	e := newEnv(t, func(c *config.Config) {
		c.Routes["resume"] = &config.Route{Name: "resume", Deployments: tc.deps, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: primary, After: 3})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	return e
}

// checkRefusedResume checks the request's record: resumed where tc says,
// haiku's continuation logged as refused and billed for its prompt.
func checkRefusedResume(t *testing.T, e *env, tc refusedResumeCase) {
	t.Helper()
	rec := e.recorded(t, 1)[0]
	refused := false
	for _, a := range rec.Trail {
		refused = refused || a.Deployment == "claude-haiku-4-5" && a.Outcome == "refused"
	}
	if !refused {
		t.Errorf("trail %+v: want claude-haiku-4-5's continuation refused", trailOf(rec))
	}
	billed := false
	for _, b := range rec.Billed {
		billed = billed || b.Deployment == "claude-haiku-4-5" && b.Usage.PromptTokens > 0
	}
	if !billed {
		t.Errorf("billed %+v: want claude-haiku-4-5's prompt", rec.Billed)
	}
	if tc.wantTo != "" && (rec.ResumedFrom != primary || rec.Deployment != tc.wantTo) {
		t.Errorf("record: resumed from %q, deployment %q; want %q from %q", rec.ResumedFrom, rec.Deployment, tc.wantTo, primary)
	}
}

func trailOf(rec record.Record) []string {
	var out []string
	for _, a := range rec.Trail {
		out = append(out, a.Deployment+":"+a.Outcome)
	}
	return out
}

func TestResumeRefusedChat(t *testing.T) {
	t.Parallel()
	for _, tc := range refusedResumeCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := refusedResumeEnv(t, tc)
			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{
				Model:    "resume",
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(refusedResumePrompt)},
			})
			var text strings.Builder
			var finish string
			for stream.Next() {
				c := stream.Current()
				for _, ch := range c.Choices {
					text.WriteString(ch.Delta.Content)
					if ch.Delta.Refusal != "" {
						t.Errorf("refusal text relayed: %q", ch.Delta.Refusal)
					}
					if ch.FinishReason != "" {
						finish = ch.FinishReason
					}
				}
			}
			err := stream.Err()
			stream.Close()
			if text.String() != tc.wantText {
				t.Errorf("client received\n%q\nwant\n%q", text.String(), tc.wantText)
			}
			if tc.wantTo == "" && (err == nil || finish != "") || tc.wantTo != "" && (err != nil || finish != "stop") {
				t.Fatalf("finish_reason %q, err %v", finish, err)
			}
			checkRefusedResume(t, e, tc)
		})
	}
}

func TestResumeRefusedResponses(t *testing.T) {
	t.Parallel()
	for _, tc := range refusedResumeCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := refusedResumeEnv(t, tc)
			stream := e.Client.Responses.NewStreaming(ctxT(t), responses.ResponseNewParams{
				Model: "resume", Input: responses.ResponseNewParamsInputUnion{OfString: openai.String(refusedResumePrompt)},
			})
			var text strings.Builder
			types := map[string]int{}
			var ev responses.ResponseStreamEventUnion
			for stream.Next() {
				ev = stream.Current()
				types[ev.Type]++
				if ev.Type == "response.output_text.delta" {
					text.WriteString(ev.Delta)
				}
				if ev.Type == "response.refusal.delta" {
					t.Errorf("refusal relayed: %s", ev.RawJSON())
				}
			}
			err := stream.Err()
			stream.Close()
			if text.String() != tc.wantText {
				t.Errorf("client received\n%q\nwant\n%q", text.String(), tc.wantText)
			}
			if types["response.incomplete"] > 0 {
				t.Errorf("response.incomplete (%s): the answer reads as filtered", ev.RawJSON())
			}
			if tc.wantTo == "" && types["response.failed"] != 1 || tc.wantTo != "" && (types["response.completed"] != 1 || err != nil) {
				t.Fatalf("events %v, err %v", types, err)
			}
			checkRefusedResume(t, e, tc)
		})
	}
}

func TestResumeRefusedAnthropic(t *testing.T) {
	t.Parallel()
	for _, tc := range refusedResumeCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := refusedResumeEnv(t, tc)
			c := anthropicClient(e, "demo-key")
			stream := c.Messages.NewStreaming(ctxT(t), userMessage("resume", refusedResumePrompt, 1024))
			var text strings.Builder
			var stop sdk.StopReason
			for stream.Next() {
				ev := stream.Current()
				if ev.Type == "content_block_delta" && ev.Delta.Type == "text_delta" {
					text.WriteString(ev.Delta.Text)
				}
				if ev.Type == "message_delta" {
					stop = ev.Delta.StopReason
				}
			}
			err := stream.Err()
			stream.Close()
			if text.String() != tc.wantText {
				t.Errorf("client received\n%q\nwant\n%q", text.String(), tc.wantText)
			}
			if tc.wantTo == "" && (err == nil || stop != "") || tc.wantTo != "" && (err != nil || stop != sdk.StopReasonEndTurn) {
				t.Fatalf("stop_reason %q, err %v", stop, err)
			}
			checkRefusedResume(t, e, tc)
		})
	}
}
