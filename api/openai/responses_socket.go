package openai

import (
	"context"
	"sync"

	wireresp "switchyard/wire/responses"
)

// This file holds what a Responses API WebSocket connection (WebSocket
// mode, served by the server package) keeps between its responses: the
// last response it streamed, which a response.create on the same
// connection continues with previous_response_id even when it was not
// stored (store false), as OpenAI's API keeps it in memory per
// connection. A turn of the connection is a streamed POST /v1/responses
// whose context carries the connection's Socket (WithSocket).

// Socket is the state of one WebSocket connection: the conversation of
// the last response it streamed to its end. Safe for concurrent use; the
// zero value keeps nothing yet. Dropped with the connection.
type Socket struct {
	mu    sync.Mutex
	id    string
	prior *wireresp.Prior
}

type socketKey struct{}

// WithSocket returns ctx carrying s: the responses created under it are
// remembered by s, and previous_response_id is looked up in s first.
func WithSocket(ctx context.Context, s *Socket) context.Context {
	return context.WithValue(ctx, socketKey{}, s)
}

func socketOf(ctx context.Context) *Socket {
	s, _ := ctx.Value(socketKey{}).(*Socket)
	return s
}

// remember makes id, whose model was given input (the earlier turns'
// items, then its own) and answered output, the response the connection
// continues; a nil prior forgets the last one (a response that failed).
func (s *Socket) remember(id string, prior *wireresp.Prior) {
	s.mu.Lock()
	s.id, s.prior = id, prior
	s.mu.Unlock()
}

// last returns the conversation of response id if it is the connection's
// last, or nil.
func (s *Socket) last(id string) *wireresp.Prior {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prior == nil || s.id != id {
		return nil
	}
	return s.prior
}

// socketLoader is the Loader of previous_response_id over a connection
// of ctx: its last response, else the stored ones (next; nil when none
// are kept, when an id not the connection's last is not found). Outside a
// connection it is next.
func socketLoader(ctx context.Context, next wireresp.Loader) wireresp.Loader {
	s := socketOf(ctx)
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
// becomes the one the connection continues, a failed one forgets the
// last (OpenAI's API drops it on an error too).
func rememberStream(ctx context.Context, rr *wireresp.Request, meta *wireresp.Meta, out *wireresp.Output) {
	s := socketOf(ctx)
	if s == nil {
		return
	}
	input, err := wireresp.StoredInput(rr, meta.IDs)
	if err != nil || out.Status == wireresp.StatusFailed {
		s.remember("", nil)
		return
	}
	s.remember(meta.IDs.Response(), &wireresp.Prior{Input: wireresp.JoinItems(rr.Continued(), input), Output: wireresp.StoredOutput(out)})
}
