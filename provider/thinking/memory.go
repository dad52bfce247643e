// Package thinking keeps, for a while, the extended thinking behind a
// model's tool calls, so that a tool loop can send it back when its
// client could not.
//
// Claude refuses to think in the middle of a tool loop unless the
// assistant turn that made the tool calls starts with the thinking that
// led to them, signed as Claude wrote it. An Anthropic client sends it
// back; an OpenAI client cannot (Chat Completions and the Responses API
// have no place for it), so its tool loops would lose thinking after the
// first call. The Anthropic adapter keeps each answer's thinking here
// under the ids of its tool calls; the gateway restores it onto the
// assistant turn that names those ids when the client sends the loop's
// next request.
//
// The memory is bounded in bytes and time, and scoped (by tenant): a
// request restores only thinking its own scope kept. A miss is not an
// error: the request is then sent without thinking, as Claude's own
// error advises.
//
// Behind a load balancer the loop's next turn often reaches another
// router process. With a Store that the processes share (the state back
// end on Redis), the memory has a second tier: Keep also queues each
// entry for the Store (a bounded queue drained by one goroutine: the
// stream that kept it never waits, and a full queue drops and counts),
// under a key that hashes the scope with the call id; Restore, for the
// ids of the current turn this process does not hold, asks the Store,
// all at once, for at most Options.LookupTimeout, and keeps what it finds
// here. A Store that does not answer, an entry it holds that does not
// decode, and an id not found are misses; the ids that missed are not
// asked again for Options.MissTTL. Close drains the queue.
package thinking

import (
	"container/list"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/llm"
)

// Defaults: what a Memory holds when New is given zero.
const (
	DefaultMaxBytes = 32 << 20
	DefaultTTL      = time.Hour
)

// Memory is a bounded store of thinking blocks by (scope, tool call id).
// The zero value is not usable; a nil *Memory keeps and restores nothing.
// It is safe for concurrent use.
type Memory struct {
	mu       sync.Mutex
	entries  map[key]*list.Element
	order    list.List // front: most recently kept
	bytes    int
	maxBytes int
	ttl      time.Duration
	now      func() time.Time
	shared   *shared // nil: this process only
}

// key names an entry: a call's thinking (Claude's), or with sig its
// signature (Gemini's).
type key struct {
	scope, call string
	sig         bool
}

type entry struct {
	k      key
	blocks []llm.Thinking
	size   int
	until  time.Time
}

// New returns a memory holding at most maxBytes of thinking text, each
// for ttl (zero: the defaults).
func New(maxBytes int, ttl time.Duration) *Memory {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &Memory{entries: map[key]*list.Element{}, maxBytes: maxBytes, ttl: ttl, now: time.Now}
}

// Options configures a Memory made by Open. Zero fields mean the
// defaults.
type Options struct {
	// MaxBytes bounds the thinking text this process holds
	// (DefaultMaxBytes); TTL is how long an entry is kept, here and in
	// Shared (DefaultTTL).
	MaxBytes int
	TTL      time.Duration
	// Shared, if not nil, is the second tier that several processes
	// share; nil keeps the memory in this process.
	Shared Store
	// LookupTimeout bounds Restore's wait on Shared
	// (DefaultLookupTimeout); the request's context bounds it too.
	LookupTimeout time.Duration
	// MaxEntryBytes bounds one entry sent to Shared, thinking text and
	// signatures (DefaultMaxEntryBytes); a larger one stays here only.
	MaxEntryBytes int
	// QueueLen is how many kept answers may wait to be written to Shared
	// (DefaultQueueLen); past it they are dropped, and counted.
	QueueLen int
	// MissTTL is how long an id Shared did not hold is not asked for
	// again (DefaultMissTTL).
	MissTTL time.Duration
	// Logger logs a failing Shared, once a minute; nil means
	// slog.Default().
	Logger *slog.Logger
	// Registerer, if not nil, gets the shared tier's counter,
	// switchyard_thinking_shared_total.
	Registerer prometheus.Registerer
}

