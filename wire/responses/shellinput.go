package responses

import (
	"encoding/json"
	"strconv"
	"strings"

	"switchyard/llm"
)

// The client-executed tools' items sent back (shelltools.go): a call
// becomes the assistant's call of the function the tool is sent as, its
// arguments the action in the spec's shape; an output becomes the tool
// message that answers it, in text the model reads: a shell call's
// outputs joined (each command's exit code or timeout, stdout, stderr),
// an apply_patch call's status and output, a local shell call's output.

// localShellCallItem is a local shell call sent back (LocalShellToolCall).
type localShellCallItem struct {
	Type   string          `json:"type"`
	ID     *string         `json:"id"`
	CallID string          `json:"call_id"`
	Action json.RawMessage `json:"action"`
	Status *string         `json:"status"`
}

// localShellOutputItem is a local shell call's output
// (LocalShellToolCallOutput). Its id is the call's call_id (the SDKs send
// only it); call_id, which the spec requires too, wins when sent.
type localShellOutputItem struct {
	Type   string  `json:"type"`
	ID     *string `json:"id"`
	CallID *string `json:"call_id"`
	Output *string `json:"output"`
	Status *string `json:"status"`
}

// shellCallItem is a shell call sent back (FunctionShellCallItemParam).
type shellCallItem struct {
	Type        string          `json:"type"`
	ID          *string         `json:"id"`
	CallID      string          `json:"call_id"`
	Caller      json.RawMessage `json:"caller"`
	Action      json.RawMessage `json:"action"`
	Status      *string         `json:"status"`
	Environment json.RawMessage `json:"environment"`
}

// shellOutputItem is a shell call's output
// (FunctionShellCallOutputItemParam).
type shellOutputItem struct {
	Type            string          `json:"type"`
	ID              *string         `json:"id"`
	CallID          string          `json:"call_id"`
	Caller          json.RawMessage `json:"caller"`
	Output          json.RawMessage `json:"output"`
	Status          *string         `json:"status"`
	MaxOutputLength *int64          `json:"max_output_length"`
}

// shellOutputContent is one command's output
// (FunctionShellCallOutputContentParam).
type shellOutputContent struct {
	Stdout  *string         `json:"stdout"`
	Stderr  *string         `json:"stderr"`
	Outcome json.RawMessage `json:"outcome"`
}

// shellOutcome is how a command ended: {"type":"exit","exit_code"} or
// {"type":"timeout"}.
type shellOutcome struct {
	Type     string `json:"type"`
	ExitCode *int64 `json:"exit_code"`
}

// patchCallItem is an apply_patch call sent back
// (ApplyPatchToolCallItemParam).
type patchCallItem struct {
	Type      string          `json:"type"`
	ID        *string         `json:"id"`
	CallID    string          `json:"call_id"`
	Caller    json.RawMessage `json:"caller"`
	Status    *string         `json:"status"`
	Operation json.RawMessage `json:"operation"`
}

// patchOutputItem is an apply_patch call's output
// (ApplyPatchToolCallOutputItemParam).
type patchOutputItem struct {
	Type   string          `json:"type"`
	ID     *string         `json:"id"`
	CallID string          `json:"call_id"`
	Caller json.RawMessage `json:"caller"`
	Status *string         `json:"status"`
	Output *string         `json:"output"`
}

// clientItem decodes the client-executed tools' item of type typ, and
// reports whether typ is one.
func (d *inputDecoder) clientItem(raw json.RawMessage, typ, path string) (bool, error) {
	switch typ {
	case ItemLocalShellCall:
		return true, d.localShellCall(raw, path)
	case "local_shell_call_output":
		return true, d.localShellOutput(raw, path)
	case ItemShellCall:
		return true, d.shellCall(raw, path)
	case "shell_call_output":
		return true, d.shellOutput(raw, path)
	case ItemApplyPatchCall:
		return true, d.patchCall(raw, path)
	case "apply_patch_call_output":
		return true, d.patchOutput(raw, path)
	}
	return false, nil
}

func (d *inputDecoder) localShellCall(raw json.RawMessage, path string) error {
	var c localShellCallItem
	if err := decodeStrict(raw, path, &c); err != nil {
		return err
	}
	if err := checkCall(path, c.ID == nil, c.Status, true, StatusInProgress, StatusCompleted, StatusIncomplete); err != nil {
		return err
	}
	var a localShellAction
	if err := decodeObject(c.Action, path+".action", &a); err != nil {
		return err
	}
	switch {
	case a.Type == "":
		return missing(path + ".action.type")
	case a.Type != "exec":
		return invalid(path+".action.type", "Invalid value: '%s'. Supported values are: 'exec'.", llm.Clip(a.Type))
	case a.Command == nil:
		return missing(path + ".action.command")
	case a.Env == nil:
		return missing(path + ".action.env")
	}
	return d.addClientCall(c.CallID, ToolLocalShell, &a, path)
}

