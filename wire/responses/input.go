package responses

import (
	"encoding/json"
	"slices"
	"strconv"

	"switchyard/llm"
)

// itemHeader is what tells the input items apart.
type itemHeader struct {
	Type *string `json:"type"`
	Role *string `json:"role"`
	// HasID tells an item reference sent without its type (as openai-go
	// sends one: {"id": …}) from a message.
	HasID sent `json:"id"`
	// Agent is the agent that produced an item of a multi-agent
	// response (multi_agent.go).
	Agent json.RawMessage `json:"agent"`
}

// sent records that a field was sent, reading none of it.
type sent bool

func (s *sent) UnmarshalJSON([]byte) error { *s = true; return nil }

// messageItem is an input message: an easy input message, an input
// message or an output message sent back.
type messageItem struct {
	Type    *string         `json:"type"`
	ID      *string         `json:"id"`
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
	Status  *string         `json:"status"`
	Phase   *string         `json:"phase"`
}

// functionCallItem is a function call the model made, sent back.
type functionCallItem struct {
	Type      string  `json:"type"`
	ID        *string `json:"id"`
	CallID    string  `json:"call_id"`
	Name      string  `json:"name"`
	Arguments string  `json:"arguments"`
	Status    *string `json:"status"`
	// Namespace is the namespace of the tool called (namespace.go).
	Namespace *string `json:"namespace"`
}

// functionCallOutputItem is the result of a function call.
type functionCallOutputItem struct {
	Type   string          `json:"type"`
	ID     *string         `json:"id"`
	CallID string          `json:"call_id"`
	Output json.RawMessage `json:"output"`
	Status *string         `json:"status"`
	// Name is the function's name, Namespace its namespace's; the call
	// it answers names them too.
	Name      *string `json:"name"`
	Namespace *string `json:"namespace"`
}

// decodeInput turns input (a string, or an array of input items) into
// messages. calls holds the call ids of the function calls before input
// (those of a conversation it continues); the calls of input are added to
// it. nil means none. open opens the reasoning items' encrypted_content
// (nil: none opens). The configuration_update items' settings go into
// cfg (nil: checked only).
func decodeInput(raw json.RawMessage, calls map[string]bool, open *Sealer, cfg *turnConfig) ([]llm.Message, error) {
	switch first(raw) {
	case 0, 'n':
		return nil, invalid("input", "Missing required parameter: 'input'.")
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, jsonError(err, "input")
		}
		return []llm.Message{llm.TextMessage(llm.RoleUser, s)}, nil
	case '[':
	default:
		return nil, invalid("input", "Invalid type for 'input': expected one of a string or an array of input items, but got %s instead.", kindOf(raw))
	}
	if calls == nil {
		calls = make(map[string]bool)
	}
	if msgs, err, ok := decodeItemsFast(raw, calls); ok {
		return msgs, err
	}
	return decodeItemsAt(raw, calls, open, cfg, "input")
}

// decodeItems decodes an array of input items one by one, each strictly
// into its own type: the reference for decodeItemsFast, and the path that
// words the error when the fast one meets a malformed item. calls is as
// for decodeInput, not nil.
func decodeItems(raw json.RawMessage, calls map[string]bool) ([]llm.Message, error) {
	return decodeItemsAt(raw, calls, nil, nil, "input")
}

// decodeItemsAt is decodeItems of the array at name ("input", "items"):
// the errors' paths start with it. A nil calls accepts a function call
// output whose call is not among the items (one added to a conversation
// may answer a call added before). open opens the reasoning items; cfg
// gets the configuration updates' settings (nil: checked only).
func decodeItemsAt(raw json.RawMessage, calls map[string]bool, open *Sealer, cfg *turnConfig, name string) ([]llm.Message, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, jsonError(err, name)
	}
	if len(items) == 0 {
		if name != "input" {
			return nil, nil
		}
		return nil, emptyInput()
	}
	d := inputDecoder{msgs: make([]llm.Message, 0, len(items)), calls: calls, anyCall: calls == nil, open: open, config: cfg}
	if calls == nil {
		d.calls = make(map[string]bool)
	}
	for i, it := range items {
		if err := d.item(it, name+"["+strconv.Itoa(i)+"]"); err != nil {
			return nil, err
		}
	}
	return d.msgs, nil
}

