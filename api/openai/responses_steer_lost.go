package openai

// This file holds the steers a connection accepted that no response
// committed because the connection ended first: the client can no longer
// be told on it, so the server logs them (Socket.Undelivered) rather than
// drop them without a word.

// Why a batch of steers was not delivered (Undelivered.Why).
const (
	// UndeliveredClientLeft: the client left while the steered response
	// streamed, before it reached a boundary to stop at (an open call).
	UndeliveredClientLeft = "client_left_mid_response"
	// UndeliveredSuccessor: the steered response ended, and the
	// connection closed before its automatic successor ran.
	UndeliveredSuccessor = "successor_not_run"
	// UndeliveredContinuation: the response waited for the results of
	// its calls (response.steer.pending), and the connection closed
	// before the client's response.create continuing it.
	UndeliveredContinuation = "continuation_not_sent"
)

// Undelivered is a batch of accepted steers no response committed.
type Undelivered struct {
	*SteerBatch
	Why string // UndeliveredClientLeft, UndeliveredSuccessor or UndeliveredContinuation
}

// lose keeps b, the steers of a response the client left, as
// undelivered; past socketPending batches the oldest is dropped.
func (s *Socket) lose(b *SteerBatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.lost) >= socketPending {
		s.lost = s.lost[1:]
	}
	s.lost = append(s.lost, b)
}

// Undelivered returns the steers the connection accepted that no
// response committed, and forgets them: call it once the connection's
// turns are over (none runs or will run), for the connection's log. Nil
// when every steer was committed, failed or refused (which the client was
// told).
func (s *Socket) Undelivered() []Undelivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Undelivered
	for _, b := range s.lost {
		out = append(out, Undelivered{b, UndeliveredClientLeft})
	}
	for _, b := range s.auto {
		out = append(out, Undelivered{b, UndeliveredSuccessor})
	}
	for _, b := range s.pending {
		out = append(out, Undelivered{b, UndeliveredContinuation})
	}
	s.lost, s.auto, s.pending = nil, nil, nil
	return out
}
