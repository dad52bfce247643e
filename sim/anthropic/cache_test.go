package anthropic

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// clock is a settable time for the cache.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newCache() (*promptCache, *clock) {
	clk := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	return &promptCache{now: clk.now}, clk
}

var (
	fiveMin = &wire.CacheControl{Type: "ephemeral"}
	oneHour = &wire.CacheControl{Type: "ephemeral", TTL: "1h"}
)

// longText is about n tokens of text, different for each seed.
func longText(seed string, n int) string {
	return strings.Repeat(seed+" lorem ipsum dolor sit amet.", n/8+1)[:4*n]
}

// conversation is a request of n positions (1-based, as the docs count
// blocks): a system block of about 1,100 tokens, then one short text
// block per turn, alternating user and assistant; bps maps the
// positions that carry a breakpoint to its cache_control.
func conversation(n int, bps map[int]*wire.CacheControl) *wire.MessagesRequest {
	req := &wire.MessagesRequest{Model: model, System: wire.Blocks{{Type: wire.BlockText, Text: longText("system", 1100), CacheControl: bps[1]}}}
	for pos := 2; pos <= n; pos++ {
		role := "user"
		if pos%2 == 1 {
			role = "assistant"
		}
		block := wire.ContentBlock{Type: wire.BlockText, Text: "turn " + strconv.Itoa(pos) + " of the talk", CacheControl: bps[pos]}
		req.Messages = append(req.Messages, wire.Message{Role: role, Content: wire.Blocks{block}})
	}
	return req
}

// tokensAt returns the tokens of req's prompt up to position pos.
func tokensAt(req *wire.MessagesRequest, pos int) int {
	return readPrompt(model, req).positions[pos-1].tokens
}

// split is the input part of a usage: input, read, 5m and 1h writes.
type split struct{ input, read, write5m, write1h int }

func splitOf(u wire.Usage) split {
	if u.CacheCreationInputTokens != u.CacheCreation.Ephemeral5mInputTokens+u.CacheCreation.Ephemeral1hInputTokens {
		panic("cache_creation_input_tokens is not the sum of cache_creation")
	}
	return split{u.InputTokens, u.CacheReadInputTokens, u.CacheCreation.Ephemeral5mInputTokens, u.CacheCreation.Ephemeral1hInputTokens}
}

func ask(c *promptCache, req *wire.MessagesRequest) split {
	return splitOf(c.usage(readPrompt(model, req), MinCacheable(model)))
}

// The documentation's "lookback in a growing conversation": a hit at the
// turn-1 entry from 5 blocks on, a miss from 20 on, and a second
// breakpoint that finds it again.
func TestCacheLookback(t *testing.T) {
	c, _ := newCache()
	turn1 := conversation(10, map[int]*wire.CacheControl{10: fiveMin})
	t10 := tokensAt(turn1, 10)
	if got := ask(c, turn1); got != (split{0, 0, t10, 0}) {
		t.Fatalf("turn 1: %+v, want all %d written", got, t10)
	}
	turn2 := conversation(15, map[int]*wire.CacheControl{15: fiveMin})
	t15 := tokensAt(turn2, 15)
	if got := ask(c, turn2); got != (split{0, t10, t15 - t10, 0}) {
		t.Errorf("turn 2: %+v, want %d read, %d written", got, t10, t15-t10)
	}
	turn3 := conversation(35, map[int]*wire.CacheControl{35: fiveMin})
	t35 := tokensAt(turn3, 35)
	if got := ask(c, turn3); got != (split{0, 0, t35, 0}) {
		t.Errorf("turn 3, one breakpoint: %+v, want a miss writing all %d", got, t35)
	}
	// The same turn with a second breakpoint at block 15, against a cache
	// that has turn 2's entry: the second window finds it.
	c, _ = newCache()
	ask(c, turn2)
	turn3 = conversation(35, map[int]*wire.CacheControl{15: fiveMin, 35: fiveMin})
	if got := ask(c, turn3); got != (split{0, t15, t35 - t15, 0}) {
		t.Errorf("turn 3, two breakpoints: %+v, want %d read", got, t15)
	}
	// The window counts the breakpoint itself: an entry 19 blocks back is
	// found, one 20 back is not.
	c, _ = newCache()
	ask(c, conversation(16, map[int]*wire.CacheControl{16: fiveMin}))
	if got := ask(c, conversation(35, map[int]*wire.CacheControl{35: fiveMin})); got.read != tokensAt(turn3, 16) {
		t.Errorf("entry 19 blocks back: %+v", got)
	}
	c, _ = newCache()
	ask(c, conversation(15, map[int]*wire.CacheControl{15: fiveMin}))
	if got := ask(c, conversation(35, map[int]*wire.CacheControl{35: fiveMin})); got.read != 0 {
		t.Errorf("entry 20 blocks back: %+v", got)
	}
}

