package llm

import (
	"testing"
	"unsafe"
)

// TestMessageLayout guards the size of the types a long conversation holds
// one of per turn (a 100,000-message request holds 100,000 of each): a
// field added or moved carelessly grows every request's memory. Sizes are
// for 64-bit platforms.
func TestMessageLayout(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	for _, tt := range []struct {
		name      string
		got, want uintptr
	}{
		{"Message", unsafe.Sizeof(Message{}), 56}, // name, tool calls, refusal behind Extra; the two bools share one word
		{"Part", unsafe.Sizeof(Part{}), 40},       // image and raw fields behind Extra
		// A streamed chunk and its one choice are one allocation of the
		// OpenAI decoder's fast path (every chunk of a stream): 256 bytes is
		// its size class; the rare finish details sit behind a pointer.
		{"Chunk+ChunkChoice", unsafe.Sizeof(Chunk{}) + unsafe.Sizeof(ChunkChoice{}), 256},
	} {
		if tt.got > tt.want {
			t.Errorf("%s is %d bytes; want at most %d", tt.name, tt.got, tt.want)
		}
	}
}

// TestPartAccessors checks that a part's rarely set fields read as empty
// when Extra is nil (every text part) and as set by the constructors.
func TestPartAccessors(t *testing.T) {
	for _, tt := range []struct {
		name             string
		p                Part
		url, detail, raw string
		wantType         PartType
	}{
		{"text", Part{Type: PartText, Text: "hi"}, "", "", "", PartText},
		{"image", ImagePart("https://x/y.png", "low"), "https://x/y.png", "low", "", PartImage},
		{"other", OtherPart([]byte(`{"type":"file"}`)), "", "", `{"type":"file"}`, PartOther},
	} {
		p := tt.p
		if p.Type != tt.wantType || p.ImageURL() != tt.url || p.ImageDetail() != tt.detail || string(p.Raw()) != tt.raw {
			t.Errorf("%s: got type %q url %q detail %q raw %q", tt.name, p.Type, p.ImageURL(), p.ImageDetail(), p.Raw())
		}
	}
}

// TestMessageAccessors checks that a message's rarely set fields read as
// empty when Extra is nil, that a setter given an empty value on such a
// message allocates no Extra, that clearing the last set field drops Extra,
// and that a setter never writes through an Extra shared with a copy.
func TestMessageAccessors(t *testing.T) {
	calls := []ToolCall{{ID: "c1", Type: "function", Name: "f", Arguments: "{}"}}
	for _, tt := range []struct {
		name                 string
		set                  func(*Message)
		wantName, wantID     string
		wantRefusal          string
		wantCalls, wantExtra bool
	}{
		{"none", func(*Message) {}, "", "", "", false, false},
		{"empty values", func(m *Message) {
			m.SetName("")
			m.SetToolCalls(nil)
			m.SetToolCalls([]ToolCall{})
			m.SetToolCallID("")
			m.SetRefusal("")
		}, "", "", "", false, false},
		{"all", func(m *Message) {
			m.SetName("ann")
			m.SetToolCalls(calls)
			m.SetToolCallID("c0")
			m.SetRefusal("no")
		}, "ann", "c0", "no", true, true},
		{"set then cleared", func(m *Message) {
			m.SetName("ann")
			m.SetRefusal("no")
			m.SetName("")
			m.SetRefusal("")
		}, "", "", "", false, false},
	} {
		m := TextMessage(RoleAssistant, "hi")
		tt.set(&m)
		if m.Name() != tt.wantName || m.ToolCallID() != tt.wantID || m.Refusal() != tt.wantRefusal ||
			(len(m.ToolCalls()) == 1) != tt.wantCalls || (m.Extra != nil) != tt.wantExtra {
			t.Errorf("%s: got name %q id %q refusal %q calls %v extra %v", tt.name, m.Name(), m.ToolCallID(), m.Refusal(), m.ToolCalls(), m.Extra)
		}
	}

	orig := Message{Role: RoleTool, Extra: &MessageExtra{ToolCallID: "c1", Name: "n"}}
	cp := orig
	cp.SetToolCallID("c2")
	cp.SetName("")
	if orig.ToolCallID() != "c1" || orig.Name() != "n" || cp.ToolCallID() != "c2" || cp.Name() != "" {
		t.Errorf("setter wrote through a shared Extra: original id %q name %q, copy id %q name %q",
			orig.ToolCallID(), orig.Name(), cp.ToolCallID(), cp.Name())
	}
}
