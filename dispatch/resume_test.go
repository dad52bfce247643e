package dispatch

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// writer is a fake upstream (on the shared llmtest.Provider) with a fixed
// answer, streamed a word a chunk. A request ending with an assistant
// message is a prefill: it continues the answer after it (or rejects it,
// with a 400, when rejectPrefill).
type writer struct {
	name          string
	answer        string
	cutAfter      int  // words before the stream breaks (0 = never)
	toolFirst     bool // open with a tool call delta
	rejectPrefill bool
	style         llm.Continuation
	soFar         *llm.Usage // the usage reported on the way, on the role chunk

	once sync.Once
	p    llmtest.Provider
}

// provider returns the writer's upstream, scripted by its fields.
func (w *writer) provider() *llmtest.Provider {
	w.once.Do(func() {
		w.p.Func = func(_ context.Context, req *llm.Request, _ int) llmtest.Script { return w.script(req) }
	})
	return &w.p
}

func (w *writer) script(req *llm.Request) llmtest.Script {
	text := w.answer
	if last := req.Messages[len(req.Messages)-1]; last.Role == llm.RoleAssistant {
		if w.rejectPrefill {
			return llmtest.Script{Err: &llm.Error{Kind: llm.KindInvalidRequest, Message: "This model does not support assistant message prefill."}}
		}
		p := last.Text()
		if !strings.HasPrefix(text, p) {
			text = p + " unrelated"
		}
		text = text[len(p):]
	}
	mk := func(d llm.Delta, fin llm.FinishReason) llmtest.Event {
		return llmtest.Event{Chunk: &llm.Chunk{ID: "id-" + w.name, Model: w.name, Created: 7, Choices: []llm.ChunkChoice{{Delta: d, FinishReason: fin}}}}
	}
	ev := []llmtest.Event{mk(llm.Delta{Role: llm.RoleAssistant}, "")}
	if w.soFar != nil {
		u := *w.soFar
		ev[0].Chunk.UsageSoFar = &u
	}
	if w.toolFirst {
		ev = append(ev, mk(llm.Delta{ToolCalls: []llm.ToolCallDelta{{ID: "c1", Name: "f", Arguments: `{"a":`}}}, ""))
	}
	for i, piece := range splitWords(text) {
		if w.cutAfter > 0 && i == w.cutAfter {
			cut := &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "upstream cut the stream"}
			return llmtest.Script{Events: append(ev, llmtest.Event{Err: cut})}
		}
		ev = append(ev, mk(llm.Delta{Content: piece}, ""))
	}
	ev = append(ev, mk(llm.Delta{}, llm.FinishStop))
	u := &llm.Usage{PromptTokens: 10, CompletionTokens: 5, TotalTokens: 15}
	ev = append(ev, llmtest.Event{Chunk: &llm.Chunk{ID: "id-" + w.name, Choices: []llm.ChunkChoice{}, Usage: u}})
	return llmtest.Script{Events: ev}
}