// Writes happen only at breakpoints: a breakpoint on a block that changes
// every request never hits (the documentation's "common mistake"), one on
// the last stable block does.
func TestCacheWritesOnlyAtBreakpoints(t *testing.T) {
	c, _ := newCache()
	varying := func(stamp string, bp int) *wire.MessagesRequest {
		req := conversation(5, nil)
		req.Messages = append(req.Messages, wire.Message{Role: "user", Content: wire.Blocks{{Type: wire.BlockText, Text: "now: " + stamp}}})
		req.Messages[bp-2].Content[0].CacheControl = fiveMin // position bp ≥ 2 is message bp-2
		return req
	}
	ask(c, varying("12:00", 6))
	if got := ask(c, varying("12:01", 6)); got.read != 0 || got.write5m == 0 {
		t.Errorf("breakpoint on the varying block: %+v, want a fresh write", got)
	}
	ask(c, varying("12:02", 5))
	want := tokensAt(varying("x", 5), 5)
	if got := ask(c, varying("12:03", 5)); got.read != want || got.write5m != 0 {
		t.Errorf("breakpoint on the last stable block: %+v, want %d read", got, want)
	}
}

// Entries live 5 minutes (or an hour) from the start of the last request
// that wrote or read them.
func TestCacheLifetimes(t *testing.T) {
	c, clk := newCache()
	req := conversation(3, map[int]*wire.CacheControl{1: fiveMin})
	sys := tokensAt(req, 1)
	ask(c, req)
	clk.advance(4*time.Minute + 59*time.Second)
	if got := ask(c, req); got.read != sys {
		t.Fatalf("at 4m59s: %+v, want a read", got)
	}
	clk.advance(4 * time.Minute) // 8m59s after the write, 4m after the read
	if got := ask(c, req); got.read != sys {
		t.Errorf("4m after a read refreshed it: %+v, want a read", got)
	}
	clk.advance(5 * time.Minute)
	if got := ask(c, req); got.read != 0 || got.write5m != sys {
		t.Errorf("5m after the last use: %+v, want a new write", got)
	}
	c, clk = newCache()
	hour := conversation(3, map[int]*wire.CacheControl{1: oneHour})
	ask(c, hour)
	clk.advance(59 * time.Minute)
	if got := ask(c, hour); got.read != sys {
		t.Errorf("1h entry at 59m: %+v, want a read", got)
	}
	clk.advance(time.Hour)
	if got := ask(c, hour); got.read != 0 || got.write1h != sys {
		t.Errorf("1h entry an hour after its last use: %+v, want a new 1h write", got)
	}
}

// Mixed lifetimes are billed as the documentation's positions A, B and C:
// reads up to the hit, one-hour writes up to the last one-hour
// breakpoint, five-minute writes up to the last breakpoint.
func TestCacheMixedTTLBilling(t *testing.T) {
	c, _ := newCache()
	req := conversation(6, map[int]*wire.CacheControl{1: oneHour, 4: oneHour, 6: fiveMin})
	t1, t4, t6 := tokensAt(req, 1), tokensAt(req, 4), tokensAt(req, 6)
	if got := ask(c, req); got != (split{0, 0, t6 - t4, t4}) {
		t.Errorf("cold: %+v, want 1h %d, 5m %d", got, t4, t6-t4)
	}
	// A new question after turn 3: the system entry is read, the rest
	// written.
	other := conversation(6, map[int]*wire.CacheControl{1: oneHour, 4: oneHour, 6: fiveMin})
	other.Messages[1].Content[0].Text = "a different answer"
	o4, o6 := tokensAt(other, 4), tokensAt(other, 6)
	if got := ask(c, other); got != (split{0, t1, o6 - o4, o4 - t1}) {
		t.Errorf("warm system: %+v, want %d read, 1h %d, 5m %d", got, t1, o4-t1, o6-o4)
	}
	if got := ask(c, other); got != (split{0, o6, 0, 0}) {
		t.Errorf("repeated: %+v, want all %d read", got, o6)
	}
}

