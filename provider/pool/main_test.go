package pool

import (
	"context"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/provider"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// t0 is where every fake clock starts.
var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is the shared fake clock.
type clock struct{ *llmtest.Clock }

func newClock() clock { return clock{llmtest.NewClock(t0)} }

// opts returns o with the clock as its Now.
func (c clock) opts(o Options) Options { o.Now = c.Now; return o }

// rateLimit returns a 429 with the given Retry-After (0: none sent).
func rateLimit(d time.Duration) *llm.Error {
	return &llm.Error{Kind: llm.KindRateLimit, Message: "slow down", Retryable: true, RetryAfter: d}
}

// fake is a member on the shared llmtest.Provider that answers every call
// at once, identifying itself in the chunks' Model. It is safe for
// concurrent use; set its fields before the calls.
type fake struct {
	llmtest.Provider
	name string
	// fail, if set, is asked before each call for the error to return.
	fail func() error
	// hook, if set, runs inside each call before it answers.
	hook func()
	// chunks is how many chunks a stream yields before it ends with end
	// (nil means io.EOF).
	chunks int
	end    error
	embeds atomic.Int64
}

func newFake(name string) *fake {
	f := &fake{name: name}
	f.Func = func(context.Context, *llm.Request, int) llmtest.Script {
		if err := f.call(); err != nil {
			return llmtest.Script{Err: err}
		}
		ev := make([]llmtest.Event, f.chunks, f.chunks+1)
		for i := range ev {
			ev[i].Chunk = &llm.Chunk{Model: f.name}
		}
		end := f.end
		if end == nil {
			end = io.EOF
		}
		return llmtest.Script{Events: append(ev, llmtest.Event{Err: end})}
	}
	return f
}

func (f *fake) call() error {
	if f.hook != nil {
		f.hook()
	}
	if f.fail != nil {
		return f.fail()
	}
	return nil
}

// count returns the calls to Stream and Embed.
func (f *fake) count() int64 { return int64(f.Calls()) + f.embeds.Load() }

// embedFake is a fake that also serves embeddings.
type embedFake struct{ *fake }

func (f embedFake) Embed(_ context.Context, _ *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
	f.embeds.Add(1)
	if err := f.call(); err != nil {
		return nil, err
	}
	return &llm.EmbeddingResponse{Model: f.name}, nil
}

var (
	_ provider.Provider = (*fake)(nil)
	_ provider.Embedder = embedFake{}
)

// fakes returns n fakes named a, b, c…
func fakes(n int) []*fake {
	fs := make([]*fake, n)
	for i := range fs {
		fs[i] = newFake(string(rune('a' + i)))
	}
	return fs
}

// members returns a Member per fake, with the given weights if any.
func members(fs []*fake, weights ...int) []Member {
	ms := make([]Member, len(fs))
	for i, f := range fs {
		ms[i] = Member{Name: f.name, Provider: f}
		if i < len(weights) {
			ms[i].Weight = weights[i]
		}
	}
	return ms
}

func newPool(t *testing.T, ms []Member, opts Options) *Pool {
	t.Helper()
	p, err := New("pool", ms, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var req = &llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}

// chat opens and closes one stream and returns the name of the member
// that answered, or "" and the error.
func chat(p *Pool) (string, error) {
	s, err := p.Stream(context.Background(), req)
	if err != nil {
		return "", err
	}
	defer s.Close()
	return s.(*stream).m.name, nil
}

// calls returns each fake's call count.
func calls(fs []*fake) []int64 {
	out := make([]int64, len(fs))
	for i, f := range fs {
		out[i] = f.count()
	}
	return out
}

// inFlight returns each member's in-flight count.
func inFlight(p *Pool) []int {
	st := p.Status()
	out := make([]int, len(st))
	for i, s := range st {
		out[i] = s.InFlight
	}
	return out
}
