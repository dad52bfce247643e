package openai

import (
	"context"
	"sync"

	wireresp "switchyard/wire/responses"
)

// This file holds what a Responses API WebSocket connection (WebSocket
// mode, served by the server package) keeps between its responses: the
// last response each of its lanes streamed (the default lane's, and each
// stream_id's), which a response.create on the same connection, on any
// lane, continues with previous_response_id even when it was not stored
// (store false), as OpenAI's API keeps it in memory per connection. A
// turn of the connection is a streamed POST /v1/responses whose context
// carries the connection's Socket and the turn's lane (WithSocket).

// Socket is the state of one WebSocket connection: for each lane, the
// conversation of the last response it streamed to its end. It holds one
// conversation a lane at most, so as many as the lanes the connection
// may use (the server bounds them). Safe for concurrent use; the zero
// value keeps nothing yet. Dropped with the connection.
type Socket struct {
	mu    sync.Mutex
	lanes map[string]socketLast
	// live are the responses streaming, by id; over are the last
	// socketEnded that ended (responses_socket_steer.go).
	live map[string]*steering
	over []endedResp
	// auto is the steer batch of each lane's automatic successor;
	// pending the batches waiting for the client's continuation, oldest
	// first.
	auto    map[string]*SteerBatch
	pending []*SteerBatch
	// lost are the batches of responses the client left while they
	// streamed (responses_steer_lost.go).
	lost []*SteerBatch
}

// socketLast is a lane's last response: its id and conversation.
type socketLast struct {
	id    string
	prior *wireresp.Prior
}

type socketKey struct{}

// socketTurn is what the context of a connection's turn carries.
type socketTurn struct {
	s    *Socket
	lane string
}

// WithSocket returns ctx carrying s and lane, the stream_id of the turn
// ("" for the default lane): the response created under it becomes
// lane's last in s, and previous_response_id is looked up among s's
// lanes' last responses first.
func WithSocket(ctx context.Context, s *Socket, lane string) context.Context {
	return context.WithValue(ctx, socketKey{}, socketTurn{s, lane})
}

func socketOf(ctx context.Context) (*Socket, string) {
	t, _ := ctx.Value(socketKey{}).(socketTurn)
	return t.s, t.lane
}

// remember makes id, whose model was given input (the earlier turns'
// items, then its own) and answered output, the response lane continues;
// a nil prior forgets lane's last one (a response that failed).
func (s *Socket) remember(lane, id string, prior *wireresp.Prior) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if prior == nil {
		delete(s.lanes, lane)
		return
	}
	if s.lanes == nil {
		s.lanes = map[string]socketLast{}
	}
	s.lanes[lane] = socketLast{id, prior}
}

// last returns the conversation of response id if it is the last of one
// of the connection's lanes, or nil.
func (s *Socket) last(id string) *wireresp.Prior {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.lanes {
		if l.id == id {
			return l.prior
		}
	}
	return nil
}

// socketLoader is the Loader of previous_response_id over a connection
// of ctx: its lanes' last responses, else the stored ones (next; nil when none
// are kept, when an id not the connection's last is not found). Outside a
// connection it is next.
func socketLoader(ctx context.Context, next wireresp.Loader) wireresp.Loader {
	s, _ := socketOf(ctx)
	if s == nil {
		return next
	}
	return func(id string) (*wireresp.Prior, error) {
		if p := s.last(id); p != nil {
			return p, nil
		}
		if next == nil {
			return nil, wireresp.PreviousNotFound(id)
		}
		return next(id)
	}
}

// rememberStream keeps, on the connection of ctx if any, the response a
// stream ended with (out, failed or not): a completed or incomplete one
// becomes the one its lane continues, a failed one forgets the lane's
// last (OpenAI's API drops it on an error too); the other lanes' stay.
func rememberStream(ctx context.Context, rr *wireresp.Request, meta *wireresp.Meta, out *wireresp.Output) {
	s, lane := socketOf(ctx)
	if s == nil {
		return
	}
	input, err := wireresp.StoredInput(rr, meta.IDs)
	if err != nil || out.Status == wireresp.StatusFailed {
		s.remember(lane, "", nil)
		return
	}
	s.remember(lane, meta.IDs.Response(), &wireresp.Prior{Input: wireresp.JoinItems(rr.Continued(), input), Output: wireresp.StoredOutput(out)})
}
