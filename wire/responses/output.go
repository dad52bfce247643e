package responses

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// The statuses of a response (and of its items).
const (
	StatusCompleted  = "completed"
	StatusIncomplete = "incomplete"
	StatusInProgress = "in_progress"
	StatusFailed     = "failed"
	// StatusQueued and StatusCancelled are a background response's: not
	// yet started, and cancelled before it ended.
	StatusQueued    = "queued"
	StatusCancelled = "cancelled"
)

// The output item types the router produces.
const (
	ItemMessage      = "message"
	ItemFunctionCall = "function_call"
	// ItemCustomToolCall is a call of a custom tool: its Arguments are
	// the call's free-text input.
	ItemCustomToolCall = "custom_tool_call"
	// ItemHosted is an OpenAI hosted tool's item (its Raw says which:
	// web_search_call, code_interpreter_call…), written as it came.
	ItemHosted = "hosted"
)

// Output is what a response object holds besides the request's echo: its
// status, output items and usage.
type Output struct {
	// Status is one of the Status constants.
	Status string
	// IncompleteReason is "max_output_tokens" or "content_filter" when
	// Status is incomplete.
	IncompleteReason string
	Items            []Item
	// Usage is nil while in progress, or when the upstream reported none.
	Usage *llm.Usage
	// Cost is the served cost in dollars, written as usage.cost; "" for
	// none (unknown, or not yet billed).
	Cost string
	// Error says why a failed response failed; nil otherwise.
	Error *llm.Error
	// Moderation is the moderation results of a request that asked for
	// them (OpenAI's beta moderation), as the upstream wrote them; nil
	// for none (the member is then not written).
	Moderation json.RawMessage
}

// Item is one output item: an assistant message, a function call, or the
// reasoning before them.
type Item struct {
	// Type is ItemMessage, ItemFunctionCall, ItemCustomToolCall,
	// ItemReasoning, or a client-executed tool's call (ItemShellCall,
	// ItemLocalShellCall, ItemApplyPatchCall: its Arguments are the
	// call's action, JSON in the spec's shape).
	Type string
	ID   string
	// Text and Refusal are a message's; a message always has an
	// output_text part unless it holds a refusal alone.
	Text, Refusal string
	// Logprobs are the log probabilities of Text's tokens, when the
	// request asked for them (include message.output_text.logprobs).
	Logprobs []llm.TokenLogprob
	// CallID, Name and Arguments are a function call's (a custom tool
	// call's Arguments are its input, a client-executed tool's its
	// action).
	CallID, Name, Arguments string
	// Summary is a reasoning item's summary_text parts (none: []).
	Summary []string
	// Encrypted is a reasoning item's encrypted_content (Sealer): written
	// in a response object when the request's include asks for it, and
	// always in the items kept for the next turn (StoredOutput); "" for
	// none.
	Encrypted string
	// Raw is a hosted tool item (ItemHosted) as OpenAI wrote it.
	Raw []byte
	// Annotations are a message's output_text annotations (Responses
	// shape, a JSON array), nil for none ([]).
	Annotations []byte
	// Namespace is the namespace of the tool a function or custom tool
	// call calls, Name then its name there (namespace.go); "" for none.
	Namespace string
	// LocalEnv says a shell call's environment is a local one (its tool
	// declared one): {"type":"local"}, else null.
	LocalEnv bool
}

// IDs names the objects of one response after a base unique to it (the
// router's request id, without its prefix).
type IDs struct{ Base string }

// Response is the response object's id.
func (ids IDs) Response() string { return "resp_" + ids.Base }

// Message is the id of the response's n-th message item (from 0).
func (ids IDs) Message(n int) string {
	if n == 0 {
		return "msg_" + ids.Base
	}
	return "msg_" + ids.Base + "_" + strconv.Itoa(n)
}

// FunctionCall is the id of the response's n-th function call item.
func (ids IDs) FunctionCall(n int) string { return "fc_" + ids.Base + "_" + strconv.Itoa(n) }

// Call is the type and id of the response's n-th tool call item, tc: a
// custom tool call (ctc_) or a function call.
func (ids IDs) Call(n int, tc *llm.ToolCall) (typ, id string) {
	if tc.Type == llm.ToolCustom {
		return ItemCustomToolCall, "ctc_" + ids.Base + "_" + strconv.Itoa(n)
	}
	return ItemFunctionCall, ids.FunctionCall(n)
}

// FromResponse returns the output of a complete canonical response: its
// first choice as a message item (when it has text or a refusal, or no
// call at all) followed by one function call item per tool call.
func FromResponse(resp *llm.Response, ids IDs) Output {
	out := Output{Status: StatusCompleted, Usage: resp.Usage, Moderation: resp.Moderation}
	if len(resp.Choices) == 0 {
		out.Items = []Item{{Type: ItemMessage, ID: ids.Message(0)}}
		return out
	}
	c := &resp.Choices[0]
	out.Status, out.IncompleteReason = statusOf(c.FinishReason)
	m := &c.Message
	calls := m.ToolCalls()
	out.Items = make([]Item, 0, 1+len(calls))
	text, refusal := m.Text(), m.Refusal()
	hosted := m.Hosted()
	h := 0
	for ; h < len(hosted) && hosted[h].At == 0 && hosted[h].Calls == 0; h++ {
		out.Items = append(out.Items, Item{Type: ItemHosted, Raw: hosted[h].Raw})
	}
	// Text before a hosted item (a Claude web search's preamble) is a
	// message of its own, the item after it, as the stream writes them.
	msgs, from := 0, 0
	for h < len(hosted) && hosted[h].Calls == 0 && hosted[h].At > from && hosted[h].At < len(text) {
		at := hosted[h].At
		out.Items = append(out.Items, Item{Type: ItemMessage, ID: ids.Message(msgs), Text: text[from:at]})
		for msgs, from = msgs+1, at; h < len(hosted) && hosted[h].At == at && hosted[h].Calls == 0; h++ {
			out.Items = append(out.Items, Item{Type: ItemHosted, Raw: hosted[h].Raw})
		}
	}
	text = text[from:]
	if text != "" || refusal != "" || len(calls) == 0 && len(hosted) == 0 {
		out.Items = append(out.Items, Item{Type: ItemMessage, ID: ids.Message(msgs), Text: text, Refusal: refusal, Logprobs: contentLogprobs(c.Logprobs), Annotations: m.TextAnnotations()})
	}
	for i := range calls {
		for ; h < len(hosted) && hosted[h].Calls <= i; h++ {
			out.Items = append(out.Items, Item{Type: ItemHosted, Raw: hosted[h].Raw})
		}
		tc := &calls[i]
		typ, id := ids.Call(i, tc)
		out.Items = append(out.Items, Item{Type: typ, ID: id, CallID: tc.ID, Name: tc.Name, Arguments: tc.Arguments})
	}
	for ; h < len(hosted); h++ {
		out.Items = append(out.Items, Item{Type: ItemHosted, Raw: hosted[h].Raw})
	}
	return out
}

// statusOf is the response status a finish reason means, and the reason
// it is incomplete.
func statusOf(f llm.FinishReason) (status, reason string) {
	switch f {
	case llm.FinishLength:
		return StatusIncomplete, "max_output_tokens"
	case llm.FinishContentFilter:
		return StatusIncomplete, "content_filter"
	}
	return StatusCompleted, ""
}

// itemStatus is the status of the items of a response in status.
func itemStatus(status string) string {
	switch status {
	case StatusCompleted, StatusInProgress:
		return status
	}
	return StatusIncomplete
}
