package responses

import (
	"encoding/json"
	"strings"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// clientInputPrefixes are the id prefixes of the client-executed tools'
// items in a stored input (InputID).
var clientInputPrefixes = map[string]string{
	ItemLocalShellCall: "lsh_", "local_shell_call_output": "lsho_",
	ItemShellCall: "sh_", "shell_call_output": "sho_",
	ItemApplyPatchCall: "apc_", "apply_patch_call_output": "apco_",
}

// addClientCall adds the call callID of the client-executed tool of type
// typ, with action (the action's Go value): a call of the function the
// tool is sent as, the action its arguments.
func (d *inputDecoder) addClientCall(callID, typ string, action any, path string) error {
	args, _ := marshalAction(action) // plain strings, numbers and maps: always marshals
	return d.addCall(&functionCallItem{CallID: callID, Name: typ, Arguments: string(args)}, "function", path)
}

// addClientOutput adds text, the output of the call callID, as the tool
// message that answers it, which keeps item, the output item as an
// OpenAI Responses API deployment that made the call is sent it.
func (d *inputDecoder) addClientOutput(callID, text string, item []byte, path string) error {
	if err := d.addFunctionCallOutput(&functionCallOutputItem{CallID: callID, Output: jsonw.String(nil, text)}, path); err != nil {
		return err
	}
	d.msgs[len(d.msgs)-1].SetClientOutput(item)
	return nil
}

// missing returns the error of a required parameter at path left out.
func missing(path string) error {
	return invalid(path, "Missing required parameter: '%s'.", path)
}

// checkCall checks an item's id (noID: a required one is missing) and
// status at path: one of allowed, required when statusRequired.
func checkCall(path string, noID bool, status *string, statusRequired bool, allowed ...string) error {
	switch {
	case noID:
		return missing(path + ".id")
	case status == nil && statusRequired:
		return missing(path + ".status")
	}
	return checkEnum(status, path+".status", allowed...)
}

// checkEnum checks that v, when set, is one of allowed.
func checkEnum(v *string, path string, allowed ...string) error {
	if v == nil {
		return nil
	}
	for _, a := range allowed {
		if *v == a {
			return nil
		}
	}
	return invalid(path, "Invalid value: '%s'. Supported values are: '%s'.", llm.Clip(*v), strings.Join(allowed, "', '"))
}

// decodeObject decodes the required object raw at path strictly into v.
func decodeObject(raw json.RawMessage, path string, v any) error {
	if isNull(raw) {
		return missing(path)
	}
	if first(raw) != '{' {
		return invalid(path, "Invalid type for '%s': expected an object, but got %s instead.", path, kindOf(raw))
	}
	return decodeStrict(raw, path, v)
}

// checkCaller checks a call's caller at path (ToolCallCallerParam): none,
// direct, or a program's with its caller_id.
func checkCaller(raw json.RawMessage, path string) error {
	if isNull(raw) {
		return nil
	}
	var c struct {
		Type     string  `json:"type"`
		CallerID *string `json:"caller_id"`
	}
	if err := decodeObject(raw, path, &c); err != nil {
		return err
	}
	switch {
	case c.Type == "":
		return missing(path + ".type")
	case c.Type == "program" && c.CallerID == nil:
		return missing(path + ".caller_id")
	case c.Type == "direct" && c.CallerID != nil:
		return invalid(path+".caller_id", "Unknown parameter: '%s.caller_id'.", path)
	}
	return checkEnum(&c.Type, path+".type", "direct", "program")
}

// checkCallEnvironment checks a shell call's environment at path: none,
// a local one, or a container's reference (the call is history: where it
// ran does not matter to the model).
func checkCallEnvironment(raw json.RawMessage, path string) error {
	if isNull(raw) {
		return nil
	}
	var e struct {
		Type        string          `json:"type"`
		Skills      json.RawMessage `json:"skills"`
		ContainerID *string         `json:"container_id"`
	}
	if err := decodeObject(raw, path, &e); err != nil {
		return err
	}
	switch {
	case e.Type == "":
		return missing(path + ".type")
	case e.Type == "container_reference" && e.ContainerID == nil:
		return missing(path + ".container_id")
	}
	return checkEnum(&e.Type, path+".type", "local", "container_reference")
}

// decodeOperation decodes an apply_patch call's operation at path
// (ApplyPatchOperationParam).
func decodeOperation(raw json.RawMessage, path string) (*patchOperation, error) {
	var op struct {
		Type string  `json:"type"`
		Path *string `json:"path"`
		Diff *string `json:"diff"`
	}
	if err := decodeObject(raw, path, &op); err != nil {
		return nil, err
	}
	switch op.Type {
	case "create_file", "update_file":
		if op.Diff == nil {
			return nil, missing(path + ".diff")
		}
	case "delete_file":
		if op.Diff != nil {
			return nil, invalid(path+".diff", "Unknown parameter: '%s.diff'.", path)
		}
	case "":
		return nil, missing(path + ".type")
	default:
		return nil, invalid(path+".type", "Invalid value: '%s'. Supported values are: 'create_file', 'delete_file' and 'update_file'.", llm.Clip(op.Type))
	}
	switch {
	case op.Path == nil:
		return nil, missing(path + ".path")
	case *op.Path == "":
		return nil, invalid(path+".path", "Invalid '%s': string too short. Expected a string with minimum length 1, but got an empty string instead.", path+".path")
	}
	return &patchOperation{Type: op.Type, Path: *op.Path, Diff: op.Diff}, nil
}
