package dispatch

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/llm"
)

// script says how a fake upstream answers one call.
type script struct {
	err      error         // fail at once with this
	delay    time.Duration // before the first chunk
	chunks   int           // content chunks to send (default 3)
	cutAfter int           // fail after this many chunks (0 = never)
	stall    time.Duration // pause after the first chunk
	roleOnly bool          // send a role-only chunk first
	cutFirst bool          // fail right after the role-only chunk
	cutErr   error         // the error of a cut (a retryable upstream error by default)
}

// fake is a scriptable upstream; calls take scripts in order, the last
// one repeating.
type fake struct {
	name    string
	mu      sync.Mutex
	scripts []script
	calls   atomic.Int32
	active  atomic.Int32 // streams not yet finished
}

func newFake(name string, s ...script) *fake { return &fake{name: name, scripts: s} }

func (f *fake) next() script {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := int(f.calls.Add(1)) - 1
	if n >= len(f.scripts) {
		n = len(f.scripts) - 1
	}
	return f.scripts[n]
}

func (f *fake) Chat(ctx context.Context, req *llm.Request) (*llm.Response, error) {
	panic("dispatch must stream")
}

func (f *fake) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	sc := f.next()
	if sc.err != nil {
		return nil, sc.err
	}
	if sc.chunks == 0 {
		sc.chunks = 3
	}
	f.active.Add(1)
	return &fakeStream{f: f, ctx: ctx, sc: sc}, nil
}

type fakeStream struct {
	f        *fake
	ctx      context.Context
	sc       script
	sent     int
	roleSent bool
	closed   atomic.Bool
}

func (s *fakeStream) wait(d time.Duration) error {
	if d <= 0 {
		return s.ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-s.ctx.Done():
		return &llm.Error{Kind: llm.KindCanceled, Message: "canceled", Err: s.ctx.Err()}
	}
}

func (s *fakeStream) Next() (*llm.Chunk, error) {
	switch {
	case s.sent == 0:
		if err := s.wait(s.sc.delay); err != nil {
			return nil, err
		}
	case s.sent == 1 && s.sc.stall > 0:
		if err := s.wait(s.sc.stall); err != nil {
			return nil, err
		}
	}
	if s.sc.roleOnly && s.sent == 0 && !s.roleSent {
		s.roleSent = true
		return &llm.Chunk{ID: s.f.name, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}}, nil
	}
	if s.sc.cutFirst {
		return nil, &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "garbage"}
	}
	if s.sc.cutAfter > 0 && s.sent == s.sc.cutAfter {
		if s.sc.cutErr != nil {
			return nil, s.sc.cutErr
		}
		return nil, &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "cut"}
	}
	if s.sent == s.sc.chunks {
		return nil, io.EOF
	}
	s.sent++
	return &llm.Chunk{ID: s.f.name, Model: s.f.name, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "x"}}}}, nil
}

func (s *fakeStream) Close() error {
	if s.closed.CompareAndSwap(false, true) {
		s.f.active.Add(-1)
	}
	return nil
}

func target(f *fake) *Target {
	return &Target{Deployment: llm.Deployment{Name: f.name, Provider: "p-" + f.name, Model: f.name}, Provider: f}
}

func planOf(ttft time.Duration, fs ...*fake) *Plan {
	p := &Plan{}
	for _, f := range fs {
		p.Tiers = append(p.Tiers, Tier{Targets: []*Target{target(f)}, TTFTTimeout: ttft})
	}
	return p
}

var errRate = &llm.Error{Kind: llm.KindRateLimit, Retryable: true, Message: "429", RetryAfter: 10 * time.Millisecond}
var err500 = &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "500"}
var err400 = &llm.Error{Kind: llm.KindInvalidRequest, Message: "bad"}

func drain(s llm.Stream) (n int, err error) {
	defer s.Close()
	for {
		_, err := s.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}