func emptyInput() error {
	return invalid("input", "Invalid 'input': empty array. Expected an array with at least one item.")
}

// inputDecoder gathers the messages of the input items in order.
type inputDecoder struct {
	msgs []llm.Message
	// calls holds the call ids of the function calls seen so far.
	calls map[string]bool
	// anyCall accepts an output whose call is not in calls.
	anyCall bool
	// open opens the reasoning items' encrypted_content; nil: none opens.
	open *Sealer
	// thinking is what the reasoning items since the last assistant turn
	// held: it goes on the next one (reasoning_input.go).
	thinking []llm.Thinking
	// sigs holds the call signatures the reasoning items carried
	// (reasoning_signatures.go); nil: none.
	sigs callSignatures
	// config gets the configuration_update items' settings; nil: they
	// are checked only.
	config *turnConfig
	// afterUpdate says the item before was a configuration_update.
	afterUpdate bool
	// trigger is the path of the compaction_trigger met ("" for none):
	// no item may follow it.
	trigger string
	// relayedCalls holds the call ids of the calls sent back raw (a
	// subagent's: multi_agent.go), whose outputs go raw too.
	relayedCalls map[string]bool
	// ownCalls and ownHosted are the slices of tool calls and hosted
	// items appendOwned returned last.
	ownCalls  []llm.ToolCall
	ownHosted []llm.Block
}

// item decodes one input item at path.
func (d *inputDecoder) item(raw json.RawMessage, path string) error {
	if first(raw) != '{' {
		return invalid(path, "Invalid type for '%s': expected an input item object, but got %s instead.", path, kindOf(raw))
	}
	var h itemHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return jsonError(err, path)
	}
	typ := "message"
	switch {
	case h.Type != nil:
		typ = *h.Type
	case h.Role == nil && bool(h.HasID):
		typ = ItemReference // its type may be left out
	}
	if d.trigger != "" {
		return triggerNotLast(d.trigger)
	}
	after := d.afterUpdate
	d.afterUpdate = typ == ItemConfigurationUpdate
	if d.relayed(raw, typ, agentTagged(h.Agent)) {
		d.hostedItem(raw) // OpenAI's, sent back in place
		return nil
	}
	switch typ {
	case ItemCompactionTrigger:
		return d.compactionTrigger(raw, path)
	case ItemConfigurationUpdate:
		return d.configurationUpdate(raw, path, after)
	case ItemAdditionalTools:
		return d.additionalTools(raw, path)
	case "message":
		return d.message(raw, path)
	case "function_call":
		return d.functionCall(raw, path)
	case "function_call_output":
		return d.functionCallOutput(raw, path)
	case ItemCustomToolCall:
		return d.customCall(raw, path)
	case "custom_tool_call_output":
		return d.customCallOutput(raw, path)
	case ItemCompaction:
		return d.compaction(raw, path)
	case ItemReference:
		return d.itemReference(raw, path)
	case ItemReasoning:
		return d.reasoning(raw, path)
	}
	if ok, err := d.clientItem(raw, typ, path); ok {
		return err
	}
	return refusedItem(typ, path)
}

// message decodes a message item.
func (d *inputDecoder) message(raw json.RawMessage, path string) error {
	var mi messageItem
	if err := decodeStrict(raw, path, &mi); err != nil {
		return err
	}
	return d.addMessage(&mi, path)
}

// addMessage adds the decoded message item mi, at path.
func (d *inputDecoder) addMessage(mi *messageItem, path string) error {
	var role llm.Role
	switch mi.Role {
	case "user":
		role = llm.RoleUser
	case "assistant":
		role = llm.RoleAssistant
	case "system":
		role = llm.RoleSystem
	case "developer":
		role = llm.RoleDeveloper
	case "":
		return invalid(path+".role", "Missing required parameter: '%s.role'.", path)
	default:
		return invalid(path+".role", "Invalid value: '%s'. Supported values are: 'user', 'assistant', 'system' and 'developer'.", llm.Clip(mi.Role))
	}
	m, err := decodeContent(mi.Content, role, path+".content")
	if err != nil {
		return err
	}
	d.settle(&m)
	d.msgs = append(d.msgs, m)
	return nil
}

