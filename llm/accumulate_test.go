package llm

import (
	"strings"
	"testing"
)

func TestAccumulator(t *testing.T) {
	var a Accumulator
	chunks := []Chunk{
		{ID: "c1", Model: "m", Created: 5, Choices: []ChunkChoice{{Delta: Delta{Role: RoleAssistant, Content: "Hel"}}}},
		{ID: "c1", Choices: []ChunkChoice{{Delta: Delta{Content: "lo", ToolCalls: []ToolCallDelta{{Index: 0, ID: "call_1", Type: "function", Name: "f", Arguments: `{"a"`, Signature: "sig"}}}}}},
		{ID: "c1", Choices: []ChunkChoice{{Delta: Delta{ToolCalls: []ToolCallDelta{{Index: 0, Arguments: `:1}`}, {Index: 1, ID: "call_2", Name: "g", Arguments: `{}`}}}}}},
		{ID: "c1", Choices: []ChunkChoice{{FinishReason: FinishToolCalls}}},
		{ID: "c1", Usage: &Usage{PromptTokens: 3, CompletionTokens: 4, TotalTokens: 7, CachedPromptTokens: 1}},
	}
	for i := range chunks {
		a.Add(&chunks[i])
	}
	r := a.Response()
	if r.ID != "c1" || r.Model != "m" || r.Created != 5 || len(r.Choices) != 1 {
		t.Fatalf("response %+v", r)
	}
	m := r.Choices[0].Message
	if m.Text() != "Hello" || r.Choices[0].FinishReason != FinishToolCalls || m.Role != RoleAssistant {
		t.Errorf("choice %+v", r.Choices[0])
	}
	if len(m.ToolCalls()) != 2 || m.ToolCalls()[0].Arguments != `{"a":1}` || m.ToolCalls()[1].Name != "g" || m.ToolCalls()[0].Type != "function" ||
		m.ToolCalls()[0].Signature != "sig" || m.ToolCalls()[1].Signature != "" {
		t.Errorf("tool calls %+v", m.ToolCalls())
	}
	if r.Usage == nil || r.Usage.TotalTokens != 7 || r.Usage.CachedPromptTokens != 1 {
		t.Errorf("usage %+v", r.Usage)
	}
}

// TestAccumulatorChoices covers streams with several choices (n ≥ 2). The
// second choice's first chunk grows the per-choice state while the first
// choice's builder already holds text; copying that builder used to panic.
func TestAccumulatorChoices(t *testing.T) {
	text := func(i int, s string) ChunkChoice { return ChunkChoice{Index: i, Delta: Delta{Content: s}} }
	tests := []struct {
		name   string
		chunks []Chunk
		want   []string
	}{
		{"sequential", []Chunk{
			{Choices: []ChunkChoice{text(0, "Hel"), text(0, "lo")}},
			{Choices: []ChunkChoice{text(1, "Wor")}},
			{Choices: []ChunkChoice{text(1, "ld")}},
		}, []string{"Hello", "World"}},
		{"interleaved", []Chunk{
			{Choices: []ChunkChoice{text(0, "a")}},
			{Choices: []ChunkChoice{text(1, "b")}},
			{Choices: []ChunkChoice{text(2, "c")}},
			{Choices: []ChunkChoice{text(0, "1"), text(1, "2"), text(2, "3")}},
		}, []string{"a1", "b2", "c3"}},
		{"out of order", []Chunk{
			{Choices: []ChunkChoice{text(2, "z")}},
			{Choices: []ChunkChoice{text(0, "x")}},
			{Choices: []ChunkChoice{text(1, "y")}},
		}, []string{"x", "y", "z"}},
		{"bad indices ignored", []Chunk{
			{Choices: []ChunkChoice{text(0, "ok"), text(-1, "neg"), text(MaxChoices, "big")}},
			{Choices: []ChunkChoice{{Index: 0, Delta: Delta{ToolCalls: []ToolCallDelta{{Index: -3}, {Index: 1 << 40}}}}}},
		}, []string{"ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Accumulator
			for i := range tt.chunks {
				a.Add(&tt.chunks[i])
			}
			r := a.Response()
			if len(r.Choices) != len(tt.want) {
				t.Fatalf("%d choices, want %d", len(r.Choices), len(tt.want))
			}
			for i, w := range tt.want {
				if r.Choices[i].Index != i || r.Choices[i].Message.Text() != w {
					t.Errorf("choice %d = %d %q, want %q", i, r.Choices[i].Index, r.Choices[i].Message.Text(), w)
				}
				if len(r.Choices[i].Message.ToolCalls()) != 0 {
					t.Errorf("choice %d has tool calls %+v", i, r.Choices[i].Message.ToolCalls())
				}
			}
		})
	}
}

