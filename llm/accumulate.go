package llm

import (
	"encoding/json"
	"strings"
)

// MaxChoices is the largest number of choices a response may carry (the
// OpenAI API's limit on n). Accumulator ignores choices with a higher index.
const MaxChoices = 128

// maxToolCalls bounds the tool calls of one choice an Accumulator keeps, so
// that a malformed index from an upstream cannot make it allocate without
// limit.
const maxToolCalls = 1024

// Accumulator builds a complete Response from the chunks of a stream, the
// way the OpenAI SDKs' accumulators do: content, refusals and their token
// log probabilities concatenated per choice, tool calls and thinking
// blocks assembled by index, the last finish reason and usage kept. Choice indices outside
// [0, MaxChoices) and negative or absurdly large tool call indices are
// ignored rather than trusted. With MaxText, the text it keeps is
// bounded (Response.TextLeftOut counts what it left out), and with
// MaxParts what it keeps beside the text (Response.PartsLeftOut). The
// zero value is ready to use; it is not safe for concurrent use.
type Accumulator struct {
	// MaxText bounds the bytes of text (content, refusals, tool call
	// arguments, thinking, log probabilities' tokens) kept; zero means no
	// bound.
	MaxText int
	// MaxParts bounds the bytes of what an answer carries beside its
	// text (audio, annotations, provider and hosted blocks, citations,
	// thinking signatures and redacted reasoning, as the upstream wrote
	// them) kept; zero means no bound.
	MaxParts int
	resp     Response
	// choices holds one pointer per choice, so that growing the slice never
	// copies a strings.Builder that already holds text (copying one panics).
	choices []*choiceAcc
	kept    int // bytes of text kept, as MaxText counts them
	// keptParts is the bytes of parts kept, as MaxParts counts them.
	keptParts int
}

// choiceAcc is the text, tool calls and log probabilities gathered so far
// for one choice.
type choiceAcc struct {
	content  strings.Builder
	refusal  strings.Builder
	calls    []ToolCall
	logprobs *Logprobs
	thinking []Thinking
	blocks   []TextBlock
	output   *outputAcc
	provider []Block
	hosted   []Block
}

// Add folds one chunk in.
func (a *Accumulator) Add(c *Chunk) {
	c = a.bounded(c)
	if a.resp.ID == "" {
		a.resp.ID, a.resp.Model, a.resp.Created = c.ID, c.Model, c.Created
	}
	if c.SystemFingerprint != "" {
		a.resp.SystemFingerprint = c.SystemFingerprint
	}
	if c.ServiceTier != "" {
		a.resp.ServiceTier = c.ServiceTier
	}
	if c.Usage != nil {
		u := *c.Usage
		a.resp.Usage = &u
	}
	if c.UsageSoFar != nil {
		if a.resp.UsageSoFar == nil {
			a.resp.UsageSoFar = new(Usage)
		}
		*a.resp.UsageSoFar = *c.UsageSoFar
	}
	for i := range c.Choices {
		cc := &c.Choices[i]
		if cc.Index < 0 || cc.Index >= MaxChoices {
			continue
		}
		a.grow(cc.Index)
		ch, acc := &a.resp.Choices[cc.Index], a.choices[cc.Index]
		if cc.Delta.Role != "" {
			ch.Message.Role = cc.Delta.Role
		}
		if tb := cc.Delta.TextBlock; tb != nil {
			acc.addTextBlock(tb)
		}
		if od := cc.Delta.Output; od != nil && od.Block != nil {
			acc.addBlock(od.Block)
		}
		if od := cc.Delta.Output; od != nil && od.Hosted != nil {
			acc.addHosted(od.Hosted)
		}
		if od := cc.Delta.Output; od != nil && (len(od.Audio) > 0 || len(od.Annotations) > 0 || len(od.TextAnnotations) > 0) {
			if acc.output == nil {
				acc.output = new(outputAcc)
			}
			acc.output.add(od)
		}
		acc.content.WriteString(cc.Delta.Content)
		acc.refusal.WriteString(cc.Delta.Refusal)
		for _, td := range cc.Delta.ToolCalls {
			acc.addToolCall(td)
		}
		if td := cc.Delta.Thinking; td != nil {
			acc.addThinking(td)
		}
		if cc.Logprobs != nil {
			if acc.logprobs == nil {
				acc.logprobs = new(Logprobs)
			}
			acc.logprobs.add(cc.Logprobs)
		}
		if cc.FinishReason != "" {
			a.finish(ch, cc)
		}
	}
}