// functionCall decodes a function call item: a tool call of an assistant
// message, the one just before when the calls are consecutive (or follow
// the assistant's text).
func (d *inputDecoder) functionCall(raw json.RawMessage, path string) error {
	var fc functionCallItem
	if err := decodeStrict(raw, path, &fc); err != nil {
		return err
	}
	return d.addFunctionCall(&fc, path)
}

// addFunctionCall adds the decoded function call item fc, at path.
func (d *inputDecoder) addFunctionCall(fc *functionCallItem, path string) error {
	return d.addCall(fc, "function", path)
}

// addCall adds the call fc, a tool call of type typ, at path.
func (d *inputDecoder) addCall(fc *functionCallItem, typ, path string) error {
	switch {
	case fc.CallID == "":
		return invalid(path+".call_id", "Missing required parameter: '%s.call_id'.", path)
	case fc.Name == "":
		return invalid(path+".name", "Missing required parameter: '%s.name'.", path)
	}
	call := llm.ToolCall{ID: fc.CallID, Type: typ, Name: unqualified(fc.Namespace, fc.Name), Arguments: fc.Arguments}
	d.sign(&call)
	d.calls[fc.CallID] = true
	if n := len(d.msgs); n > 0 && d.msgs[n-1].Role == llm.RoleAssistant {
		last := &d.msgs[n-1]
		last.SetToolCalls(d.appendCall(last.ToolCalls(), call))
		d.settle(last)
		return nil
	}
	m := llm.Message{Role: llm.RoleAssistant}
	m.SetToolCalls(d.appendCall(nil, call))
	d.settle(&m)
	d.msgs = append(d.msgs, m)
	return nil
}

// appendCall returns calls, the last assistant message's, with call
// added (appendOwned).
func (d *inputDecoder) appendCall(calls []llm.ToolCall, call llm.ToolCall) []llm.ToolCall {
	return appendOwned(&d.ownCalls, calls, call)
}

// appendOwned returns s, a message's list, with v added. It appends in
// place, growing by doubling, to the slice it returned last (*own, of
// which the message got a clipped view), which no one else appends to:
// a run of n items costs O(n), where a copy per item cost O(n²) (a
// 10 MiB input of function_call items took minutes). Any other s is
// copied, as it may be shared.
func appendOwned[T any](own *[]T, s []T, v T) []T {
	if len(s) > 0 && len(s) == len(*own) && &s[0] == &(*own)[0] {
		s = *own // with its spare capacity, which the clipped view hides
	} else {
		s = append(make([]T, 0, len(s)+1), s...)
	}
	*own = append(s, v)
	return slices.Clip(*own) // the message's own appends copy
}

// functionCallOutput decodes a function call's result: a tool message.
func (d *inputDecoder) functionCallOutput(raw json.RawMessage, path string) error {
	var fo functionCallOutputItem
	if err := decodeStrict(raw, path, &fo); err != nil {
		return err
	}
	return d.addFunctionCallOutput(&fo, path)
}

// addFunctionCallOutput adds the decoded function call output item fo,
// at path.
func (d *inputDecoder) addFunctionCallOutput(fo *functionCallOutputItem, path string) error {
	switch {
	case fo.CallID == "":
		return invalid(path+".call_id", "Missing required parameter: '%s.call_id'.", path)
	case !d.calls[fo.CallID] && !d.anyCall:
		return invalid(path+".call_id", "No function call found for function call output with call_id '%s'. Send the 'function_call' item it answers earlier in 'input'.", llm.Clip(fo.CallID))
	case isNull(fo.Output):
		return invalid(path+".output", "Missing required parameter: '%s.output'.", path)
	}
	m, err := decodeContent(fo.Output, llm.RoleTool, path+".output")
	if err != nil {
		return err
	}
	m.SetToolCallID(fo.CallID)
	d.settle(&m)
	d.msgs = append(d.msgs, m)
	return nil
}

// kindOf names the JSON type of raw for an error message.
func kindOf(raw json.RawMessage) string {
	switch first(raw) {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
