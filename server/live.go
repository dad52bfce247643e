package server

import (
	"context"
	"net/http"
	"sync"
)

// liveIDs are the ids of the requests being served: from the moment an
// id is issued until its handler has returned, by when the request's
// record is queued, or, for a background response, until its run ended
// (an id added twice is live until removed twice). A rating sent the
// instant an answer arrives may name a request still finishing (a
// stream's record is queued after its last event is sent); the feedback
// endpoint waits for it here. Adding and removing an id takes one short
// lock of one of 16 shards and allocates nothing; only a waiter
// allocates. It is safe for concurrent use.
type liveIDs struct {
	shards [16]liveShard
}

type liveShard struct {
	mu  sync.Mutex
	ids map[string]liveID
}

// liveID is one live id: how many times it was added and not removed,
// the channel closed when it ends (nil until someone waits for it), and
// the tenant of the key that sent it once authentication has run.
type liveID struct {
	n      int
	done   chan struct{}
	tenant string
	owned  bool
}

func (l *liveIDs) shard(id string) *liveShard {
	var h byte
	if id != "" {
		h = id[len(id)-1] // the ids end in random hex: its value picks the shard
		if h >= 'a' {
			h -= 'a' - 10
		}
	}
	return &l.shards[h%16]
}

// add marks id live (once more).
func (l *liveIDs) add(id string) {
	s := l.shard(id)
	s.mu.Lock()
	if s.ids == nil {
		s.ids = map[string]liveID{}
	}
	e := s.ids[id]
	e.n++
	s.ids[id] = e
	s.mu.Unlock()
}

// own records that the live id belongs to tenant; nothing when the id
// is not live.
func (l *liveIDs) own(id, tenant string) {
	s := l.shard(id)
	s.mu.Lock()
	if e, ok := s.ids[id]; ok {
		e.tenant, e.owned = tenant, true
		s.ids[id] = e
	}
	s.mu.Unlock()
}

// owner returns the tenant of the live id, and false when the id is not
// live or its tenant is not known yet.
func (l *liveIDs) owner(id string) (string, bool) {
	s := l.shard(id)
	s.mu.Lock()
	e, ok := s.ids[id]
	s.mu.Unlock()
	return e.tenant, ok && e.owned
}

// remove undoes one add of id; the last one ends it, waking its waiters.
func (l *liveIDs) remove(id string) {
	s := l.shard(id)
	s.mu.Lock()
	e, ok := s.ids[id]
	switch {
	case !ok:
	case e.n > 1:
		e.n--
		s.ids[id] = e
	default:
		if e.done != nil {
			close(e.done)
		}
		delete(s.ids, id)
	}
	s.mu.Unlock()
}

// wait returns when id is not live (at once if it never was), or with
// ctx's error when ctx ends first.
func (l *liveIDs) wait(ctx context.Context, id string) error {
	s := l.shard(id)
	s.mu.Lock()
	e, ok := s.ids[id]
	if !ok {
		s.mu.Unlock()
		return nil
	}
	if e.done == nil {
		e.done = make(chan struct{})
		s.ids[id] = e
	}
	s.mu.Unlock()
	select {
	case <-e.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// maxSession bounds the x-switchyard-session header kept.
const maxSession = 256

// session returns the client's x-switchyard-session header when it sent
// one of printable ASCII, at most maxSession bytes; another is ignored.
func session(h http.Header) (string, bool) {
	vs := h["X-Switchyard-Session"] // the canonical key: no allocation
	if len(vs) == 0 || vs[0] == "" || len(vs[0]) > maxSession {
		return "", false
	}
	for i := 0; i < len(vs[0]); i++ {
		if c := vs[0][i]; c < ' ' || c > '~' {
			return "", false
		}
	}
	return vs[0], true
}
