package drift

import (
	"context"
	"errors"
	"strings"
	"testing"

	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// A golden prompt's answer is held whole, so the asker bounds it as the
// router's dispatcher does, at the limit it is given
// (server.max_answer_bytes): an answer past it fails the prompt with
// code answer_too_large, and one within it is read.
func TestDispatchAskerHoldsTheAnswerLimit(t *testing.T) {
	answer := strings.Repeat("word ", 20<<10) // 100 KiB
	for _, tc := range []struct {
		name  string
		limit int
		fails bool
	}{
		{"past the configured limit", 64 << 10, true},
		{"within the configured limit", 128 << 10, false},
		{"within the default limit", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &llmtest.Provider{Scripts: []llmtest.Script{{Events: llmtest.Chunks(llmtest.TextChunk("m", answer))}}}
			a := NewDispatchAsker(map[string]*dispatch.Target{"d": {Deployment: llm.Deployment{Name: "d"}, Provider: p}}, tc.limit)
			rep, err := a.Ask(context.Background(), "d", &llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Write at length.")}})
			var e *llm.Error
			switch {
			case tc.fails && (!errors.As(err, &e) || e.Code != llm.CodeAnswerTooLarge):
				t.Fatalf("err %v, want code %s", err, llm.CodeAnswerTooLarge)
			case !tc.fails && (err != nil || rep.Response.Choices[0].Message.Text() != answer):
				t.Fatalf("err %v; want the whole answer", err)
			}
		})
	}
}
