package llm

import "strings"

// Accumulator builds a complete Response from the chunks of a stream, the
// way the OpenAI SDKs' accumulators do: content and refusals concatenated
// per choice, tool calls assembled by index, the last finish reason and
// usage kept. The zero value is ready to use; it is not safe for
// concurrent use.
type Accumulator struct {
	resp    Response
	content []strings.Builder
	refusal []strings.Builder
	calls   [][]ToolCall
}

// Add folds one chunk in.
func (a *Accumulator) Add(c *Chunk) {
	if a.resp.ID == "" {
		a.resp.ID, a.resp.Model, a.resp.Created = c.ID, c.Model, c.Created
	}
	if c.SystemFingerprint != "" {
		a.resp.SystemFingerprint = c.SystemFingerprint
	}
	if c.Usage != nil {
		u := *c.Usage
		a.resp.Usage = &u
	}
	for i := range c.Choices {
		cc := &c.Choices[i]
		a.grow(cc.Index)
		ch := &a.resp.Choices[cc.Index]
		if cc.Delta.Role != "" {
			ch.Message.Role = cc.Delta.Role
		}
		a.content[cc.Index].WriteString(cc.Delta.Content)
		a.refusal[cc.Index].WriteString(cc.Delta.Refusal)
		for _, td := range cc.Delta.ToolCalls {
			a.addToolCall(cc.Index, td)
		}
		if cc.FinishReason != "" {
			ch.FinishReason = cc.FinishReason
		}
	}
}

func (a *Accumulator) grow(i int) {
	for len(a.resp.Choices) <= i {
		a.resp.Choices = append(a.resp.Choices, Choice{Index: len(a.resp.Choices), Message: Message{Role: RoleAssistant}})
		a.content = append(a.content, strings.Builder{})
		a.refusal = append(a.refusal, strings.Builder{})
		a.calls = append(a.calls, nil)
	}
}

func (a *Accumulator) addToolCall(choice int, td ToolCallDelta) {
	calls := a.calls[choice]
	for len(calls) <= td.Index {
		calls = append(calls, ToolCall{Type: "function"})
	}
	tc := &calls[td.Index]
	if td.ID != "" {
		tc.ID = td.ID
	}
	if td.Type != "" {
		tc.Type = td.Type
	}
	if td.Name != "" {
		tc.Name = td.Name
	}
	tc.Arguments += td.Arguments
	a.calls[choice] = calls
}

// Response returns the accumulated response. Choices without any text have
// no content part (as an assistant message with only tool calls).
func (a *Accumulator) Response() *Response {
	r := a.resp
	r.Choices = make([]Choice, len(a.resp.Choices))
	for i, ch := range a.resp.Choices {
		if s := a.content[i].String(); s != "" {
			ch.Message.Content = []Part{{Type: PartText, Text: s}}
			ch.Message.StringContent = true
		}
		ch.Message.Refusal = a.refusal[i].String()
		ch.Message.ToolCalls = a.calls[i]
		r.Choices[i] = ch
	}
	return &r
}