func splitWords(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' {
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func (w *writer) target() *Target {
	return &Target{Deployment: llm.Deployment{Name: w.name, Provider: "p", Model: w.name, Continuation: w.style}, Provider: w.provider()}
}

func resumePlan(ws ...*writer) *Plan {
	p := &Plan{Resume: true}
	for _, w := range ws {
		p.Tiers = append(p.Tiers, Tier{Targets: []*Target{w.target()}, TTFTTimeout: time.Second})
	}
	return p
}

// readAll reads s to its end: the text, the chunk ids, the last usage and
// the error that ended it (nil for a clean end).
func readAll(t *testing.T, s *Stream) (text string, ids map[string]bool, usage *llm.Usage, err error) {
	text, ids, usage, _, err = collectNote(t, s)
	return text, ids, usage, err
}

// collectNote is readAll that also returns the finish chunk's resume note.
func collectNote(t *testing.T, s *Stream) (text string, ids map[string]bool, usage *llm.Usage, note *llm.Resumed, err error) {
	t.Helper()
	defer s.Close()
	ids = map[string]bool{}
	var b strings.Builder
	for {
		c, err := s.Next()
		if err == io.EOF {
			return b.String(), ids, usage, note, nil
		}
		if err != nil {
			return b.String(), ids, usage, note, err
		}
		ids[c.ID] = true
		if len(c.Choices) > 0 && c.Choices[0].FinishReason != "" {
			note = c.Resumed
		}
		if c.Usage != nil {
			usage = c.Usage
		}
		for _, ch := range c.Choices {
			b.WriteString(ch.Delta.Content)
			if ch.Delta.Role != "" && b.Len() > 0 {
				t.Errorf("a second role delta after content %q", b.String())
			}
		}
	}
}

const fullAnswer = "The river runs north to the sea and then it turns west."

func TestResume(t *testing.T) {
	zero := 0.0
	cases := []struct {
		name     string
		up       []*writer
		temp0    bool
		off      bool
		logprobs bool
		wantText string
		wantErr  string // substring of the error; "" for a clean end
		wantTo   string
		wantMode string
	}{
		{
			name:     "prefill continues",
			up:       []*writer{{name: "a", answer: fullAnswer, cutAfter: 4}, {name: "b", answer: fullAnswer, style: llm.ContinueAnthropic}},
			wantText: fullAnswer, wantTo: "b", wantMode: ResumePrefill,
		},
		{
			name: "rejecting candidate skipped",
			up: []*writer{{name: "a", answer: fullAnswer, cutAfter: 4}, {name: "b", answer: fullAnswer, style: llm.ContinueAnthropic, rejectPrefill: true},
				{name: "c", answer: fullAnswer, style: llm.ContinueVLLM}},
			wantText: fullAnswer, wantTo: "c", wantMode: ResumePrefill,
		},
		{
			name:     "regeneration with equal prefix relayed",
			up:       []*writer{{name: "a", answer: fullAnswer, cutAfter: 4}, {name: "b", answer: fullAnswer}},
			temp0:    true,
			wantText: fullAnswer, wantTo: "b", wantMode: ResumeRegenerate,
		},
		{
			name:     "regeneration with another prefix dropped",
			up:       []*writer{{name: "a", answer: fullAnswer, cutAfter: 4}, {name: "b", answer: "A different answer entirely, longer than the rest."}},
			temp0:    true,
			wantText: "The river runs north", wantErr: "upstream cut the stream",
		},
		{
			name:     "nothing can continue names the original failure",
			up:       []*writer{{name: "a", answer: fullAnswer, cutAfter: 4}, {name: "b", answer: fullAnswer, style: llm.ContinueAnthropic, rejectPrefill: true}, {name: "c", answer: fullAnswer}},
			wantText: "The river runs north", wantErr: "upstream cut the stream",
		},
		{
			name:     "open tool call is not resumed",
			up:       []*writer{{name: "a", answer: fullAnswer, cutAfter: 2, toolFirst: true}, {name: "b", answer: fullAnswer, style: llm.ContinueAnthropic}},
			wantText: "The river", wantErr: "upstream cut the stream",
		},
		{
			name:     "logprobs are not resumed",
			up:       []*writer{{name: "a", answer: fullAnswer, cutAfter: 4}, {name: "b", answer: fullAnswer, style: llm.ContinueAnthropic}},
			logprobs: true,
			wantText: "The river runs north", wantErr: "upstream cut the stream",
		},
		{
			name:     "resume off",
			up:       []*writer{{name: "a", answer: fullAnswer, cutAfter: 4}, {name: "b", answer: fullAnswer, style: llm.ContinueAnthropic}},
			off:      true,
			wantText: "The river runs north", wantErr: "upstream cut the stream",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := req()
			r.IncludeUsage, r.Logprobs = true, tc.logprobs
			if tc.temp0 {
				r.Temperature = &zero
			}
			plan := resumePlan(tc.up...)
			plan.Resume = !tc.off
			var served llm.Served
			s, err := New(Options{}).Stream(context.Background(), r, plan, &served)
			if err != nil {
				t.Fatal(err)
			}
			text, ids, usage, note, err := collectNote(t, s)
			if text != tc.wantText {
				t.Errorf("client got %q, want %q", text, tc.wantText)
			}
			if len(ids) != 1 || !ids["id-a"] {
				t.Errorf("chunk ids %v, want only the first stream's", ids)
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err %v, want %q", err, tc.wantErr)
			}
			var le *llm.Error
			if err != nil && !errors.As(err, &le) {
				t.Errorf("error %T is not an *llm.Error", err)
			}
			res := s.Resumption()
			if tc.wantTo == "" {
				if res != nil {
					t.Errorf("resumption %+v, want none", res)
				}
				return
			}
			if res == nil || res.From != "a" || res.To != tc.wantTo || res.Mode != tc.wantMode || res.Offset != len("The river runs north") {
				t.Fatalf("resumption %+v", res)
			}
			if note == nil || note.From != "a" || note.To != tc.wantTo || note.Offset != res.Offset {
				t.Errorf("finish chunk note %+v", note)
			}
			if served.Deployment != tc.wantTo {
				t.Errorf("served %+v", served)
			}
			if usage == nil || usage.CompletionTokens != 5+res.FromUsage.CompletionTokens || res.FromUsage.CompletionTokens == 0 {
				t.Errorf("usage %+v, want the continuation's plus the estimate %+v", usage, res.FromUsage)
			}
		})
	}
}

