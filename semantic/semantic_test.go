package semantic

import (
	"context"
	"errors"
	"hash/fnv"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/llm"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeEmbedder embeds by hashed bag of words (16 dimensions), counting
// calls per text; texts in block wait for release; fail makes every call
// fail.
type fakeEmbedder struct {
	mu      sync.Mutex
	calls   map[string]int
	batches []int
	fail    error
	block   map[string]chan struct{}
	dims    int
}

func newFake() *fakeEmbedder {
	return &fakeEmbedder{calls: map[string]int{}, block: map[string]chan struct{}{}, dims: 16}
}

func (f *fakeEmbedder) embed(ctx context.Context, texts []string) ([][]float32, error) {
	f.mu.Lock()
	f.batches = append(f.batches, len(texts))
	var wait []chan struct{}
	for _, t := range texts {
		f.calls[t]++
		if ch, ok := f.block[t]; ok {
			wait = append(wait, ch)
		}
	}
	fail, dims := f.fail, f.dims
	f.mu.Unlock()
	for _, ch := range wait {
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if fail != nil {
		return nil, fail
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = bagOfWords(t, dims)
	}
	return out, nil
}

func (f *fakeEmbedder) count(text string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[text]
}

func bagOfWords(text string, dims int) []float32 {
	v := make([]float32, dims)
	for _, w := range strings.Fields(strings.ToLower(text)) {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%uint32(dims)]++
	}
	return v
}

var support = []Category{
	{Name: "shipping", Examples: []string{"where is my parcel", "track my delivery"}},
	{Name: "billing", Examples: []string{"I was charged twice", "refund my order"}},
}

func newMatcher(t *testing.T, f *fakeEmbedder, edit func(*Options)) *Matcher {
	t.Helper()
	opts := Options{Deployment: "emb", Categories: support, Embed: f.embed, Timeout: 5 * time.Second}
	if edit != nil {
		edit(&opts)
	}
	m := New(opts)
	t.Cleanup(m.Close)
	return m
}

func ready(t *testing.T, m *Matcher) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := m.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestMatch(t *testing.T) {
	f := newFake()
	m := newMatcher(t, f, nil)
	m.Start()
	ready(t, m)
	ctx := context.Background()
	tests := []struct {
		text     string
		outcome  Outcome
		category string
		score    float64
	}{
		{"Refund my ORDER", Matched, "billing", 1},
		{"Where is my parcel", Matched, "shipping", 1},
		{"write me a poem about the sea", NoMatch, "", 0},
	}
	for _, tt := range tests {
		r := m.Match(ctx, tt.text)
		if r.Outcome != tt.outcome || tt.category != "" && r.Category != tt.category || tt.score != 0 && math.Abs(r.Score-tt.score) > 1e-6 {
			t.Errorf("Match(%q) = %+v, want %s %s %v", tt.text, r, tt.outcome, tt.category, tt.score)
		}
		if r.Threshold != DefaultThreshold || r.Cached {
			t.Errorf("Match(%q): threshold %v cached %v", tt.text, r.Threshold, r.Cached)
		}
		again := m.Match(ctx, tt.text)
		if !again.Cached || again.Category != r.Category || again.Score != r.Score || again.Outcome != r.Outcome {
			t.Errorf("second Match(%q) = %+v, want the same from the cache", tt.text, again)
		}
		if n := f.count(tt.text); n != 1 {
			t.Errorf("%q embedded %d times", tt.text, n)
		}
	}
	if r := m.Match(ctx, ""); r.Outcome != Skipped || r.Reason != ReasonNoText {
		t.Errorf("empty text: %+v", r)
	}
}

func TestThresholdEdge(t *testing.T) {
	f := newFake()
	m := newMatcher(t, f, nil)
	ready(t, m)
	const text = "my order was charged twice"
	score := m.Match(context.Background(), text).Score
	if score <= 0 || score >= 1 {
		t.Fatalf("score %v", score)
	}
	for _, tt := range []struct {
		threshold float64
		want      Outcome
	}{
		{score, Matched},
		{math.Nextafter(score, 2), NoMatch},
		{math.Nextafter(score, 0), Matched},
	} {
		m := newMatcher(t, f, func(o *Options) { o.Threshold = tt.threshold })
		ready(t, m)
		if r := m.Match(context.Background(), text); r.Outcome != tt.want || r.Score != score {
			t.Errorf("threshold %v: %+v, want %s", tt.threshold, r, tt.want)
		}
	}
}

func TestNotReadyAndBackoff(t *testing.T) {
	f := newFake()
	f.fail = &llm.Error{Kind: llm.KindUnavailable, Message: "upstream openai returned 503"}
	now := time.Unix(1000, 0)
	var clock sync.Mutex
	m := newMatcher(t, f, func(o *Options) {
		o.Now = func() time.Time { clock.Lock(); defer clock.Unlock(); return now }
	})
	ctx := context.Background()
	if err := m.WaitReady(ctx); !errors.Is(err, f.fail) {
		t.Fatalf("WaitReady = %v, want the upstream error", err)
	}
	r := m.Match(ctx, "refund my order")
	if r.Outcome != Skipped || r.Reason != ReasonNotReady || !errors.Is(r.Err, f.fail) {
		t.Errorf("not ready: %+v", r)
	}
	if n := f.count("refund my order"); n != 1 {
		t.Errorf("examples embedded %d times during the back-off, want 1", n)
	}
	// Past the back-off, a request starts another attempt, which succeeds.
	f.mu.Lock()
	f.fail = nil
	f.mu.Unlock()
	clock.Lock()
	now = now.Add(minBackoff)
	clock.Unlock()
	if r := m.Match(ctx, "refund my order"); r.Reason != ReasonNotReady {
		t.Errorf("first match after the back-off: %+v", r)
	}
	ready(t, m)
	if n := f.count("refund my order"); n != 2 {
		t.Errorf("examples embedded %d times, want 2", n)
	}
	if r := m.Match(ctx, "refund my order"); r.Outcome != Matched {
		t.Errorf("once ready: %+v", r)
	}
}

func TestTimeoutFillsTheCache(t *testing.T) {
	f := newFake()
	m := newMatcher(t, f, func(o *Options) { o.Timeout = 10 * time.Millisecond })
	ready(t, m)
	const text = "I was charged twice"
	release := make(chan struct{})
	f.mu.Lock()
	f.block[text] = release
	f.mu.Unlock()
	ctx := context.Background()
	r := m.Match(ctx, text)
	if r.Outcome != Skipped || r.Reason != ReasonTimeout || !errors.Is(r.Err, ErrTimeout) {
		t.Fatalf("slow embedding: %+v", r)
	}
	close(release)
	// The call goes on: a later request joins it or finds its result.
	m.opts.Timeout = 5 * time.Second
	if r := m.Match(ctx, text); r.Outcome != Matched {
		t.Errorf("after the slow call ended: %+v", r)
	}
	if r := m.Match(ctx, text); !r.Cached {
		t.Errorf("not cached: %+v", r)
	}
	if n := f.count(text); n != 2 { // once as an example, once as a request
		t.Errorf("%q embedded %d times, want 2", text, n)
	}
}

func TestRequestContextEnds(t *testing.T) {
	f := newFake()
	m := newMatcher(t, f, nil)
	ready(t, m)
	release := make(chan struct{})
	f.mu.Lock()
	f.block["hello"] = release
	f.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := m.Match(ctx, "hello"); r.Outcome != Skipped || r.Reason != ReasonTimeout {
		t.Errorf("canceled request: %+v", r)
	}
	close(release)
}

func TestProviderError(t *testing.T) {
	f := newFake()
	m := newMatcher(t, f, nil)
	ready(t, m)
	f.mu.Lock()
	f.fail = errors.New("boom")
	f.mu.Unlock()
	ctx := context.Background()
	for range 2 {
		if r := m.Match(ctx, "refund please"); r.Outcome != Skipped || r.Reason != ReasonError || r.Err == nil || r.Err.Error() != "boom" {
			t.Errorf("failing provider: %+v", r)
		}
	}
	if n := f.count("refund please"); n != 2 {
		t.Errorf("a failure was cached: %d calls, want 2", n)
	}
	// A vector of the wrong size is an error too.
	f.mu.Lock()
	f.fail, f.dims = nil, 8
	f.mu.Unlock()
	if r := m.Match(ctx, "other text"); r.Reason != ReasonError || !strings.Contains(r.Err.Error(), "8 dimensions") {
		t.Errorf("wrong dimensions: %+v", r)
	}
}

func TestConcurrentRequestsShareOneCall(t *testing.T) {
	f := newFake()
	m := newMatcher(t, f, nil)
	ready(t, m)
	release := make(chan struct{})
	f.mu.Lock()
	f.block["track my delivery please"] = release
	f.mu.Unlock()
	var wg sync.WaitGroup
	results := make([]Result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = m.Match(context.Background(), "track my delivery please")
		}()
	}
	// Release once a call is in progress (the leader made it).
	deadline := time.Now().Add(5 * time.Second)
	for f.count("track my delivery please") == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for _, r := range results {
		if r.Outcome != Matched || r.Category != "shipping" {
			t.Errorf("result %+v", r)
		}
	}
	if n := f.count("track my delivery please"); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestBatchesAndClose(t *testing.T) {
	f := newFake()
	var examples []string
	for i := range 2*BatchSize + 5 {
		examples = append(examples, "example number "+strings.Repeat("x", i+1))
	}
	m := newMatcher(t, f, func(o *Options) { o.Categories = []Category{{Name: "many", Examples: examples}} })
	ready(t, m)
	if want := []int{BatchSize, BatchSize, 5}; len(f.batches) != 3 || f.batches[0] != want[0] || f.batches[2] != want[2] {
		t.Errorf("batches %v, want %v", f.batches, want)
	}
	m.Close()
	if r := m.Match(context.Background(), "new text"); r.Outcome != Skipped {
		t.Errorf("after Close: %+v", r)
	}
	m2 := newMatcher(t, f, nil)
	m2.Close()
	if err := m2.WaitReady(context.Background()); err == nil {
		t.Error("WaitReady after Close succeeded")
	}
	if r := m2.Match(context.Background(), "refund"); r.Reason != ReasonNotReady {
		t.Errorf("closed before ready: %+v", r)
	}
}

// TestCacheKeepsTenantsApart: a text one tenant sent is not cached for
// another (its Cached would reveal that someone sent it), and each
// tenant's repeat is.
func TestCacheKeepsTenantsApart(t *testing.T) {
	f := newFake()
	m := newMatcher(t, f, nil)
	m.Start()
	ready(t, m)
	ctx := context.Background()
	if r := m.MatchFor(ctx, "acme", "Refund my ORDER"); r.Cached || r.Outcome != Matched {
		t.Fatalf("acme's first: %+v", r)
	}
	if r := m.MatchFor(ctx, "globex", "Refund my ORDER"); r.Cached || r.Category != "billing" {
		t.Errorf("globex's first of the same text = %+v; want a fresh embedding, not acme's cache", r)
	}
	for _, tenant := range []string{"acme", "globex"} {
		if r := m.MatchFor(ctx, tenant, "Refund my ORDER"); !r.Cached {
			t.Errorf("%s's repeat was not cached", tenant)
		}
	}
	if n := f.count("Refund my ORDER"); n != 2 {
		t.Errorf("embedded %d times, want once per tenant", n)
	}
}

// TestWaitReadyRacingStart: an attempt started by Start that ends while
// WaitReady is looking is readiness, not a closed matcher (it was
// reported as "the matcher is closed" when the attempt ended between
// WaitReady's check and its own attempt; CI saw it once).
func TestWaitReadyRacingStart(t *testing.T) {
	f := newFake()
	m := newMatcher(t, f, nil)
	started := make(chan struct{})
	m.opts.Embed = func(ctx context.Context, texts []string) ([][]float32, error) {
		<-started
		return f.embed(ctx, texts)
	}
	testHookWaitReady = func() {
		close(started)
		for !m.Ready() {
			time.Sleep(time.Millisecond)
		}
	}
	t.Cleanup(func() { testHookWaitReady = func() {} })
	m.Start()
	if err := m.WaitReady(context.Background()); err != nil {
		t.Fatalf("WaitReady while Start's attempt ends: %v", err)
	}
}
