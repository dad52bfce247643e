package server

import (
	"context"
	"errors"
	"testing"

	"switchyard/api/openai/batch"
	"switchyard/llm"
)

// A creation the provider refused (a 4xx but 408) or the adapter refused
// to encode made no provider batch; a timeout, a 5xx, garbage, a broken
// connection or a cancel may hide one.
func TestRefusedCreation(t *testing.T) {
	for _, c := range []struct {
		err     error
		refused bool
	}{
		{&llm.Error{Kind: llm.KindInvalidRequest, Provider: "openai"}, true},
		{&llm.Error{Kind: llm.KindTooLarge, Provider: "anthropic"}, true},
		{&llm.Error{Kind: llm.KindRateLimit}, true},
		{&llm.Error{Kind: llm.KindNotFound}, true},
		{&llm.Error{Kind: llm.KindUnprocessable}, true},
		{&llm.Error{Kind: llm.KindTimeout}, false},
		{&llm.Error{Kind: llm.KindUpstream}, false},
		{&llm.Error{Kind: llm.KindUnavailable}, false},
		{&llm.Error{Kind: llm.KindCanceled}, false},
		{&llm.Error{Kind: llm.KindInternal}, false},
		{context.DeadlineExceeded, false},
		{errors.New("connection reset"), false},
	} {
		got := refusedCreation(c.err)
		if errors.Is(got, batch.ErrNotCreated) != c.refused || !errors.Is(got, c.err) {
			t.Errorf("%v: %v, want refused %v and the cause kept", c.err, got, c.refused)
		}
	}
	if refusedCreation(nil) != nil {
		t.Error("refusedCreation(nil) != nil")
	}
}
