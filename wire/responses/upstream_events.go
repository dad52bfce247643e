package responses

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"switchyard/llm"
)

// This file reads an upstream's Responses API event stream (the
// ResponseStreamEvent objects of POST /v1/responses with stream true)
// into canonical chunks, the one choice 0 of a chat stream:
//
//   - response.output_text.delta and response.refusal.delta are content
//     and refusal deltas;
//   - a function_call (custom_tool_call) item's response.output_item.added
//     starts a tool call (its call_id, name), its
//     response.function_call_arguments.delta (custom_tool_call_input.delta)
//     events are its arguments; the item's done event gives them whole
//     when no delta did;
//   - a reasoning item's response.output_item.done with encrypted_content
//     is a thinking block carrying it (llm.OpenAIReasoning), so that the
//     tool loop's next turn can send it back to the same API, with its
//     summary as the block's text (upstream_reasoning.go);
//   - a client-executed tool's shell_call, apply_patch_call or
//     local_shell_call item is the call of its function
//     (upstream_tools.go);
//   - response.completed and response.incomplete end the stream with the
//     finish reason (tool_calls when the answer called tools, else stop;
//     incomplete max_output_tokens is length, content_filter is
//     content_filter) and the usage (input_tokens with cached_tokens,
//     output_tokens with reasoning_tokens, service_tier);
//   - response.failed and error events are the *llm.Error they describe;
//     the usage a failed response reports comes before it, as the usage
//     so far (llm.Chunk.UsageSoFar), for the failed attempt's bill.
//
// Every other event (response.created, in_progress, content parts, the
// done events of text) yields nothing.

// UpstreamDecoder reads one Responses API event stream. The zero value is
// ready; it is used by one goroutine.
type UpstreamDecoder struct {
	id, model string
	// created is the response's created_at (Unix seconds), else when
	// the decoder made its first chunk: the chunks' created.
	created int64
	// calls maps the output_index of each tool call item to its call
	// index; args records the calls whose arguments came in deltas.
	calls map[int]int
	args  map[int]bool
	// thoughts counts the thinking blocks yielded; reasoning maps the
	// output_index of each reasoning item to its block
	// (upstream_reasoning.go).
	thoughts  int
	reasoning map[int]*reasoningBlock
	// hosted maps the output_index of each hosted tool item to its index
	// among the answer's hosted items.
	hosted map[int]int
	// billed counts the hosted calls done, for the usage.
	billed HostedCalls
	done   bool
	// started reports the first chunk made: it carried the role.
	started bool
}

// upstreamEvent is the part of a stream event the decoder reads.
type upstreamEvent struct {
	Type        string `json:"type"`
	OutputIndex int    `json:"output_index"`
	// SummaryIndex is a reasoning summary event's part.
	SummaryIndex int             `json:"summary_index"`
	Delta        json.RawMessage `json:"delta"`
	// Logprobs are an output_text delta's (upstream_logprobs.go).
	Logprobs []upstreamLogprob `json:"logprobs"`
	// Item is an output item event's item, read as an upstreamItem or
	// kept whole (a hosted tool's).
	Item     json.RawMessage   `json:"item"`
	Response *upstreamResponse `json:"response"`
	// Code, Message and Param are an error event's, as the API reference
	// documents it; Error the same error nested, as OpenAI also sends it.
	Code    *string `json:"code"`
	Message *string `json:"message"`
	Param   *string `json:"param"`
	// Agent tags a multi-agent response's event (multi_agent.go).
	Agent json.RawMessage `json:"agent"`
	Error *struct {
		Type    *string `json:"type"`
		Code    *string `json:"code"`
		Message *string `json:"message"`
		Param   *string `json:"param"`
	} `json:"error"`
}

type upstreamItem struct {
	Type             string  `json:"type"`
	ID               string  `json:"id"`
	CallID           string  `json:"call_id"`
	Name             string  `json:"name"`
	Arguments        string  `json:"arguments"`
	Input            string  `json:"input"`
	EncryptedContent *string `json:"encrypted_content"`
	// Content is a message's: its parts' annotations.
	Content []struct {
		Annotations json.RawMessage `json:"annotations"`
	} `json:"content"`
	// Action and Operation are a client-executed tool's call's
	// (upstream_tools.go).
	Action    json.RawMessage `json:"action"`
	Operation json.RawMessage `json:"operation"`
	// Summary is a reasoning item's summary parts.
	Summary []struct {
		Text string `json:"text"`
	} `json:"summary"`
	// Agent tags a multi-agent response's item (multi_agent.go).
	Agent json.RawMessage `json:"agent"`
}