func (d *inputDecoder) localShellOutput(raw json.RawMessage, path string) error {
	var o localShellOutputItem
	if err := decodeStrict(raw, path, &o); err != nil {
		return err
	}
	if err := checkEnum(o.Status, path+".status", StatusInProgress, StatusCompleted, StatusIncomplete); err != nil {
		return err
	}
	callID := deref(o.CallID)
	if callID == "" {
		callID = deref(o.ID)
	}
	if callID == "" {
		return missing(path + ".id")
	}
	if o.Output == nil {
		return missing(path + ".output")
	}
	return d.addClientOutput(callID, *o.Output, localShellOutputItemOf(callID, *o.Output), path)
}

func (d *inputDecoder) shellCall(raw json.RawMessage, path string) error {
	var c shellCallItem
	if err := decodeStrict(raw, path, &c); err != nil {
		return err
	}
	if err := checkCall(path, false, c.Status, false, StatusInProgress, StatusCompleted, StatusIncomplete); err != nil {
		return err
	}
	if err := checkCaller(c.Caller, path+".caller"); err != nil {
		return err
	}
	if err := checkCallEnvironment(c.Environment, path+".environment"); err != nil {
		return err
	}
	var a shellAction
	if err := decodeObject(c.Action, path+".action", &a); err != nil {
		return err
	}
	if a.Commands == nil {
		return missing(path + ".action.commands")
	}
	return d.addClientCall(c.CallID, ToolShell, &a, path)
}

func (d *inputDecoder) shellOutput(raw json.RawMessage, path string) error {
	var o shellOutputItem
	if err := decodeStrict(raw, path, &o); err != nil {
		return err
	}
	if err := checkEnum(o.Status, path+".status", StatusInProgress, StatusCompleted, StatusIncomplete); err != nil {
		return err
	}
	if err := checkCaller(o.Caller, path+".caller"); err != nil {
		return err
	}
	if isNull(o.Output) {
		return missing(path + ".output")
	}
	text, err := shellOutputText(o.Output, path+".output")
	if err != nil {
		return err
	}
	return d.addClientOutput(o.CallID, text, shellOutputItemOf(o.CallID, o.Output, o.MaxOutputLength), path)
}

// shellOutputText is the text a shell call's output array raw stands
// for: each command's outcome, stdout and stderr, commands apart by a
// blank line.
func shellOutputText(raw json.RawMessage, path string) (string, error) {
	if first(raw) != '[' {
		return "", invalid(path, "Invalid type for '%s': expected an array, but got %s instead.", path, kindOf(raw))
	}
	var contents []json.RawMessage
	if err := json.Unmarshal(raw, &contents); err != nil {
		return "", jsonError(err, path)
	}
	var b strings.Builder
	for i, c := range contents {
		at := path + "[" + strconv.Itoa(i) + "]"
		var oc shellOutputContent
		if err := decodeObject(c, at, &oc); err != nil {
			return "", err
		}
		switch {
		case oc.Stdout == nil:
			return "", missing(at + ".stdout")
		case oc.Stderr == nil:
			return "", missing(at + ".stderr")
		}
		outcome, err := outcomeText(oc.Outcome, at+".outcome")
		if err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(outcome)
		b.WriteString("\nstdout:\n" + *oc.Stdout + "\nstderr:\n" + *oc.Stderr)
	}
	if len(contents) == 0 {
		return "(no output)", nil
	}
	return b.String(), nil
}

// outcomeText is the text of a command's outcome raw at path.
func outcomeText(raw json.RawMessage, path string) (string, error) {
	if isNull(raw) {
		return "", missing(path)
	}
	var o shellOutcome
	if err := decodeObject(raw, path, &o); err != nil {
		return "", err
	}
	switch o.Type {
	case "exit":
		if o.ExitCode == nil {
			return "", missing(path + ".exit_code")
		}
		return "exit code: " + strconv.FormatInt(*o.ExitCode, 10), nil
	case "timeout":
		if o.ExitCode != nil {
			return "", invalid(path+".exit_code", "Unknown parameter: '%s.exit_code'.", path)
		}
		return "timed out", nil
	case "":
		return "", missing(path + ".type")
	}
	return "", invalid(path+".type", "Invalid value: '%s'. Supported values are: 'timeout' and 'exit'.", llm.Clip(o.Type))
}

func (d *inputDecoder) patchCall(raw json.RawMessage, path string) error {
	var c patchCallItem
	if err := decodeStrict(raw, path, &c); err != nil {
		return err
	}
	if err := checkCall(path, false, c.Status, true, StatusInProgress, StatusCompleted); err != nil {
		return err
	}
	if err := checkCaller(c.Caller, path+".caller"); err != nil {
		return err
	}
	op, err := decodeOperation(c.Operation, path+".operation")
	if err != nil {
		return err
	}
	return d.addClientCall(c.CallID, ToolApplyPatch, op, path)
}

func (d *inputDecoder) patchOutput(raw json.RawMessage, path string) error {
	var o patchOutputItem
	if err := decodeStrict(raw, path, &o); err != nil {
		return err
	}
	if err := checkCall(path, false, o.Status, true, StatusCompleted, StatusFailed); err != nil {
		return err
	}
	if err := checkCaller(o.Caller, path+".caller"); err != nil {
		return err
	}
	text := "apply_patch " + *o.Status
	if o.Output != nil && *o.Output != "" {
		text += ": " + *o.Output
	}
	return d.addClientOutput(o.CallID, text, patchOutputItemOf(o.CallID, *o.Status, o.Output), path)
}
