package gateway

import (
	"context"
	"net/http"
	"testing"

	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/llm"
)

// A stream its relay aborts (llm.Abort: the router's limit on an answer
// passed) is recorded failed with the relay's reason, its status and
// code (its upstream call's too), and billed for what the upstream produced; a stream merely
// closed is recorded as one its client left.
func TestAbortedStreamIsRecordedWithItsReason(t *testing.T) {
	for _, abort := range []bool{true, false} {
		g, flush := recordingGateway(t, newFake(nil))
		s, err := g.Stream(context.Background(), hello("r"), nil, &llm.Served{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Next(); err != nil {
			t.Fatal(err)
		}
		reason := &llm.Error{Kind: llm.KindUpstream, Code: "answer_too_large", Message: "too large"}
		if abort {
			llm.Abort(s, reason)
		} else {
			s.Close()
		}
		r := flush()[0]
		switch {
		case abort && (r.Status != http.StatusBadGateway || r.ErrorCode != reason.Code || !r.StreamFailed):
			t.Errorf("aborted: status %d code %q failed %v, want 502 %s failed", r.Status, r.ErrorCode, r.StreamFailed, reason.Code)
		case !abort && (r.Status == http.StatusBadGateway || r.StreamFailed):
			t.Errorf("closed: status %d failed %v, want a client that left", r.Status, r.StreamFailed)
		}
		// Its upstream call too: cut with the reason's code, or left.
		switch {
		case len(r.Trail) != 1:
			t.Errorf("abort %v: %d calls recorded, want 1", abort, len(r.Trail))
		case abort && (r.Trail[0].Outcome != "cut" || r.Trail[0].ErrorCode != reason.Code):
			t.Errorf("aborted: call %s %q, want cut %s", r.Trail[0].Outcome, r.Trail[0].ErrorCode, reason.Code)
		case !abort && r.Trail[0].Outcome != "canceled":
			t.Errorf("closed: call %s, want canceled", r.Trail[0].Outcome)
		}
		if !r.Usage.Estimated || r.Usage.CompletionTokens == 0 || r.CostUSD <= 0 {
			t.Errorf("abort %v: billed %+v cost %v, want the answer so far estimated", abort, r.Usage, r.CostUSD)
		}
	}
}

// The configuration's default limit on an answer is the dispatcher's.
func TestDefaultAnswerLimitIsTheDispatchers(t *testing.T) {
	if config.DefaultMaxAnswerBytes != dispatch.DefaultMaxAnswerBytes {
		t.Errorf("config.DefaultMaxAnswerBytes %d, dispatch.DefaultMaxAnswerBytes %d", config.DefaultMaxAnswerBytes, dispatch.DefaultMaxAnswerBytes)
	}
}
