package openai

import (
	"slices"

	wireresp "switchyard/wire/responses"
)

// This file holds what a connection keeps for steering (Socket): its
// live responses, the ones that ended, and the steers carried to the
// responses that will commit them; responses_steer.go steers a live one.

// Steer takes the response.steer st of the connection. While the
// response it names streams, that response's writer answers it in its
// event sequence, and Steer returns nil. Otherwise Steer returns the
// response.steer.failed event to send: invalid_input, then
// response_already_completed or response_not_active for a response of
// the connection that ended (on its lane), response_not_found for any
// other (on no lane). Its sequence_number is 0: no response's sequence
// holds it.
func (s *Socket) Steer(st *wireresp.Steer) []byte {
	s.mu.Lock()
	sv := s.live[st.PreviousResponseID]
	gone, ok := s.endedOf(st.PreviousResponseID)
	s.mu.Unlock()
	switch {
	case sv != nil:
		return sv.steer(st)
	case st.Invalid != "":
		return wireresp.AppendSteerFailed(nil, 0, gone.lane, st, wireresp.SteerInvalidInput, st.Invalid)
	case ok:
		return wireresp.AppendSteerFailed(nil, 0, gone.lane, st, gone.code, lateMessage(gone.code))
	}
	return wireresp.AppendSteerFailed(nil, 0, "", st, wireresp.SteerNotFound, "No response with id '"+st.PreviousResponseID+"' is available on this WebSocket connection: steer a response this connection created.")
}

// endedOf returns the ended response id; s.mu held.
func (s *Socket) endedOf(id string) (endedResp, bool) {
	for _, e := range s.over {
		if e.id == id {
			return e, true
		}
	}
	return endedResp{}, false
}

// ended forgets the live response id of lane, which ended: a late steer
// of it fails with code.
func (s *Socket) ended(id, lane, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.live, id)
	if len(s.over) >= socketEnded {
		s.over = slices.Delete(s.over, 0, 1)
	}
	s.over = append(s.over, endedResp{id, lane, code})
}

// keep keeps b for the response that will commit it: the lane's
// automatic successor, or the client's continuation of b.Parent.
func (s *Socket) keep(b *SteerBatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.Auto {
		if s.auto == nil {
			s.auto = map[string]*SteerBatch{}
		}
		s.auto[b.Lane] = b
		return
	}
	if len(s.pending) >= socketPending {
		s.pending = slices.Delete(s.pending, 0, 1)
	}
	s.pending = append(s.pending, b)
}

// Successor returns the steers of lane's automatic successor, which
// runs before the lane's other responses, or nil: call it when one of
// lane's responses ended. The batch stays until the successor's turn
// takes it (Carry).
func (s *Socket) Successor(lane string) *SteerBatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auto[lane]
}

// Carry returns, at the start of a turn of lane with body (a
// response.create's), the body to run and the steers it commits, if any:
// the lane's automatic successor's (its body has their input already),
// or those waiting for this continuation of their response
// (previous_response_id, on the same lane), put before its own input.
func (s *Socket) Carry(lane string, body []byte) ([]byte, *SteerBatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.auto) == 0 && len(s.pending) == 0 {
		return body, nil
	}
	prev := wireresp.PreviousResponseID(body)
	if b := s.auto[lane]; b != nil && b.Parent == prev {
		delete(s.auto, lane)
		return body, b
	}
	for i, b := range s.pending {
		if b.Parent == prev && b.Lane == lane {
			s.pending = slices.Delete(s.pending, i, i+1)
			return wireresp.PrependInput(body, b.Steers), b
		}
	}
	return body, nil
}