// TestAccumulatorLogprobs checks that each choice's token log probabilities
// are concatenated in order, that a first chunk's empty list survives as
// an empty (not nil) list, that a choice never sent any has none, and that
// a returned Response does not change with later chunks.
func TestAccumulatorLogprobs(t *testing.T) {
	tok := func(s string, lp float64) TokenLogprob {
		return TokenLogprob{Token: s, Logprob: lp, Bytes: []byte(s), TopLogprobs: []TopLogprob{{Token: s, Logprob: lp, Bytes: []byte(s)}}}
	}
	var a Accumulator
	for _, c := range []Chunk{
		{Choices: []ChunkChoice{{Delta: Delta{Role: RoleAssistant}, Logprobs: &Logprobs{Content: []TokenLogprob{}}}}},
		{Choices: []ChunkChoice{{Delta: Delta{Content: "Hi"}, Logprobs: &Logprobs{Content: []TokenLogprob{tok("Hi", -0.5)}}}}},
		{Choices: []ChunkChoice{{Index: 1, Delta: Delta{Content: "Yo"}}}},
		{Choices: []ChunkChoice{{Delta: Delta{Content: "!"}, Logprobs: &Logprobs{Content: []TokenLogprob{tok("!", -0.25)}}}}},
		{Choices: []ChunkChoice{{FinishReason: FinishStop}}},
	} {
		a.Add(&c)
	}
	r := a.Response()
	lp := r.Choices[0].Logprobs
	if lp == nil || len(lp.Content) != 2 || lp.Content[0].Token != "Hi" || lp.Content[1].Logprob != -0.25 || lp.Refusal != nil {
		t.Fatalf("choice 0 logprobs %+v", lp)
	}
	if r.Choices[1].Logprobs != nil {
		t.Errorf("choice 1 has logprobs %+v; it was sent none", r.Choices[1].Logprobs)
	}
	a.Add(&Chunk{Choices: []ChunkChoice{{Logprobs: &Logprobs{Content: []TokenLogprob{tok("?", -1)}}}}})
	if len(lp.Content) != 2 || len(a.Response().Choices[0].Logprobs.Content) != 3 {
		t.Errorf("a later chunk changed the returned response, or was not added")
	}

	var b Accumulator
	b.Add(&Chunk{Choices: []ChunkChoice{{Delta: Delta{Role: RoleAssistant}, Logprobs: &Logprobs{Content: []TokenLogprob{}}}}})
	if got := b.Response().Choices[0].Logprobs; got == nil || got.Content == nil || len(got.Content) != 0 || got.Refusal != nil {
		t.Errorf("an empty first list accumulated to %+v; want an empty content list and a nil refusal", got)
	}
}