// A prefix shorter than the model's minimum is not cached, with no error;
// the minimum is the model's.
func TestCacheMinimumLength(t *testing.T) {
	for _, tt := range []struct {
		model string
		min   int
	}{
		{"claude-sonnet-4-5-20250929", 1024}, {"claude-haiku-4-5", 4096}, {"claude-opus-4-7", 2048},
		{"claude-fable-5", 512}, {"claude-3-5-haiku-latest", 2048}, {"claude-sim-sonnet-4-5", 1024},
	} {
		if got := MinCacheable(tt.model); got != tt.min {
			t.Errorf("MinCacheable(%s) = %d, want %d", tt.model, got, tt.min)
		}
	}
	c, _ := newCache()
	req := conversation(2, map[int]*wire.CacheControl{1: fiveMin})
	sys := tokensAt(req, 1) // about 1,100: enough for Sonnet, not for Haiku 4.5
	haiku := func() split {
		return splitOf(c.usage(readPrompt("claude-haiku-4-5", req), MinCacheable("claude-haiku-4-5")))
	}
	for i := 0; i < 2; i++ {
		if got := haiku(); got != (split{tokensAt(req, 2), 0, 0, 0}) {
			t.Errorf("haiku request %d: %+v, want nothing cached", i, got)
		}
	}
	ask(c, req)
	if got := ask(c, req); got.read != sys {
		t.Errorf("sonnet: %+v, want %d read", got, sys)
	}
}

// Changing tool_choice keeps the tools and system entries and loses the
// messages' (the documentation's invalidation table); a top-level
// cache_control marks the last block; entries are per model.
func TestCacheInvalidationAndAutomatic(t *testing.T) {
	c, _ := newCache()
	req := conversation(4, map[int]*wire.CacheControl{1: fiveMin, 4: fiveMin})
	req.Tools = []wire.Tool{{Name: "f", InputSchema: []byte(`{"type":"object"}`)}}
	sys, all := tokensAt(req, 2), tokensAt(req, 5) // the tool is position 1
	ask(c, req)
	req.ToolChoice = &wire.ToolChoice{Type: wire.ToolChoiceAny}
	if got := ask(c, req); got.read != sys || got.write5m != all-sys {
		t.Errorf("tool_choice changed: %+v, want the system prefix (%d) read", got, sys)
	}
	auto := conversation(4, nil)
	auto.CacheControl = fiveMin
	ask(c, auto)
	if got := ask(c, auto); got.read != tokensAt(auto, 4) {
		t.Errorf("automatic caching: %+v", got)
	}
	if got := splitOf(c.usage(readPrompt("claude-sonnet-4-6", auto), 1024)); got.read != 0 {
		t.Errorf("another model read this model's entry: %+v", got)
	}
}

// Over HTTP the usage is the one the API reports: the four counts, the
// cache_creation split, and count_tokens equal to their sum.
func TestCacheOverHTTP(t *testing.T) {
	srv, _ := newServer(t)
	system := longText("rules", 1500)
	body := `{"model":"` + model + `","max_tokens":50,"system":[{"type":"text","text":"` + system + `","cache_control":{"type":"ephemeral","ttl":"1h"}}],` +
		`"messages":[{"role":"user","content":"Summarize."}]}`
	var got []wire.Usage
	for i := 0; i < 2; i++ {
		var m wire.MessagesResponse
		decodeJSON(t, post(t, srv, "/v1/messages", body), &m)
		got = append(got, m.Usage)
	}
	prefix, question := sim.CountTokens(system), sim.CountTokens("Summarize.")
	if s := splitOf(got[0]); s != (split{question, 0, 0, prefix}) || got[0].ServiceTier != "standard" {
		t.Errorf("first: %+v", got[0])
	}
	if s := splitOf(got[1]); s != (split{question, prefix, 0, 0}) {
		t.Errorf("second: %+v", got[1])
	}
	var count struct {
		InputTokens int `json:"input_tokens"`
	}
	decodeJSON(t, post(t, srv, "/v1/messages/count_tokens", body), &count)
	if count.InputTokens != prefix+question {
		t.Errorf("count_tokens %d, want %d", count.InputTokens, prefix+question)
	}
}

func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, decode: %v", resp.StatusCode, err)
	}
}
