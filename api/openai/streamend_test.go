package openai

import (
	"context"
	"testing"
	"time"

	"switchyard/llm"
)

// Every abnormal end of a stream gets an error event, a passed deadline
// included; only a client that went away gets none.
func TestStreamEndError(t *testing.T) {
	cause := llm.Errorf(llm.KindTimeout, "server.request_timeout passed")
	upstream := llm.Errorf(llm.KindUpstream, "upstream cut the stream")
	expired := func(c error) context.Context {
		ctx, cancel := context.WithDeadlineCause(context.Background(), time.Unix(1, 0), c)
		t.Cleanup(cancel)
		return ctx
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      context.Context
		wantKind llm.ErrorKind
		wantMsg  string
	}{
		{"upstream failure", context.Background(), llm.KindUpstream, upstream.Message},
		{"deadline with the server's cause", expired(cause), llm.KindTimeout, cause.Message},
		{"deadline without a cause", expired(nil), llm.KindTimeout, "the request's deadline passed while the answer was streaming"},
		{"client gone", gone, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := streamEndError(tt.ctx, upstream)
			if tt.wantKind == "" {
				if e != nil {
					t.Fatalf("error event %v for a client that went away", e)
				}
				return
			}
			if e == nil || e.Kind != tt.wantKind || e.Message != tt.wantMsg {
				t.Fatalf("got %v, want %s %q", e, tt.wantKind, tt.wantMsg)
			}
			if e == cause {
				t.Error("the shared cause was returned, not a copy")
			}
		})
	}
}
