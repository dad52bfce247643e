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
// The memory is in this process only, bounded in bytes and time, and
// scoped (by tenant): a request restores only thinking its own scope
// kept. A miss is not an error: the request is then sent without
// thinking, as Claude's own error advises.
package thinking

import (
	"container/list"
	"context"
	"sync"
	"time"

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

// Keep remembers blocks, the thinking of an answer that made the tool
// calls named by calls, under each call's id in scope. Thinking larger
// than the whole memory is not kept.
func (m *Memory) Keep(scope string, calls []string, blocks []llm.Thinking) {
	if m == nil || len(calls) == 0 || len(blocks) == 0 {
		return
	}
	m.put(scope, calls, false, append([]llm.Thinking(nil), blocks...))
}

// KeepSignature remembers sig, the signature a Gemini model attached to
// the tool call id (llm.ToolCall.Signature), in scope.
func (m *Memory) KeepSignature(scope, id, sig string) {
	if m == nil || id == "" || sig == "" {
		return
	}
	m.put(scope, []string{id}, true, []llm.Thinking{{Signature: sig}})
}

func (m *Memory) put(scope string, calls []string, sig bool, blocks []llm.Thinking) {
	size := 0
	for _, b := range blocks {
		size += len(b.Text) + len(b.Signature) + len(b.Redacted) + 64
	}
	if size > m.maxBytes {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	until := m.now().Add(m.ttl)
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