// The usage an upstream reports on the way (Chunk.UsageSoFar) is kept,
// the last one, in a response that broke before its final usage, as a
// copy later chunks do not change; a response with its final usage
// carries only that.
func TestAccumulatorKeepsUsageSoFar(t *testing.T) {
	var a Accumulator
	a.Add(&Chunk{ID: "c", UsageSoFar: &Usage{PromptTokens: 500, CachedPromptTokens: 300, TotalTokens: 500}})
	a.Add(&Chunk{Choices: []ChunkChoice{{Delta: Delta{Content: "partial"}}}})
	a.Add(&Chunk{UsageSoFar: &Usage{PromptTokens: 500, CachedPromptTokens: 300, CompletionTokens: 7, TotalTokens: 507}})
	r := a.Response()
	if r.Usage != nil || r.UsageSoFar == nil || *r.UsageSoFar != (Usage{PromptTokens: 500, CachedPromptTokens: 300, CompletionTokens: 7, TotalTokens: 507}) {
		t.Fatalf("usage %v, so far %+v", r.Usage, r.UsageSoFar)
	}
	a.Add(&Chunk{UsageSoFar: &Usage{PromptTokens: 500, CompletionTokens: 9, TotalTokens: 509}})
	if r.UsageSoFar.CompletionTokens != 7 {
		t.Errorf("a later chunk changed the returned response's usage so far: %+v", r.UsageSoFar)
	}
	a.Add(&Chunk{Usage: &Usage{PromptTokens: 500, CompletionTokens: 12, TotalTokens: 512}})
	if r := a.Response(); r.UsageSoFar != nil || r.Usage.CompletionTokens != 12 {
		t.Errorf("with its final usage: so far %+v, usage %+v", r.UsageSoFar, r.Usage)
	}
}

// With MaxText, the text kept stops at the bound, at a chunk's edge: the
// chunk that would pass it and every later one add no text (content,
// tool call arguments, thinking), which TextLeftOut counts; the rest of
// them (a call's id and name, the finish reason, the usage) still counts.
func TestAccumulatorMaxText(t *testing.T) {
	a := Accumulator{MaxText: 10}
	for _, c := range []*Chunk{
		{ID: "c1", Choices: []ChunkChoice{{Delta: Delta{Content: "Hello "}}}},
		{Choices: []ChunkChoice{{Delta: Delta{Content: "world!", Thinking: &ThinkingDelta{Text: "hmm", Signature: "sig"}}}}},
		{Choices: []ChunkChoice{{Delta: Delta{Content: "!"}}}},
		{Choices: []ChunkChoice{{Delta: Delta{ToolCalls: []ToolCallDelta{{Index: 0, ID: "call_1", Type: "function", Name: "f", Arguments: `{"a":1}`}}}}}},
		{Choices: []ChunkChoice{{FinishReason: FinishToolCalls}}, Usage: &Usage{CompletionTokens: 9}},
	} {
		a.Add(c)
	}
	r := a.Response()
	ch := r.Choices[0]
	if got := ch.Message.Text(); got != "Hello " {
		t.Errorf("text %q, want the first chunk's alone", got)
	}
	if r.TextLeftOut != 6+3+1+7 {
		t.Errorf("TextLeftOut %d, want 17", r.TextLeftOut)
	}
	calls := ch.Message.ToolCalls()
	if len(calls) != 1 || calls[0].ID != "call_1" || calls[0].Name != "f" || calls[0].Arguments != "" {
		t.Errorf("tool calls %+v, want call_1 f without its arguments", calls)
	}
	if ch.FinishReason != FinishToolCalls || r.Usage == nil || r.Usage.CompletionTokens != 9 {
		t.Errorf("finish %q usage %+v", ch.FinishReason, r.Usage)
	}
	var whole Accumulator // no bound
	whole.Add(&Chunk{Choices: []ChunkChoice{{Delta: Delta{Content: strings.Repeat("x", 1<<20)}}}})
	if r := whole.Response(); r.TextLeftOut != 0 || len(r.Choices[0].Message.Text()) != 1<<20 {
		t.Errorf("without MaxText: kept %d, left out %d", len(r.Choices[0].Message.Text()), r.TextLeftOut)
	}
}