// A broken attempt whose upstream reported its usage on the way (the
// prompt's side, as Anthropic's message_start does) is billed that, with
// the estimate of its text: the resumption's FromUsage, in the stream's
// usage beside the continuation's. The continuation's own report on the
// way is not relayed (the client's stream is the first attempt's).
func TestResumeBillsUsageSoFar(t *testing.T) {
	start := &llm.Usage{PromptTokens: 800, CachedPromptTokens: 500, CacheWriteTokens: 200, TotalTokens: 800}
	a := &writer{name: "a", answer: fullAnswer, cutAfter: 4, soFar: start}
	b := &writer{name: "b", answer: fullAnswer, style: llm.ContinueAnthropic, soFar: &llm.Usage{PromptTokens: 900, TotalTokens: 900}}
	r := req()
	r.IncludeUsage = true
	var served llm.Served
	s, err := New(Options{}).Stream(context.Background(), r, resumePlan(a, b), &served)
	if err != nil {
		t.Fatal(err)
	}
	var reports int
	var usage *llm.Usage
	for {
		c, err := s.Next()
		if err != nil {
			break
		}
		if c.UsageSoFar != nil {
			reports++
		}
		if c.Usage != nil {
			usage = c.Usage
		}
	}
	s.Close()
	res := s.Resumption()
	if res == nil {
		t.Fatal("not resumed")
	}
	from := res.FromUsage
	if from.PromptTokens != 800 || from.CachedPromptTokens != 500 || from.CacheWriteTokens != 200 || from.CompletionTokens == 0 || !from.Estimated {
		t.Errorf("the broken attempt's usage %+v, want its report and the estimate of its text", from)
	}
	if usage == nil || usage.PromptTokens != 810 || usage.CachedPromptTokens != 500 {
		t.Errorf("stream usage %+v, want the continuation's and the broken attempt's", usage)
	}
	if reports != 1 {
		t.Errorf("%d reports on the way relayed, want the first attempt's one", reports)
	}
}

// TestResumePrefillRequest checks the continuation request of each style.
func TestResumePrefillRequest(t *testing.T) {
	for _, style := range []llm.Continuation{llm.ContinueAnthropic, llm.ContinueVLLM, llm.ContinueDeepSeek} {
		t.Run(string(style), func(t *testing.T) {
			a := &writer{name: "a", answer: "Hello there friend ", cutAfter: 2}
			b := &writer{name: "b", answer: "Hello there friend ", style: style}
			s, err := New(Options{}).Stream(context.Background(), req(), resumePlan(a, b), &llm.Served{})
			if err != nil {
				t.Fatal(err)
			}
			if text, _, _, err := readAll(t, s); err != nil || text != "Hello there friend " {
				t.Fatalf("text %q err %v", text, err)
			}
			got := b.provider().Requests()[0]
			last := got.Messages[len(got.Messages)-1]
			if last.Role != llm.RoleAssistant || last.Text() != "Hello there" || len(got.Messages) != 2 {
				t.Fatalf("continuation messages %+v", got.Messages)
			}
			if last.Prefix != (style == llm.ContinueDeepSeek) {
				t.Errorf("prefix flag %v for %s", last.Prefix, style)
			}
			_, cont := got.Extra["continue_final_message"]
			if cont != (style == llm.ContinueVLLM) || (cont && string(got.Extra["add_generation_prompt"]) != "false") {
				t.Errorf("extra %v for %s", got.Extra, style)
			}
		})
	}
}
