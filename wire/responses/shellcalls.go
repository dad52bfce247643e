package responses

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// The calls of the client-executed tools (shelltools.go) as output items.
// A call of the function such a tool is sent as becomes the tool's item
// when its arguments parse into the tool's action (operation): the item
// carries that action, written in the spec's shape. Arguments that do not
// (a model's malformed call) leave the call a function_call item of the
// tool's name, as the model made it: the client can answer it with a
// function_call_output saying what was wrong, and the model try again.
//
// Streamed, such a call is announced when it is whole (at the end of the
// model's turn): whether it is the tool's item or a function call, and
// its action, are known only once its arguments are complete JSON. Its
// events are then output_item.added (the whole item, in progress), for a
// shell call each command's response.shell_call_command.added (empty),
// .delta (the command) and .done, and output_item.done.

// The output item types of the client-executed tools' calls.
const (
	ItemLocalShellCall = "local_shell_call"
	ItemShellCall      = "shell_call"
	ItemApplyPatchCall = "apply_patch_call"
)

// clientCallKind is what a client-executed tool's call is as an item.
type clientCallKind struct {
	// item is the item's type, prefix its ids', field the name of its
	// action ("action", or "operation").
	item, prefix, field string
}

// clientCallKinds are the client-executed tools' calls, by tool type.
var clientCallKinds = map[string]clientCallKind{
	ToolLocalShell: {ItemLocalShellCall, "lsh_", "action"},
	ToolShell:      {ItemShellCall, "sh_", "action"},
	ToolApplyPatch: {ItemApplyPatchCall, "apc_", "operation"},
}

// shellAction is a shell call's action (FunctionShellAction).
type shellAction struct {
	Commands        []string `json:"commands"`
	TimeoutMs       *int64   `json:"timeout_ms"`
	MaxOutputLength *int64   `json:"max_output_length"`
}

// localShellAction is a local shell call's action (LocalShellExecAction).
type localShellAction struct {
	Type             string            `json:"type"`
	Command          []string          `json:"command"`
	TimeoutMs        *int64            `json:"timeout_ms"`
	WorkingDirectory *string           `json:"working_directory"`
	Env              map[string]string `json:"env"`
	User             *string           `json:"user"`
}

// patchOperation is an apply_patch call's operation: create_file,
// update_file (with a diff) or delete_file (without).
type patchOperation struct {
	Type string  `json:"type"`
	Path string  `json:"path"`
	Diff *string `json:"diff,omitempty"`
}

// clientAction returns the action (operation) of a call of the tool of
// type typ whose function arguments are args, in the spec's shape, and
// whether args are one.
func clientAction(typ, args string) ([]byte, bool) {
	switch typ {
	case ToolShell:
		var a shellAction
		if json.Unmarshal([]byte(args), &a) != nil || len(a.Commands) == 0 {
			return nil, false
		}
		return marshalAction(&a)
	case ToolLocalShell:
		var a localShellAction
		if json.Unmarshal([]byte(args), &a) != nil || len(a.Command) == 0 || a.Type != "" && a.Type != "exec" {
			return nil, false
		}
		a.Type = "exec"
		if a.Env == nil {
			a.Env = map[string]string{}
		}
		return marshalAction(&a)
	case ToolApplyPatch:
		var op patchOperation
		if json.Unmarshal([]byte(args), &op) != nil || !validOperation(&op) {
			return nil, false
		}
		return marshalAction(&op)
	}
	return nil, false
}

// validOperation reports whether op is a whole operation: a known type, a
// path, a diff for create_file and update_file. A delete_file's diff is
// dropped.
func validOperation(op *patchOperation) bool {
	switch op.Type {
	case "create_file", "update_file":
		return op.Path != "" && op.Diff != nil
	case "delete_file":
		op.Diff = nil
		return op.Path != ""
	}
	return false
}

// marshalAction returns v as compact JSON, <, > and & as they are (a
// diff's).
func marshalAction(v any) ([]byte, bool) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return nil, false
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), true
}

