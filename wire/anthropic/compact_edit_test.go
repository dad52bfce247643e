package anthropic

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider/sse"
)

// pausedCompaction is the stream of an answer that stopped after Claude
// compacted the conversation (a compact_20260112 edit with
// pause_after_compaction): the compaction block alone, stop_reason
// compaction, the compaction's usage in usage.iterations alone.
const pausedCompaction = `event: message_start
data: {"type":"message_start","message":{"id":"msg_01Paused","type":"message","role":"assistant","model":"claude-opus-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"compaction","content":"","encrypted_content":"","signature":"sig=="}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"compaction_delta","content":"Summary <of> the trip","encrypted_content":"enc=="}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"compaction","stop_sequence":null},"usage":{"input_tokens":0,"output_tokens":0,"iterations":[{"type":"compaction","input_tokens":60000,"cache_creation_input_tokens":0,"cache_read_input_tokens":2000,"output_tokens":300}]},"context_management":{"applied_edits":[{"type":"clear_thinking_20251015","cleared_thinking_turns":1,"cleared_input_tokens":40}]}}

event: message_stop
data: {"type":"message_stop"}

`

// translateStream runs an upstream stream through the translator (as the
// Anthropic adapter does) and returns its chunks.
func translateStream(t *testing.T, stream string) []*llm.Chunk {
	t.Helper()
	d := NewStreamDecoder(strings.NewReader(stream), 1700000000)
	var out []*llm.Chunk
	for {
		c, err := d.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
}

// relayed is the complete answer an Anthropic client gets for chunks.
func relayed(t *testing.T, chunks []*llm.Chunk) map[string]json.RawMessage {
	t.Helper()
	var acc llm.Accumulator
	for _, c := range chunks {
		acc.Add(c)
	}
	body := AppendResponse(nil, acc.Response(), "req_1")
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return m
}

// streamed is the stream an Anthropic client gets for chunks, as its
// events' data.
func streamed(t *testing.T, chunks []*llm.Chunk) []map[string]json.RawMessage {
	t.Helper()
	enc := StreamEncoder{RequestID: "req_1", Model: "auto"}
	var out []byte
	for _, c := range chunks {
		out = enc.Chunk(out, c)
	}
	u, _ := enc.Usage()
	out = enc.End(out, &u)
	r := sse.NewReader(bytes.NewReader(out))
	var events []map[string]json.RawMessage
	for {
		ev, err := r.Next()
		if err != nil {
			return events
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(ev.Data, &m); err != nil {
			t.Fatalf("%s: %v", ev.Data, err)
		}
		events = append(events, m)
	}
}

// TestCompactionRelayedPaused: Claude's compaction block, its stop
// (compaction), its iteration and the applied edits reach an Anthropic
// client as Claude wrote them, complete and streamed; the compaction's
// tokens are the usage's Compaction (billed), the top-level counts zero.
func TestCompactionRelayedPaused(t *testing.T) {
	chunks := translateStream(t, pausedCompaction)
	msg := relayed(t, chunks)
	const block = `[{"type":"compaction","content":"Summary <of> the trip","encrypted_content":"enc==","signature":"sig=="}]`
	if string(msg["content"]) != block || string(msg["stop_reason"]) != `"compaction"` {
		t.Errorf("content %s, stop_reason %s", msg["content"], msg["stop_reason"])
	}
	const applied = `{"applied_edits":[{"type":"clear_thinking_20251015","cleared_thinking_turns":1,"cleared_input_tokens":40}]}`
	if string(msg["context_management"]) != applied {
		t.Errorf("context_management %s", msg["context_management"])
	}
	var usage struct {
		InputTokens int               `json:"input_tokens"`
		Iterations  []json.RawMessage `json:"iterations"`
	}
	json.Unmarshal(msg["usage"], &usage)
	const it = `{"type":"compaction","input_tokens":60000,"cache_creation_input_tokens":0,"cache_read_input_tokens":2000,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":300}`
	if usage.InputTokens != 0 || len(usage.Iterations) != 1 || string(usage.Iterations[0]) != it {
		t.Errorf("usage %s", msg["usage"])
	}
	var acc llm.Accumulator
	for _, c := range chunks {
		acc.Add(c)
	}
	if c := acc.Response().Usage.Compaction; c == nil || *c != (llm.ModelUsage{PromptTokens: 62000, CompletionTokens: 300, CachedPromptTokens: 2000}) {
		t.Errorf("usage's compaction %+v", c)
	}

	events := streamed(t, chunks)
	var deltas, starts []string
	var final map[string]json.RawMessage
	for _, ev := range events {
		switch string(ev["type"]) {
		case `"content_block_start"`:
			starts = append(starts, string(ev["content_block"]))
		case `"content_block_delta"`:
			deltas = append(deltas, string(ev["delta"]))
		case `"message_delta"`:
			final = ev
		}
	}
	if len(starts) != 1 || starts[0] != `{"type":"compaction","content":"","encrypted_content":"","signature":"sig=="}` {
		t.Errorf("starts %q", starts)
	}
	if len(deltas) != 1 || deltas[0] != `{"type":"compaction_delta","content":"Summary <of> the trip","encrypted_content":"enc=="}` {
		t.Errorf("deltas %q", deltas)
	}
	if final == nil || !strings.Contains(string(final["delta"]), `"stop_reason":"compaction"`) ||
		string(final["context_management"]) != applied || !strings.Contains(string(final["usage"]), `"iterations":[{"type":"compaction","input_tokens":60000`) {
		t.Errorf("message_delta %v", final)
	}
}

// TestCompactionRelayedContinued: an answer that goes on after Claude
// compacted the conversation keeps the compaction block first, then the
// text; its iterations are the compaction's and the message's.
func TestCompactionRelayedContinued(t *testing.T) {
	in, err := os.ReadFile("testdata/stream_compaction.sse")
	if err != nil {
		t.Fatal(err)
	}
	chunks := translateStream(t, string(in))
	msg := relayed(t, chunks)
	var content []map[string]any
	json.Unmarshal(msg["content"], &content)
	if len(content) != 2 || content[0]["type"] != "compaction" || content[0]["signature"] != "EqQBCkYIBxgCKkBsig" ||
		content[0]["content"] != "Summary: the user is building a website with a contact form." || content[1]["text"] != "Next, the form's validation." {
		t.Errorf("content %s", msg["content"])
	}
	if string(msg["stop_reason"]) != `"end_turn"` || string(msg["context_management"]) != `{"applied_edits":[]}` {
		t.Errorf("stop_reason %s, context_management %s", msg["stop_reason"], msg["context_management"])
	}
	var usage struct {
		InputTokens int `json:"input_tokens"`
		Iterations  []struct {
			Type        string `json:"type"`
			InputTokens int    `json:"input_tokens"`
			Model       *string
		} `json:"iterations"`
	}
	json.Unmarshal(msg["usage"], &usage)
	if usage.InputTokens != 23000 || len(usage.Iterations) != 2 || usage.Iterations[0].Type != "compaction" ||
		usage.Iterations[0].InputTokens != 180000 || usage.Iterations[1].Type != "message" || usage.Iterations[1].InputTokens != 23000 {
		t.Errorf("usage %s", msg["usage"])
	}
}

// TestCompactionCost: the compaction's tokens cost the deployment's own
// prices, on top of the answer's.
func TestCompactionCost(t *testing.T) {
	d := llm.Deployment{InputPricePerM: 5, OutputPricePerM: 25, CachedInputPricePerM: 0.5}
	answer := llm.Usage{PromptTokens: 23000, CompletionTokens: 1000, TotalTokens: 24000}
	with := answer
	with.Compaction = &llm.ModelUsage{PromptTokens: 180000, CompletionTokens: 3500, CachedPromptTokens: 20000}
	want := d.Cost(answer) + (160000*5+20000*0.5+3500*25)/1e6
	if got := d.Cost(with); llm.RoundUSD(got) != llm.RoundUSD(want) {
		t.Errorf("cost %v, want %v", got, want)
	}
	sum := answer
	sum.Add(with)
	if c := sum.Compaction; c == nil || c.PromptTokens != 180000 {
		t.Errorf("Add: %+v", c)
	}
	sum.Add(with)
	if c := sum.Compaction; c.PromptTokens != 360000 || with.Compaction.PromptTokens != 180000 {
		t.Errorf("Add twice: %+v (the addend's %+v)", c, with.Compaction)
	}
}

// TestCompactionTurnSentBack: an answer that went on after Claude
// compacted the conversation, sent back first, reaches a Claude model
// that takes compaction as the one turn it was (the block, then the
// text), not split in two assistant turns.
func TestCompactionTurnSentBack(t *testing.T) {
	const block = `{"type":"compaction","content":"S","encrypted_content":"E","signature":"G"}`
	body := `{"model":"claude-opus-4-7","max_tokens":50,"messages":[{"role":"assistant","content":[` + block +
		`,{"type":"text","text":"Next."}]},{"role":"user","content":"Which?"}]}`
	mr, err := DecodeMessagesRequest([]byte(body), false)
	if err == nil {
		err = Validate(mr)
	}
	if err != nil {
		t.Fatal(err)
	}
	req, err := RequestToLLM(mr)
	if err != nil {
		t.Fatal(err)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := out.MarshalJSON()
	const want = `"messages":[{"role":"assistant","content":[` + block + `,{"type":"text","text":"Next."}]},{"role":"user","content":[{"type":"text","text":"Which?"}]}]`
	if !strings.Contains(string(b), want) {
		t.Errorf("sent %s", b)
	}
}

// TestCompactEditFor: a Claude model that takes compaction is sent
// context_management as it came; another is sent it without the
// compact_20260112 edit (which the API would refuse), and none at all
// when that edit was all it held.
func TestCompactEditFor(t *testing.T) {
	const both = `{"edits":[{"type":"clear_thinking_20251015"},{"type":"compact_20260112","trigger":{"type":"input_tokens","value":60000}}]}`
	const only = `{"edits":[{"type":"compact_20260112"}]}`
	for _, c := range []struct{ model, cm, want string }{
		{"claude-opus-4-7", both, both},
		{"claude-sonnet-4-6", only, only},
		{"claude-sonnet-4-5", both, `{"edits":[{"type":"clear_thinking_20251015"}]}`},
		{"claude-sonnet-4-5", only, ""},
		{"claude-opus-4-6@20260101", only, ""}, // on Vertex: no compaction beta there
		{"claude-sonnet-4-5", `{"edits":[{"type":"clear_tool_uses_20250919"}]}`, `{"edits":[{"type":"clear_tool_uses_20250919"}]}`},
	} {
		// thinking asked: the clear_thinking edit needs it (TestClearThinkingWithoutThinking)
		req := &llm.Request{Model: c.model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}, ContextManagement: json.RawMessage(c.cm),
			Reasoning: &llm.Reasoning{Effort: llm.EffortHigh}}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatal(err)
		}
		if string(out.ContextManagement) != c.want {
			t.Errorf("%s, %s: sent %s, want %s", c.model, c.cm, out.ContextManagement, c.want)
		}
	}
}

// TestClearThinkingWithoutThinking: the API refuses a
// clear_thinking_20251015 edit in a request that does not think ("…
// requires `thinking` to be enabled or adaptive"): it is left out, and
// named, when no thinking is sent to a model that does not think unasked
// (or thinking is disabled); kept when thinking is sent, and on a model
// of generation 5 that thinks unasked.
func TestClearThinkingWithoutThinking(t *testing.T) {
	const cm = `{"edits":[{"type":"clear_tool_uses_20250919"},{"type":"clear_thinking_20251015","keep":"all"}]}`
	const tools = `{"edits":[{"type":"clear_tool_uses_20250919"}]}`
	high, none := &llm.Reasoning{Effort: llm.EffortHigh}, &llm.Reasoning{Effort: llm.EffortNone}
	for _, c := range []struct {
		model     string
		reasoning *llm.Reasoning
		want      string
	}{
		{"claude-opus-4-6", nil, tools},
		{"claude-opus-4-7", nil, tools},
		{"claude-sonnet-4-5", none, tools},
		{"claude-opus-4-6", high, cm},
		{"claude-sonnet-5", nil, cm},     // thinks unasked
		{"claude-sonnet-5", none, tools}, // thinking disabled
	} {
		req := &llm.Request{Model: c.model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")},
			ContextManagement: json.RawMessage(cm), Reasoning: c.reasoning}
		drops := ReasoningDrops(req)
		out, err := FromLLM(req)
		if err != nil {
			t.Fatal(err)
		}
		if string(out.ContextManagement) != c.want {
			t.Errorf("%s %+v: sent %s, want %s", c.model, c.reasoning, out.ContextManagement, c.want)
		}
		if named := slices.Contains(drops, EditClearThinking); named != (c.want == tools) {
			t.Errorf("%s %+v: drops %v", c.model, c.reasoning, drops)
		}
	}
}
