package dispatch

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// badCont is a prefill-capable fake upstream whose continuation is not a
// plain one: it refuses ("refuse": finish content_filter and no content;
// "refusal": OpenAI's refusal text), is filtered after two words
// ("filter"), calls a tool ("tool") or says nothing more ("empty").
type badCont struct {
	name, kind string
	once       sync.Once
	p          llmtest.Provider
}

func (b *badCont) target() *Target {
	b.once.Do(func() {
		b.p.Func = func(_ context.Context, req *llm.Request, _ int) llmtest.Script { return b.script(req) }
	})
	return &Target{Deployment: llm.Deployment{Name: b.name, Provider: "p", Model: b.name, Continuation: llm.ContinueAnthropic}, Provider: &b.p}
}

func (b *badCont) script(req *llm.Request) llmtest.Script {
	mk := func(d llm.Delta, fin llm.FinishReason) llmtest.Event {
		return llmtest.Event{Chunk: &llm.Chunk{ID: "id-" + b.name, Model: b.name, Choices: []llm.ChunkChoice{{Delta: d, FinishReason: fin}}}}
	}
	ev := []llmtest.Event{mk(llm.Delta{Role: llm.RoleAssistant}, "")}
	rest := strings.TrimPrefix(fullAnswer, req.Messages[len(req.Messages)-1].Text())
	switch b.kind {
	case "refuse":
		ev = append(ev, mk(llm.Delta{}, llm.FinishContentFilter))
	case "refusal":
		ev = append(ev, mk(llm.Delta{Refusal: "I can't continue that."}, ""), mk(llm.Delta{}, llm.FinishStop))
	case "filter":
		for _, w := range splitWords(rest)[:2] {
			ev = append(ev, mk(llm.Delta{Content: w}, ""))
		}
		ev = append(ev, mk(llm.Delta{}, llm.FinishContentFilter))
	case "tool":
		ev = append(ev, mk(llm.Delta{ToolCalls: []llm.ToolCallDelta{{ID: "c1", Name: "f", Arguments: `{}`}}}, ""), mk(llm.Delta{}, llm.FinishToolCalls))
	case "empty":
		ev = append(ev, mk(llm.Delta{}, llm.FinishStop))
	}
	u := &llm.Usage{PromptTokens: 10, CompletionTokens: 1, TotalTokens: 11}
	ev = append(ev, llmtest.Event{Chunk: &llm.Chunk{ID: "id-" + b.name, Choices: []llm.ChunkChoice{}, Usage: u}})
	return llmtest.Script{Events: ev}
}

// TestResumeBadContinuation: a continuation that refuses, at its start or
// after some text, is a failed attempt to resume: the next candidate
// continues from what the client has, and when none is left the stream
// ends with the original break's error — never with the continuation's
// content_filter finish or refusal, which would tell the client its answer
// was filtered. A continuation that calls a tool or ends at once is an
// answer and is relayed.
func TestResumeBadContinuation(t *testing.T) {
	const sent = "The river runs north"
	cases := []struct {
		name             string
		bad              string
		then             bool // a plain prefill candidate follows the bad one
		wantText         string
		wantErr          string
		wantFrom, wantTo string
		wantFinish       llm.FinishReason
		wantRefused      bool // the bad continuation is logged as refused
	}{
		{name: "refusal: next candidate", bad: "refuse", then: true, wantText: fullAnswer, wantFrom: "a", wantTo: "c", wantFinish: llm.FinishStop, wantRefused: true},
		{name: "refusal: none left", bad: "refuse", wantText: sent, wantErr: "upstream cut the stream", wantRefused: true},
		{name: "refusal text: next candidate", bad: "refusal", then: true, wantText: fullAnswer, wantFrom: "a", wantTo: "c", wantFinish: llm.FinishStop, wantRefused: true},
		{name: "refusal text: none left", bad: "refusal", wantText: sent, wantErr: "upstream cut the stream", wantRefused: true},
		{name: "filtered midway: next candidate", bad: "filter", then: true, wantText: fullAnswer, wantFrom: "b", wantTo: "c", wantFinish: llm.FinishStop, wantRefused: true},
		{name: "filtered midway: none left", bad: "filter", wantText: sent + " to the", wantErr: "upstream cut the stream", wantFrom: "a", wantTo: "b", wantRefused: true},
		{name: "tool call relayed", bad: "tool", then: true, wantText: sent, wantFrom: "a", wantTo: "b", wantFinish: llm.FinishToolCalls},
		{name: "empty answer relayed", bad: "empty", then: true, wantText: sent, wantFrom: "a", wantTo: "b", wantFinish: llm.FinishStop},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := &writer{name: "a", answer: fullAnswer, cutAfter: 4}
			plan := resumePlan(a)
			plan.Tiers = append(plan.Tiers, Tier{Targets: []*Target{(&badCont{name: "b", kind: tc.bad}).target()}, TTFTTimeout: plan.Tiers[0].TTFTTimeout})
			if tc.then {
				c := &writer{name: "c", answer: fullAnswer, style: llm.ContinueAnthropic}
				plan.Tiers = append(plan.Tiers, Tier{Targets: []*Target{c.target()}, TTFTTimeout: plan.Tiers[0].TTFTTimeout})
			}
			plan.Attempts = &Attempts{}
			r := req()
			r.IncludeUsage = true
			var served llm.Served
			s, err := New(Options{}).Stream(context.Background(), r, plan, &served)
			if err != nil {
				t.Fatal(err)
			}
			text, finish, refused, err := collectBad(t, s)
			if text != tc.wantText {
				t.Errorf("client got %q, want %q", text, tc.wantText)
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err %v, want %q", err, tc.wantErr)
			}
			if finish != tc.wantFinish || refused {
				t.Errorf("finish %q (refusal text relayed: %v), want %q", finish, refused, tc.wantFinish)
			}
			res := s.Resumption()
			if tc.wantTo == "" && res != nil || tc.wantTo != "" && (res == nil || res.From != tc.wantFrom || res.To != tc.wantTo) {
				t.Errorf("resumption %+v, want from %q to %q", res, tc.wantFrom, tc.wantTo)
			}
			var outcome Outcome
			for _, at := range plan.Attempts.Seal(time.Now()) {
				if at.Deployment == "b" {
					outcome = at.Outcome
				}
			}
			if tc.wantRefused != (outcome == OutcomeRefused) {
				t.Errorf("b's outcome %q, want refused: %v", outcome, tc.wantRefused)
			}
			if tc.bad == "refuse" || tc.bad == "refusal" {
				p := s.PassedOver()
				if len(p) != 1 || p[0].Deployment.Name != "b" || p[0].Attempt != 1 || p[0].Partial == nil {
					t.Errorf("passed over %+v, want b's refusal", p)
				}
			}
		})
	}
}

// collectBad reads s to its end: the text, the finish reason, whether
// refusal text came and the error that ended it.
func collectBad(t *testing.T, s *Stream) (text string, finish llm.FinishReason, refused bool, err error) {
	t.Helper()
	defer s.Close()
	var b strings.Builder
	for {
		c, err := s.Next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b.String(), finish, refused, err
		}
		for _, ch := range c.Choices {
			b.WriteString(ch.Delta.Content)
			refused = refused || ch.Delta.Refusal != ""
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
	}
}
