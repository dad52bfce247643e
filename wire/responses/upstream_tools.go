package responses

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// OpenAI's client-executed tools (shell, apply_patch, local_shell:
// shelltools.go) on an upstream that serves the Responses API. They are
// declared as themselves (appendTools), and the model calls them
// natively:
//
//   - a shell_call, apply_patch_call or local_shell_call output item is
//     the canonical call of the function the tool stands for elsewhere
//     (its name the tool's type, its arguments the item's action or
//     operation), yielded whole when the item is done: the router's own
//     Responses API raises it back to the tool's item for its client,
//     and its stream events (response.shell_call_command.*) carry
//     nothing more;
//   - in a later turn such a call is sent back as the tool's call item
//     and its output as the output item the client sent
//     (llm.Message.ClientOutput). A call whose answer has no such item
//     (a function_call_output the client wrote itself) is sent with it
//     as a function_call and its function_call_output, as elsewhere.

// clientCallOf returns the function name and arguments of a
// client-executed tool's call item, and whether it is one.
func clientCallOf(it *upstreamItem) (name string, args []byte, ok bool) {
	switch it.Type {
	case ItemShellCall:
		name, args = ToolShell, it.Action
	case ItemLocalShellCall:
		name, args = ToolLocalShell, it.Action
	case ItemApplyPatchCall:
		name, args = ToolApplyPatch, it.Operation
	default:
		return "", nil, false
	}
	return name, args, true
}

// clientCallDone yields the client-executed tool's call item it of ev, done,
// as a whole tool call.
func (d *UpstreamDecoder) clientCallDone(ev *upstreamEvent, it *upstreamItem, name string, args []byte, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	if it.CallID == "" || first(args) != '{' {
		return out, false, fmt.Errorf("%w: %s item without its call_id or its %s", ErrUpstreamEvent, it.Type, clientCallKinds[name].field)
	}
	if d.calls == nil {
		d.calls = make(map[int]int, 2)
	}
	if _, seen := d.calls[ev.OutputIndex]; seen {
		return out, false, nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, args); err != nil {
		return out, false, fmt.Errorf("%w: %s: %v", ErrUpstreamEvent, it.Type, err)
	}
	n := len(d.calls)
	d.calls[ev.OutputIndex] = n
	ch := d.chunk()
	ch.Choices[0].Delta.ToolCalls = []llm.ToolCallDelta{{Index: n, ID: it.CallID, Type: "function", Name: name, Arguments: b.String()}}
	return append(out, ch), false, nil
}

// nativeClientCalls returns the ids of msgs' calls of the client-executed
// tools of tools that go upstream as the tools' call items: those whose
// arguments are the tool's action and whose answer, if any, is the
// tool's output item. It is nil when tools has none of them.
func nativeClientCalls(msgs []llm.Message, tools []llm.Tool) map[string]string {
	var native map[string]string // call id: tool type
	for i := range msgs {
		for _, tc := range msgs[i].ToolCalls() {
			if c := clientTool(tools, tc.Name); c != nil {
				if _, ok := clientAction(c.Type, tc.Arguments); ok {
					if native == nil {
						native = make(map[string]string, 2)
					}
					native[tc.ID] = c.Type
				}
			}
		}
	}
	for i := range msgs {
		if m := &msgs[i]; m.Role == llm.RoleTool && native[m.ToolCallID()] != "" && len(m.ClientOutput()) == 0 {
			delete(native, m.ToolCallID())
		}
	}
	return native
}

// appendNativeClientCall appends tc, a call of the client-executed tool
// of type typ, as the tool's call item (FunctionShellCallItemParam,
// ApplyPatchToolCallItemParam, LocalShellToolCall).
func appendNativeClientCall(dst []byte, typ string, tc *llm.ToolCall) []byte {
	action, _ := clientAction(typ, tc.Arguments) // checked by nativeClientCalls
	k := clientCallKinds[typ]
	dst = append(append(append(dst, `{"type":"`...), k.item...), '"')
	if typ == ToolLocalShell { // its id is required: the call's, as the SDKs send its output's
		dst = jsonw.String(append(dst, `,"id":`...), k.prefix+tc.ID)
	}
	dst = jsonw.String(append(dst, `,"call_id":`...), tc.ID)
	if typ != ToolShell {
		dst = append(dst, `,"status":"completed"`...)
	}
	dst = append(append(append(dst, `,"`...), k.field...), `":`...)
	return append(append(dst, action...), '}')
}

// shellOutputItemOf is a shell call's output item as the router sends it
// upstream: its call_id, output (compact) and max_output_length.
func shellOutputItemOf(callID string, output json.RawMessage, maxLength *int64) []byte {
	dst := jsonw.String(append(make([]byte, 0, 64+len(output)), `{"type":"shell_call_output","call_id":`...), callID)
	var b bytes.Buffer
	json.Compact(&b, output) //nolint:errcheck // decoded before: valid JSON
	dst = append(append(dst, `,"output":`...), b.Bytes()...)
	if maxLength != nil {
		dst = strconv.AppendInt(append(dst, `,"max_output_length":`...), *maxLength, 10)
	}
	return append(dst, '}')
}

// patchOutputItemOf is an apply_patch call's output item: its call_id,
// status and output.
func patchOutputItemOf(callID, status string, output *string) []byte {
	dst := jsonw.String(append(make([]byte, 0, 96), `{"type":"apply_patch_call_output","call_id":`...), callID)
	dst = jsonw.String(append(dst, `,"status":`...), status)
	if output != nil {
		dst = jsonw.String(append(dst, `,"output":`...), *output)
	}
	return append(dst, '}')
}

// localShellOutputItemOf is a local shell call's output item: its id
// (the call's call_id, as the SDKs send it) and output.
func localShellOutputItemOf(callID, output string) []byte {
	dst := jsonw.String(append(make([]byte, 0, 64+len(output)), `{"type":"local_shell_call_output","id":`...), callID)
	dst = jsonw.String(append(dst, `,"output":`...), output)
	return append(dst, '}')
}
