package responses

import (
	"bytes"
	"encoding/json"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file holds the server's steering events of WebSocket mode:
// response.steer.accepted, response.steer.failed and
// response.steer.pending, numbered in the sequence of the response they
// steer when one is streaming (the Streamer's methods), and the
// incomplete end of a response steered (FinishSteered).

// Steering failure codes (response.steer.failed's error.code).
const (
	SteerNotFound         = "response_not_found"
	SteerInvalidInput     = "invalid_input"
	SteerNotSupported     = "steering_not_supported"
	SteerTooMany          = "too_many_pending_steers"
	SteerAlreadyCompleted = "response_already_completed"
	SteerNotActive        = "response_not_active"
	SteerSuccessorFailed  = "successor_creation_failed"
)

// IncompleteSteered is the incomplete_details.reason of a response that
// stopped at a safe output boundary for a response.steer.
const IncompleteSteered = "steered"

// SteerAccepted appends response.steer.accepted for st, numbered in the
// response's sequence.
func (s *Streamer) SteerAccepted(dst []byte, st *Steer) []byte {
	dst = s.begin(dst, "response.steer.accepted")
	dst = appendSteerRef(dst, st)
	return end(dst)
}

// SteerFailed appends response.steer.failed for st with code and msg,
// numbered in the response's sequence.
func (s *Streamer) SteerFailed(dst []byte, st *Steer, code, msg string) []byte {
	dst = s.begin(dst, "response.steer.failed")
	dst = appendSteerFailure(dst, st, code, msg)
	return end(dst)
}

// SteerPending appends response.steer.pending for st: its input stays
// queued while the response waits for the client's results of the calls
// in out (required_input, one stub a call).
func (s *Streamer) SteerPending(dst []byte, st *Steer, out *Output) []byte {
	dst = s.begin(dst, "response.steer.pending")
	dst = append(dst, `,"reason":"waiting_for_required_input","required_input":[`...)
	n := 0
	for i := range out.Items {
		it := &out.Items[i]
		typ := requiredInputType(it.Type)
		if typ == "" {
			continue
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		n++
		dst = append(dst, `{"type":"`...)
		dst = append(dst, typ...)
		dst = append(dst, `","call_id":`...)
		dst = jsonw.String(dst, it.CallID)
		if it.Type == ItemFunctionCall {
			dst = append(dst, `,"name":`...)
			dst = jsonw.String(dst, it.Name)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	dst = appendSteerRef(dst, st)
	return end(dst)
}

// AwaitsClient reports whether out holds a call whose result the client
// owes (a function, custom or client-executed tool's call): a
// continuation of it needs the call's output.
func AwaitsClient(out *Output) bool {
	for i := range out.Items {
		if requiredInputType(out.Items[i].Type) != "" {
			return true
		}
	}
	return false
}

// requiredInputType is the input item type that answers an output item
// of type typ, or "" for an item that needs no answer.
func requiredInputType(typ string) string {
	switch typ {
	case ItemFunctionCall, ItemCustomToolCall, ItemShellCall, ItemLocalShellCall, ItemApplyPatchCall:
		return typ + "_output"
	}
	return ""
}

// HasCall reports whether the stream has opened a call item: from then
// on the response is not cut for steering (its calls end whole and the
// client owes their results).
func (s *Streamer) HasCall() bool { return s.calls > 0 }

// Steered returns the response a stream steered ends with: its output
// so far, incomplete for reason steered, with usage u (the upstream's,
// or the router's estimate) and cost.
func (s *Streamer) Steered(cost string, u *llm.Usage) Output {
	out := s.Output()
	out.Status, out.IncompleteReason, out.Cost = StatusIncomplete, IncompleteSteered, cost
	if u != nil {
		v := *u
		out.Usage = &v
	}
	return out
}

// FinishSteered appends the events that end a stream steered at a safe
// boundary: every open item closed incomplete, then response.incomplete
// with out (Steered's).
func (s *Streamer) FinishSteered(dst []byte, out *Output) []byte {
	for i := range s.items {
		dst = s.closeItem(dst, i, StatusIncomplete)
	}
	return s.responseEvent(dst, "response.incomplete", out)
}

// AppendSteerFailed appends a response.steer.failed event sent outside
// any response's stream (numbered seq), on lane ("": none).
func AppendSteerFailed(dst []byte, seq int64, lane string, st *Steer, code, msg string) []byte {
	start := len(dst)
	dst = append(dst, `{"type":"response.steer.failed","sequence_number":`...)
	dst = jsonw.Int(dst, int(seq))
	dst = appendSteerFailure(dst, st, code, msg)
	dst = append(dst, '}')
	if lane == "" {
		return dst
	}
	ev := append([]byte(nil), dst[start:]...)
	return AppendStreamID(dst[:start], ev, lane)
}

// appendSteerRef appends the steer member of an accepted or pending
// event: the submission's id and the response it steers.
func appendSteerRef(dst []byte, st *Steer) []byte {
	dst = append(dst, `,"steer":{"id":`...)
	dst = jsonw.String(dst, st.ID)
	dst = append(dst, `,"previous_response_id":`...)
	dst = jsonw.String(dst, st.PreviousResponseID)
	return append(dst, '}')
}

// appendSteerFailure appends the error and steer members of
// response.steer.failed: the input returned as sent, and the id when one
// was allocated.
func appendSteerFailure(dst []byte, st *Steer, code, msg string) []byte {
	dst = append(dst, `,"error":{"code":`...)
	dst = jsonw.String(dst, code)
	dst = append(dst, `,"message":`...)
	dst = jsonw.String(dst, msg)
	dst = append(dst, `,"type":"invalid_request_error"},"steer":{"input":`...)
	if st.Input == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, compactJSON(st.Input)...)
	}
	dst = append(dst, `,"previous_response_id":`...)
	dst = jsonw.String(dst, st.PreviousResponseID)
	if st.ID != "" {
		dst = append(dst, `,"id":`...)
		dst = jsonw.String(dst, st.ID)
	}
	return append(dst, '}')
}

// compactJSON returns raw, valid JSON, on one line: an event's data is
// one line of the stream.
func compactJSON(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return []byte("null")
	}
	return b.Bytes()
}
