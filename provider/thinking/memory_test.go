package thinking

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

func loop(callID string, thought []llm.Thinking) []llm.Message {
	a := llm.Message{Role: llm.RoleAssistant}
	a.SetToolCalls([]llm.ToolCall{{ID: callID, Type: "function", Name: "get", Arguments: "{}"}})
	a.SetThinking(thought)
	t := llm.TextMessage(llm.RoleTool, "42")
	t.SetToolCallID(callID)
	return []llm.Message{llm.TextMessage(llm.RoleUser, "q"), a, t}
}

var ctx = context.Background()

var blocks = []llm.Thinking{{Text: "I should call get.", Signature: "sig"}}

func TestRestore(t *testing.T) {
	m := New(0, 0)
	m.Keep("acme", []string{"call_1", "call_2"}, blocks)
	msgs := loop("call_2", nil)
	got, ok := m.Restore(ctx, "acme", msgs)
	if !ok || len(got[1].Thinking()) != 1 || got[1].Thinking()[0].Signature != "sig" {
		t.Fatalf("restored %v: %+v", ok, got[1].Thinking())
	}
	if len(msgs[1].Thinking()) != 0 {
		t.Error("the client's request was modified")
	}
	if got[1].ToolCalls()[0].ID != "call_2" {
		t.Error("the turn lost its tool calls")
	}
	for name, c := range map[string]struct {
		scope string
		msgs  []llm.Message
	}{
		"another tenant":           {"other", loop("call_1", nil)},
		"an unknown call":          {"acme", loop("call_9", nil)},
		"a turn with its thinking": {"acme", loop("call_1", []llm.Thinking{{Text: "own", Signature: "s"}})},
		"no tool results after":    {"acme", loop("call_1", nil)[:2]},
	} {
		if got, ok := m.Restore(ctx, c.scope, c.msgs); ok || len(got) != len(c.msgs) {
			t.Errorf("%s: restored", name)
		}
	}
	var none *Memory
	if _, ok := none.Restore(ctx, "acme", msgs); ok {
		t.Error("a nil memory restored")
	}
	none.Keep("acme", []string{"x"}, blocks)
}

func TestBounds(t *testing.T) {
	m := New(1000, time.Minute)
	now := time.Unix(1e9, 0)
	m.now = func() time.Time { return now }
	big := []llm.Thinking{{Text: strings.Repeat("x", 400)}}
	m.Keep("s", []string{"a"}, big)
	m.Keep("s", []string{"b"}, big)
	m.Keep("s", []string{"c"}, big) // pushes a out
	if m.recall("s", "a", false) != nil || m.recall("s", "b", false) == nil || m.recall("s", "c", false) == nil {
		t.Errorf("eviction: held %d", m.Len())
	}
	m.Keep("s", []string{"huge"}, []llm.Thinking{{Text: strings.Repeat("x", 2000)}})
	if m.recall("s", "huge", false) != nil || m.recall("s", "c", false) == nil {
		t.Error("thinking larger than the memory was kept, or pushed the rest out")
	}
	now = now.Add(2 * time.Minute)
	if m.recall("s", "c", false) != nil {
		t.Error("expired thinking recalled")
	}
	if m.bytes < 0 || m.Len() != 1 {
		t.Errorf("bytes %d, len %d", m.bytes, m.Len())
	}
}

func TestRestoreSignatures(t *testing.T) {
	m := New(0, 0)
	m.KeepSignature("acme", "call_1", "sig-1", "gemini-2.5-pro")
	m.Keep("acme", []string{"call_1"}, blocks) // a Claude entry under the same id stays apart
	msgs := loop("call_1", []llm.Thinking{{Text: "own", Signature: "s"}})
	got, ok := m.Restore(ctx, "acme", msgs)
	if tc := got[1].ToolCalls()[0]; !ok || tc.Signature != "sig-1" || tc.SignatureModel != "gemini-2.5-pro" || got[1].Thinking()[0].Text != "own" {
		t.Fatalf("restored %v: %+v", ok, got[1].ToolCalls())
	}
	if msgs[1].ToolCalls()[0].Signature != "" {
		t.Error("the client's request was modified")
	}
	earlier := append(loop("call_1", nil), llm.TextMessage(llm.RoleUser, "next question"))
	if got, _ := m.Restore(ctx, "acme", earlier); got[1].ToolCalls()[0].Signature != "" {
		t.Error("a call before the last user message (not the current turn) was signed")
	}
	if _, ok := m.Restore(ctx, "other", msgs); ok {
		t.Error("another tenant's signature restored")
	}
}

// BenchmarkRestoreToolLoop is the cost a tool loop's request pays when
// nothing is kept for it (a router that restarted, another provider).
func BenchmarkRestoreToolLoop(b *testing.B) {
	m := New(0, 0)
	for i := range 1000 {
		m.KeepSignature("acme", "call_"+string(rune('a'+i%26))+string(rune('a'+i/26%26)), "sig", "")
	}
	msgs := loop("call_unknown", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := m.Restore(ctx, "acme", msgs); ok {
			b.Fatal("restored")
		}
	}
}

// BenchmarkRestoreHit is a tool loop's request whose thinking this
// process kept, without a shared tier: the baseline of
// BenchmarkRestoreShared/local-hit.
func BenchmarkRestoreHit(b *testing.B) {
	m := New(0, 0)
	m.Keep("acme", []string{"call_local"}, blocks)
	msgs := loop("call_local", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := m.Restore(ctx, "acme", msgs); !ok {
			b.Fatal("not restored")
		}
	}
}

// Every assistant turn of the current tool loop that made calls without
// thinking gets the unsigned text kept for them (DeepSeek wants each
// one's reasoning back); signed thinking goes on the last turn alone, and
// an earlier user turn's assistant turns keep what they had.
func TestRestoreUnsignedTextOnEveryTurn(t *testing.T) {
	m := New(0, 0)
	m.Keep("acme", []string{"call_0"}, []llm.Thinking{{Text: "before"}})
	m.Keep("acme", []string{"call_1"}, []llm.Thinking{{Text: "first"}})
	m.Keep("acme", []string{"call_2"}, []llm.Thinking{{Text: "second"}})
	m.Keep("acme", []string{"call_s"}, blocks)
	old := loop("call_0", nil)
	first, second := loop("call_1", nil), loop("call_2", nil)
	msgs := append(append(append(old, llm.TextMessage(llm.RoleUser, "again")), first[1:]...), second[1:]...)
	got, ok := m.Restore(ctx, "acme", msgs)
	if !ok {
		t.Fatal("nothing restored")
	}
	for i, want := range map[int]string{1: "", 4: "first", 6: "second"} {
		if th := got[i].Thinking(); (want == "") != (len(th) == 0) || want != "" && th[0].Text != want {
			t.Errorf("message %d thinking %+v, want %q", i, th, want)
		}
	}
	signed := append(loop("call_s", nil), loop("call_1", nil)[1:]...)
	got, _ = m.Restore(ctx, "acme", signed)
	if th := got[1].Thinking(); len(th) != 0 {
		t.Errorf("an earlier turn got signed thinking %+v", th)
	}
}