// finish records choice cc's finish on ch, and the response-wide details
// a finish carries (context management, container, fallback credit,
// moderation).
func (a *Accumulator) finish(ch *Choice, cc *ChunkChoice) {
	ch.FinishReason, ch.StopSequence, ch.Refusal, ch.Paused = cc.FinishReason, cc.StopSequence(), cc.Refusal(), cc.Paused()
	ch.Compacted = cc.Compacted()
	if ct := cc.Container(); ct != nil {
		a.resp.Container = ct
	}
	st := cc.Stop
	if st == nil {
		return
	}
	if st.ContextManagement != "" {
		a.resp.ContextManagement = json.RawMessage(st.ContextManagement)
	}
	if st.FallbackCredit != "" {
		a.resp.FallbackCredit = json.RawMessage(st.FallbackCredit)
	}
	if st.Moderation != "" {
		a.resp.Moderation = json.RawMessage(st.Moderation)
	}
}

func (a *Accumulator) grow(i int) {
	for len(a.resp.Choices) <= i {
		a.resp.Choices = append(a.resp.Choices, Choice{Index: len(a.resp.Choices), Message: Message{Role: RoleAssistant}})
		a.choices = append(a.choices, new(choiceAcc))
	}
}

func (acc *choiceAcc) addToolCall(td ToolCallDelta) {
	if td.Index < 0 || td.Index >= maxToolCalls {
		return
	}
	for len(acc.calls) <= td.Index {
		acc.calls = append(acc.calls, ToolCall{Type: "function"})
	}
	tc := &acc.calls[td.Index]
	if td.ID != "" {
		tc.ID = td.ID
	}
	if td.Type != "" {
		tc.Type = td.Type
	}
	if td.Name != "" {
		tc.Name = td.Name
	}
	if td.Signature != "" {
		tc.Signature, tc.SignatureModel = td.Signature, td.SignatureModel
	}
	tc.Arguments += td.Arguments
}

// addThinking folds a thinking delta into its block.
func (acc *choiceAcc) addThinking(td *ThinkingDelta) {
	if td.Index < 0 || td.Index >= maxToolCalls {
		return
	}
	for len(acc.thinking) <= td.Index {
		acc.thinking = append(acc.thinking, Thinking{})
	}
	b := &acc.thinking[td.Index]
	b.Text += td.Text
	b.Signature += td.Signature
	b.Redacted += td.Redacted
}

// addTextBlock starts the text block of a delta whose Index is new (the
// next one: a gap is not trusted) and adds its citation to it.
func (acc *choiceAcc) addTextBlock(tb *TextBlockDelta) {
	if tb.Index == len(acc.blocks) && tb.Index < maxToolCalls {
		acc.blocks = append(acc.blocks, TextBlock{Start: acc.content.Len()})
	}
	if tb.Index >= 0 && tb.Index < len(acc.blocks) && len(tb.Citation) > 0 {
		b := &acc.blocks[tb.Index]
		b.Citations = append(b.Citations, tb.Citation)
	}
}

// Response returns the accumulated response. Choices without any text have
// no content part (as an assistant message with only tool calls). It may be
// called more than once; later Adds do not change a returned Response.
func (a *Accumulator) Response() *Response {
	r := a.resp
	if r.UsageSoFar != nil { // only for a response without its usage, and a copy
		u := *r.UsageSoFar
		r.UsageSoFar = &u
		if r.Usage != nil {
			r.UsageSoFar = nil
		}
	}
	r.Choices = make([]Choice, len(a.resp.Choices))
	for i, ch := range a.resp.Choices {
		acc := a.choices[i]
		if s := acc.content.String(); s != "" {
			ch.Message.Content = []Part{{Type: PartText, Text: s}}
			ch.Message.StringContent = true
		}
		ch.Message.SetRefusal(acc.refusal.String())
		if len(acc.calls) > 0 {
			ch.Message.SetToolCalls(append([]ToolCall(nil), acc.calls...))
		}
		if len(acc.thinking) > 0 {
			ch.Message.SetThinking(append([]Thinking(nil), acc.thinking...))
		}
		if len(acc.blocks) > 0 {
			ch.Message.SetTextBlocks(append([]TextBlock(nil), acc.blocks...))
		}
		if acc.output != nil {
			acc.output.set(&ch.Message)
		}
		if len(acc.provider) > 0 {
			ch.Message.SetBlocks(append([]Block(nil), acc.provider...))
		}
		if len(acc.hosted) > 0 {
			ch.Message.SetHosted(append([]Block(nil), acc.hosted...))
		}
		ch.Logprobs = acc.logprobs.clone()
		r.Choices[i] = ch
	}
	return &r
}