type upstreamResponse struct {
	ID                string `json:"id"`
	CreatedAt         int64  `json:"created_at"`
	Model             string `json:"model"`
	Status            string `json:"status"`
	ServiceTier       string `json:"service_tier"`
	IncompleteDetails *struct {
		Reason string `json:"reason"`
	} `json:"incomplete_details"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	// Moderation is the moderation results (beta_params.go), as written.
	Moderation json.RawMessage `json:"moderation"`
	Usage      *struct {
		InputTokens        int `json:"input_tokens"`
		InputTokensDetails struct {
			CachedTokens int `json:"cached_tokens"`
		} `json:"input_tokens_details"`
		OutputTokens        int `json:"output_tokens"`
		OutputTokensDetails struct {
			ReasoningTokens int `json:"reasoning_tokens"`
		} `json:"output_tokens_details"`
		TotalTokens int `json:"total_tokens"`
	} `json:"usage"`
}

// ErrUpstreamEvent marks an event that is not a Responses API event (not
// a JSON object with a type, or a known event missing what it carries).
var ErrUpstreamEvent = errors.New("responses: malformed stream event")

// Event decodes the JSON data of one event, appending the chunks it
// yields to out. end reports the terminal event (response.completed or
// response.incomplete). An event the decoder cannot read is an error
// wrapping ErrUpstreamEvent; response.failed and error events are an
// *llm.Error (kind by their code: rate_limit_exceeded a rate limit,
// server_error an upstream failure, both retryable;
// context_length_exceeded an invalid request with that code).
func (d *UpstreamDecoder) Event(data []byte, out []*llm.Chunk) (_ []*llm.Chunk, end bool, err error) {
	if typ, index, delta, ok := fastDelta(data); ok {
		return d.delta(typ, index, delta, out)
	}
	return d.event(data, out)
}

// event is Event's general path, encoding/json: the reference the fast
// path (upstream_fast.go) is held to.
func (d *UpstreamDecoder) event(data []byte, out []*llm.Chunk) (_ []*llm.Chunk, end bool, err error) {
	var ev upstreamEvent
	if err := json.Unmarshal(data, &ev); err != nil || ev.Type == "" {
		return out, false, fmt.Errorf("%w: %v", ErrUpstreamEvent, err)
	}
	if agentTagged(ev.Agent) && strings.HasSuffix(ev.Type, ".delta") {
		return out, false, nil // a subagent's: its item, relayed whole, holds it
	}
	switch ev.Type {
	case "response.created", "response.in_progress":
		if r := ev.Response; r != nil {
			d.id, d.model = r.ID, r.Model
			if r.CreatedAt > 0 {
				d.created = r.CreatedAt
			}
		}
	case "response.output_text.delta", "response.refusal.delta", "response.function_call_arguments.delta", "response.custom_tool_call_input.delta":
		var delta string
		if err := json.Unmarshal(ev.Delta, &delta); err != nil {
			return out, false, fmt.Errorf("%w: delta: %v", ErrUpstreamEvent, err)
		}
		n := len(out)
		out, end, err := d.delta(ev.Type, ev.OutputIndex, []byte(delta), out)
		if len(ev.Logprobs) > 0 && len(out) > n && ev.Type == "response.output_text.delta" {
			out[n].Choices[0].Logprobs = logprobsOf(ev.Logprobs)
		}
		return out, end, err
	case "response.reasoning_summary_text.delta":
		return d.summaryDelta(&ev, out)
	case "response.output_item.added", "response.output_item.done":
		var it upstreamItem
		if len(ev.Item) == 0 || json.Unmarshal(ev.Item, &it) != nil {
			return out, false, fmt.Errorf("%w: %s without its item", ErrUpstreamEvent, ev.Type)
		}
		if relayedItem(&it) {
			return d.hostedItem(&ev, out)
		}
		if ev.Type == "response.output_item.added" {
			return d.itemAdded(&ev, &it, out)
		}
		return d.itemDone(&ev, &it, out)
	case "response.completed", "response.incomplete":
		return d.finish(&ev, out)
	case "response.failed":
		out = d.failedUsage(ev.Response, out)
		if ev.Response == nil || ev.Response.Error == nil {
			return out, false, UpstreamError("server_error", "upstream response failed without an error")
		}
		return out, false, UpstreamError(ev.Response.Error.Code, ev.Response.Error.Message)
	case "error":
		return out, false, eventError(&ev)
	}
	return out, false, nil
}

// Done reports whether the terminal event was read.
func (d *UpstreamDecoder) Done() bool { return d.done }

// oneChoice is a chunk and its one choice, allocated together.
type oneChoice struct {
	chunk  llm.Chunk
	choice [1]llm.ChunkChoice
}

// chunk returns a chunk of one choice, stamped with the response's id,
// model and creation time; the first of the answer carries the assistant role, as a
// Chat Completions upstream's first chunk does (npm openai's stream
// helpers throw "missing role for choice 0" on a stream without it).
// Every chunk it returns is yielded.
func (d *UpstreamDecoder) chunk() *llm.Chunk {
	c := &oneChoice{}
	c.chunk = llm.Chunk{ID: d.id, Model: d.model, Created: d.createdAt(), Choices: c.choice[:]}
	if !d.started {
		d.started = true
		c.choice[0].Delta.Role = llm.RoleAssistant
	}
	return &c.chunk
}

// createdAt is the chunks' created: the response's created_at, or the
// time of the first chunk of a stream that did not say (a Chat
// Completions chunk's created is required, and 0 reads as 1970).
func (d *UpstreamDecoder) createdAt() int64 {
	if d.created == 0 {
		d.created = time.Now().Unix()
	}
	return d.created
}

// delta appends the chunk of a text, refusal or call input delta of type
// typ to output index.
func (d *UpstreamDecoder) delta(typ string, index int, delta []byte, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	if _, relayed := d.hosted[index]; len(delta) == 0 || relayed { // a relayed item's done event holds its text
		return out, false, nil
	}
	switch typ {
	case "response.output_text.delta":
		ch := d.chunk()
		ch.Choices[0].Delta.Content = string(delta)
		return append(out, ch), false, nil
	case "response.refusal.delta":
		ch := d.chunk()
		ch.Choices[0].Delta.Refusal = string(delta)
		return append(out, ch), false, nil
	}
	n, ok := d.calls[index]
	if !ok {
		return out, false, fmt.Errorf("%w: %s of output %d, which is no tool call", ErrUpstreamEvent, typ, index)
	}
	if d.args == nil {
		d.args = make(map[int]bool, 2)
	}
	d.args[n] = true
	callType := "function"
	if typ == "response.custom_tool_call_input.delta" {
		callType = llm.ToolCustom
	}
	ch := d.chunk()
	ch.Choices[0].Delta.ToolCalls = []llm.ToolCallDelta{{Index: n, Type: callType, Arguments: string(delta)}}
	return append(out, ch), false, nil
}

// itemAdded starts a tool call for a function_call or custom_tool_call
// item.
func (d *UpstreamDecoder) itemAdded(ev *upstreamEvent, it *upstreamItem, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	typ := callTypeOf(it.Type)
	if typ == "" {
		return out, false, nil
	}
	if d.calls == nil {
		d.calls = make(map[int]int, 2)
	}
	if _, seen := d.calls[ev.OutputIndex]; seen {
		return out, false, nil
	}
	n := len(d.calls)
	d.calls[ev.OutputIndex] = n
	ch := d.chunk()
	ch.Choices[0].Delta.ToolCalls = []llm.ToolCallDelta{{Index: n, ID: it.CallID, Type: typ, Name: it.Name}}
	return append(out, ch), false, nil
}

// callTypeOf is the canonical call type of an item type, "" for an item
// that is no tool call.
func callTypeOf(itemType string) string {
	switch itemType {
	case "function_call":
		return "function"
	case "custom_tool_call":
		return llm.ToolCustom
	}
	return ""
}

// itemDone yields a reasoning item's encrypted_content as a thinking
// block, and a call's whole arguments when no delta gave them.
func (d *UpstreamDecoder) itemDone(ev *upstreamEvent, it *upstreamItem, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	if it.Type == ItemMessage {
		return d.annotations(it, out), false, nil
	}
	if it.Type == ItemReasoning {
		return d.reasoningDone(ev.OutputIndex, it, out), false, nil
	}
	if name, args, ok := clientCallOf(it); ok {
		return d.clientCallDone(ev, it, name, args, out)
	}
	typ := callTypeOf(it.Type)
	if typ == "" {
		return out, false, nil
	}
	out, _, err := d.itemAdded(ev, it, out) // a call the added event did not start
	n := d.calls[ev.OutputIndex]
	args := it.Arguments
	if typ == llm.ToolCustom {
		args = it.Input
	}
	if err != nil || d.args[n] || args == "" {
		return out, false, err
	}
	ch := d.chunk()
	ch.Choices[0].Delta.ToolCalls = []llm.ToolCallDelta{{Index: n, Type: typ, Arguments: args}}
	return append(out, ch), false, nil
}
