package e2e

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
)

// TestResumeBrokenStream: the primary (OpenAI sim) cuts its stream after
// a few tokens; the route continues it on the next candidates through
// the official SDK's stream. A prefill-capable Anthropic deployment
// continues deterministically, so the client receives exactly the
// primary's whole answer, in one stream with one id; a fallback that
// rejects prefill is skipped; when nothing can continue the stream ends
// with the original failure.
func TestResumeBrokenStream(t *testing.T) {
	t.Parallel()
	const prompt = "Say something about rivers. [[sim:cut]]"
	full := (&sim.Profile{Model: primary}).Respond(sim.Ask{Model: primary, Prompt: prompt}).Text
	cases := []struct {
		name        string
		deployments []string
		off         bool
		wantText    string
		wantErr     bool
		wantTo      string
	}{
		{"prefill continues", []string{primary, "claude-haiku-4-5"}, false, full, false, "claude-haiku-4-5"},
		{"rejecting fallback skipped", []string{primary, "claude-sonnet-4-5", "claude-haiku-4-5"}, false, full, false, "claude-haiku-4-5"},
		{"nothing can continue", []string{primary, "claude-sonnet-4-5"}, false, strings.Join(sim.Split(full)[:3], ""), true, ""},
		{"resume off", []string{primary, "claude-haiku-4-5"}, true, strings.Join(sim.Split(full)[:3], ""), true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *config.Config) {
				r := &config.Route{Name: "resume", Deployments: tc.deployments, Policy: config.Policy{Strategy: config.StrategyOrdered}}
				if tc.off {
					r.Resume = new(bool)
				}
				c.Routes["resume"] = r
			})
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRejectPrefill, Model: "claude-sonnet-4-5"})
			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{
				Model:         "resume",
				Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)},
				StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
			})
			var text strings.Builder
			ids := map[string]bool{}
			var usage openai.CompletionUsage
			note := false
			for stream.Next() {
				c := stream.Current()
				ids[c.ID] = true
				if len(c.Choices) > 0 && c.Choices[0].FinishReason != "" {
					note = strings.Contains(c.RawJSON(), `"x_switchyard":{"resumed_from":"`+primary+`","resumed_to":"`+tc.wantTo+`"`)
				}
				if len(c.Choices) > 0 {
					text.WriteString(c.Choices[0].Delta.Content)
				}
				if c.Usage.TotalTokens > 0 {
					usage = c.Usage
				}
			}
			err := stream.Err()
			stream.Close()
			if text.String() != tc.wantText {
				t.Errorf("client received\n%q\nwant\n%q", text.String(), tc.wantText)
			}
			if len(ids) != 1 {
				t.Errorf("chunk ids %v, want one", ids)
			}
			if tc.wantErr {
				if err == nil || strings.Contains(err.Error(), "prefill") {
					t.Fatalf("err %v, want the original failure", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			rec := e.recorded(t, 1)[0]
			if tc.wantTo == "" {
				if rec.ResumedFrom != "" {
					t.Errorf("record %+v says resumed", rec)
				}
				return
			}
			if !note {
				t.Error("the finish chunk does not say where the stream was resumed")
			}
			if rec.ResumedFrom != primary || rec.Deployment != tc.wantTo || rec.ResumeMode != "prefill" || rec.ResumeOffset != len(strings.Join(sim.Split(full)[:3], "")) {
				t.Errorf("record: from %q to %q mode %q offset %d", rec.ResumedFrom, rec.Deployment, rec.ResumeMode, rec.ResumeOffset)
			}
			if usage.CompletionTokens == 0 || rec.CostUSD <= 0 || rec.Status != 200 {
				t.Errorf("usage %+v cost %v status %d", usage, rec.CostUSD, rec.Status)
			}
			// usage.cost is the served cost: both attempts' parts of the answer.
			var cost float64
			if err := json.Unmarshal([]byte(usage.JSON.ExtraFields["cost"].Raw()), &cost); err != nil ||
				math.Abs(cost-rec.ServedCostUSD) > 1e-12 || len(rec.Billed) != 2 || cost <= rec.Billed[1].CostUSD {
				t.Errorf("usage.cost %v (%v), served cost %v, billed %+v", cost, err, rec.ServedCostUSD, rec.Billed)
			}
		})
	}
}