// raiseClientCall turns the function call item it into the item of the
// client-executed tool of tools it calls, when it calls one with
// arguments that are its action; it is left as it is otherwise.
func raiseClientCall(it *Item, tools []llm.Tool) {
	if it.Type != ItemFunctionCall {
		return
	}
	c := clientTool(tools, it.Name)
	if c == nil {
		return
	}
	action, ok := clientAction(c.Type, it.Arguments)
	if !ok {
		return
	}
	k := clientCallKinds[c.Type]
	it.Type, it.ID, it.Arguments = k.item, k.prefix+strings.TrimPrefix(it.ID, "fc_"), string(action)
	it.LocalEnv = c.Type == ToolShell && len(c.Environment) > 0
}

// raiseClientCalls is raiseClientCall of every item of out.
func raiseClientCalls(out *Output, tools []llm.Tool) {
	for i := range out.Items {
		raiseClientCall(&out.Items[i], tools)
	}
}

// appendClientCall appends the client-executed tool's call item it with
// the given status (LocalShellToolCall, FunctionShellCall,
// ApplyPatchToolCall: an apply_patch call is in_progress or completed).
func appendClientCall(dst []byte, it *Item, status string) []byte {
	field := "action"
	if it.Type == ItemApplyPatchCall {
		field = "operation"
		if status != StatusInProgress {
			status = StatusCompleted
		}
	}
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, it.ID)
	dst = append(dst, `,"type":"`...)
	dst = append(dst, it.Type...)
	dst = append(dst, `","status":"`...)
	dst = append(dst, status...)
	dst = append(dst, `","call_id":`...)
	dst = jsonw.String(dst, it.CallID)
	dst = append(dst, `,"`...)
	dst = append(dst, field...)
	dst = append(dst, `":`...)
	dst = append(dst, it.Arguments...)
	if it.Type == ItemShellCall {
		if it.LocalEnv {
			dst = append(dst, `,"environment":{"type":"local"}`...)
		} else {
			dst = append(dst, `,"environment":null`...)
		}
	}
	return append(dst, '}')
}

// closeClientCall appends the events of the client-executed tool's call
// i, announced now that it is whole (see the top of this file).
func (s *Streamer) closeClientCall(dst []byte, i int, status string) []byte {
	it := &s.items[i]
	raiseClientCall(&it.Item, s.req.Chat.Tools)
	if it.Type == ItemFunctionCall {
		dst = s.itemAdded(dst, i)
		if it.Arguments != "" {
			dst = s.argsDelta(dst, i, it.Arguments)
		}
		dst = s.argsDone(dst, i)
		return s.itemDone(dst, i, status)
	}
	dst = s.begin(dst, "response.output_item.added")
	dst = append(dst, `,"output_index":`...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, `,"item":`...)
	dst = end(appendClientCall(dst, &it.Item, StatusInProgress))
	if it.Type == ItemShellCall {
		var a shellAction
		json.Unmarshal([]byte(it.Arguments), &a) //nolint:errcheck // written by clientAction
		for k, cmd := range a.Commands {
			dst = s.commandEvent(dst, "response.shell_call_command.added", i, k, "command", "")
			dst = s.commandEvent(dst, "response.shell_call_command.delta", i, k, "delta", cmd)
			dst = s.commandEvent(dst, "response.shell_call_command.done", i, k, "command", cmd)
		}
	}
	return s.itemDone(dst, i, status)
}

// commandEvent appends a response.shell_call_command event of type typ
// for command k of item i, with field set to value.
func (s *Streamer) commandEvent(dst []byte, typ string, i, k int, field, value string) []byte {
	dst = s.begin(dst, typ)
	dst = append(dst, `,"output_index":`...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, `,"command_index":`...)
	dst = strconv.AppendInt(dst, int64(k), 10)
	dst = append(dst, `,"`...)
	dst = append(dst, field...)
	dst = append(dst, `":`...)
	dst = jsonw.String(dst, value)
	return end(dst)
}