// Open returns a memory configured by opts; with opts.Shared it starts
// the goroutine that writes to it, which Close stops. It fails only if
// the counter cannot be registered.
func Open(opts Options) (*Memory, error) {
	m := New(opts.MaxBytes, opts.TTL)
	if opts.Shared == nil {
		return m, nil
	}
	if opts.LookupTimeout <= 0 {
		opts.LookupTimeout = DefaultLookupTimeout
	}
	if opts.MaxEntryBytes <= 0 {
		opts.MaxEntryBytes = DefaultMaxEntryBytes
	}
	if opts.QueueLen <= 0 {
		opts.QueueLen = DefaultQueueLen
	}
	if opts.MissTTL <= 0 {
		opts.MissTTL = DefaultMissTTL
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	m.shared = newShared(opts, func() time.Time { return m.now() })
	if opts.Registerer != nil {
		if err := opts.Registerer.Register(m.shared.events); err != nil {
			_ = m.shared.close(context.Background())
			return nil, fmt.Errorf("thinking: register metrics: %w", err)
		}
	}
	return m, nil
}

// Close writes to the shared tier what is queued for it, until ctx is
// done (then the rest is dropped and ctx's error returned), and stops its
// goroutine; later entries stay in this process. It does nothing for a
// memory without one (or nil).
func (m *Memory) Close(ctx context.Context) error {
	if m == nil || m.shared == nil {
		return nil
	}
	return m.shared.close(ctx)
}

// Keep remembers blocks, the thinking of an answer that made the tool
// calls named by calls, under each call's id in scope. Thinking larger
// than the whole memory is not kept. With a shared tier it is also
// queued for the store, without waiting.
func (m *Memory) Keep(scope string, calls []string, blocks []llm.Thinking) {
	if m == nil || len(calls) == 0 || len(blocks) == 0 {
		return
	}
	m.put(scope, calls, false, append([]llm.Thinking(nil), blocks...))
}

// KeepSignature remembers sig, the signature the Gemini model (its
// llm.SignatureModelID; "" when unknown) attached to the tool call id
// (llm.ToolCall.Signature), in scope (and, with a shared tier, queues it
// for the store, as Keep does). The entry is one block: the signature,
// with the model as its Text.
func (m *Memory) KeepSignature(scope, id, sig, model string) {
	if m == nil || id == "" || sig == "" {
		return
	}
	m.put(scope, []string{id}, true, []llm.Thinking{{Signature: sig, Text: model}})
}

func (m *Memory) put(scope string, calls []string, sig bool, blocks []llm.Thinking) {
	size := sizeOf(blocks)
	if size > m.maxBytes {
		return
	}
	until := m.now().Add(m.ttl)
	m.hold(scope, calls, sig, blocks, size, until)
	if m.shared != nil {
		m.shared.keep(write{scope: scope, calls: append([]string(nil), calls...), sig: sig, blocks: blocks, until: until}, size)
	}
}

// sizeOf is what blocks count against the memory's bytes.
func sizeOf(blocks []llm.Thinking) int {
	size := 0
	for _, b := range blocks {
		size += len(b.Text) + len(b.Signature) + len(b.Redacted) + 64
	}
	return size
}

// hold keeps blocks here, under each of calls, until until.
func (m *Memory) hold(scope string, calls []string, sig bool, blocks []llm.Thinking, size int, until time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range calls {
		if id == "" {
			continue
		}
		k := key{scope, id, sig}
		if el, ok := m.entries[k]; ok {
			m.remove(el)
		}
		m.entries[k] = m.order.PushFront(&entry{k: k, blocks: blocks, size: size, until: until})
		m.bytes += size
	}
	for m.bytes > m.maxBytes {
		m.remove(m.order.Back())
	}
}

// recall returns the live thinking kept under call in scope (with sig,
// its signature as the only block's), or nil.
func (m *Memory) recall(scope, call string, sig bool) []llm.Thinking {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.entries[key{scope, call, sig}]
	if !ok {
		return nil
	}
	e := el.Value.(*entry)
	if m.now().After(e.until) {
		m.remove(el)
		return nil
	}
	return e.blocks
}

func (m *Memory) remove(el *list.Element) {
	e := m.order.Remove(el).(*entry)
	delete(m.entries, e.k)
	m.bytes -= e.size
}

// Len returns the number of tool call ids held (expired ones included
// until they are looked up or pushed out).
func (m *Memory) Len() int {
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

type scopeKey struct{}

// WithScope returns ctx carrying the scope (the tenant) under which the
// adapter keeps the thinking of the request's answer.
func WithScope(ctx context.Context, scope string) context.Context {
	return context.WithValue(ctx, scopeKey{}, scope)
}

// Scope returns the scope in ctx, or "".
func Scope(ctx context.Context) string {
	s, _ := ctx.Value(scopeKey{}).(string)
	return s
}
