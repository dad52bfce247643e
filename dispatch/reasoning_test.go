package dispatch

import (
	"context"
	"testing"
	"time"

	"switchyard/llm"
)

// TestReasoningOnlyToDeploymentsThatReason: a deployment without the
// reasoning capability gets the request without its reasoning controls
// (its upstream would refuse them); one with it gets them, and the
// caller's request is left as it was.
func TestReasoningOnlyToDeploymentsThatReason(t *testing.T) {
	for _, reasons := range []bool{false, true} {
		f := newFake("a", script{})
		p := planOf(time.Second, f)
		if reasons {
			p.Tiers[0].Targets[0].Deployment.Capabilities = []llm.Capability{llm.CapReasoning}
		}
		r := req()
		r.Reasoning = &llm.Reasoning{Effort: llm.EffortHigh}
		var served llm.Served
		s, err := New(Options{}).Stream(context.Background(), r, p, &served)
		if err != nil {
			t.Fatal(err)
		}
		drain(s)
		got := f.Requests()[0].Reasoning
		if reasons && (got == nil || got.Effort != llm.EffortHigh) || !reasons && got != nil {
			t.Errorf("reasons=%v: upstream got reasoning %+v", reasons, got)
		}
		if r.Reasoning == nil {
			t.Errorf("reasons=%v: the caller's request lost its reasoning", reasons)
		}
	}
}

// TestThinkingIsAFirstToken: a thinking delta is output the client sees,
// so it ends the wait for the first token (a long thought must not trip
// the time-to-first-token timeout).
func TestThinkingIsAFirstToken(t *testing.T) {
	thinking := &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Thinking: &llm.ThinkingDelta{Text: "hmm"}}}}}
	role := &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}}
	if !substantive(thinking) || substantive(role) {
		t.Errorf("substantive: thinking %v, role only %v", substantive(thinking), substantive(role))
	}
}

// TestStructuredOutputReachesTheAdapter: the deployment's
// structured_output setting travels on the upstream request, as its
// model and base model do, so the adapter can choose its JSON mode.
func TestStructuredOutputReachesTheAdapter(t *testing.T) {
	f := newFake("a", script{})
	p := planOf(time.Second, f)
	p.Tiers[0].Targets[0].Deployment.StructuredOutput = llm.StructuredPrompt
	var served llm.Served
	s, err := New(Options{}).Stream(context.Background(), req(), p, &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if got := f.Requests()[0].StructuredOutput; got != llm.StructuredPrompt {
		t.Errorf("upstream structured_output %q, want prompt", got)
	}
}
