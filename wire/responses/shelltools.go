package responses

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// OpenAI's client-executed tools: local_shell, shell and apply_patch. The
// model only asks for them (a local_shell_call, shell_call or
// apply_patch_call item); the client runs them (Codex CLI, the Agents
// SDK's LocalShellTool, ShellTool and ApplyPatchTool) and sends the result
// back (local_shell_call_output, shell_call_output,
// apply_patch_call_output). The router can therefore serve them on any
// deployment: each is sent as a function of the same name whose parameters
// are the action's (the operation's) schema from the spec, and a call of
// that function comes back as the tool's item (shellcalls.go). A shell
// tool's container environment runs on OpenAI's side: refused.

// The client-executed tools' types, which are also their functions' names.
const (
	ToolLocalShell = "local_shell"
	ToolShell      = "shell"
	ToolApplyPatch = "apply_patch"
)

// clientToolFunctions are the functions the client-executed tools are
// sent as, by type.
var clientToolFunctions = map[string]llm.Tool{
	ToolLocalShell: {Type: "function", Name: ToolLocalShell, Description: localShellDescription, Parameters: localShellSchema},
	ToolShell:      {Type: "function", Name: ToolShell, Description: shellDescription, Parameters: shellSchema},
	ToolApplyPatch: {Type: "function", Name: ToolApplyPatch, Description: applyPatchDescription, Parameters: applyPatchSchema},
}

const localShellDescription = "Run a command on the user's machine and get its output. " +
	"command is the program and its arguments (argv, e.g. [\"bash\", \"-lc\", \"ls -la\"]); " +
	"env (variables to set), working_directory, user (to run as) and timeout_ms are optional."

var localShellSchema = json.RawMessage(`{"type":"object","required":["command"],"properties":{` +
	`"type":{"type":"string","enum":["exec"],"description":"The action: always exec."},` +
	`"command":{"type":"array","items":{"type":"string"},"minItems":1,"description":"The command to run: the program, then its arguments."},` +
	`"timeout_ms":{"type":"integer","description":"Optional timeout in milliseconds for the command."},` +
	`"working_directory":{"type":"string","description":"Optional working directory to run the command in."},` +
	`"env":{"type":"object","additionalProperties":{"type":"string"},"description":"Environment variables to set for the command."},` +
	`"user":{"type":"string","description":"Optional user to run the command as."}}}`)

const shellDescription = "Run shell commands on the user's machine and get their output: stdout, stderr and exit code (or a timeout) of each. " +
	"commands run in order, each a shell command line; timeout_ms bounds their run time, max_output_length the characters of output returned for each."

var shellSchema = json.RawMessage(`{"type":"object","required":["commands"],"properties":{` +
	`"commands":{"type":"array","items":{"type":"string"},"minItems":1,"description":"The shell commands to run, in order."},` +
	`"timeout_ms":{"type":"integer","description":"Optional timeout in milliseconds for the commands."},` +
	`"max_output_length":{"type":"integer","description":"Optional maximum number of characters to return from each command."}}}`)

const applyPatchDescription = "Create, update or delete one file of the user's workspace per call, with a diff. " +
	"The diff is in the V4A format, a unified diff without line numbers: for update_file, hunks each starting with an @@ line " +
	"(optionally followed by a line of context that locates it), then lines starting with ' ' (unchanged context), '-' (removed) or '+' (added); " +
	"for create_file, the whole new file, every line starting with '+'. delete_file takes no diff. " +
	"Paths are relative to the workspace root."

var applyPatchSchema = json.RawMessage(`{"type":"object","required":["type","path"],"properties":{` +
	`"type":{"type":"string","enum":["create_file","update_file","delete_file"],"description":"create_file: a new file; update_file: change an existing file; delete_file: remove a file."},` +
	`"path":{"type":"string","minLength":1,"description":"Path of the file, relative to the workspace root."},` +
	`"diff":{"type":"string","description":"The V4A diff to apply (create_file and update_file only)."}}}`)

// clientToolDecl is a local_shell or apply_patch declaration: its type
// alone. allowed_callers belongs to OpenAI's hosted programmatic tool
// calling: refused as an unknown field.
type clientToolDecl struct {
	Type string `json:"type"`
}

// shellToolDecl is a shell tool declaration (FunctionShellToolParam).
type shellToolDecl struct {
	Type        string          `json:"type"`
	Environment json.RawMessage `json:"environment"`
}

// localEnvironment is a shell tool's local environment
// (LocalEnvironmentParam) with its skills.
type localEnvironment struct {
	Type   string       `json:"type"`
	Skills []localSkill `json:"skills"`
}

// localSkill is a skill of a local environment (LocalSkillParam).
type localSkill struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Path        *string `json:"path"`
}

// decodeClientTool decodes the client-executed tool raw of type typ at
// path: the function it is sent as.
func decodeClientTool(raw json.RawMessage, typ, path string) (llm.Tool, error) {
	t := clientToolFunctions[typ]
	t.OpenAIClient = &llm.OpenAIClientTool{Type: typ}
	if typ != ToolShell {
		var d clientToolDecl
		return t, decodeStrict(raw, path, &d)
	}
	var d shellToolDecl
	if err := decodeStrict(raw, path, &d); err != nil {
		return llm.Tool{}, err
	}
	if isNull(d.Environment) {
		return t, nil
	}
	skills, err := decodeShellEnvironment(d.Environment, path+".environment")
	if err != nil {
		return llm.Tool{}, err
	}
	var b bytes.Buffer
	json.Compact(&b, d.Environment) //nolint:errcheck // decoded before: valid JSON
	t.OpenAIClient.Environment = b.Bytes()
	if skills != "" {
		t.Description += " Skills available on the machine (read a skill's directory before using it): " + skills
	}
	return t, nil
}

// decodeShellEnvironment checks a shell tool's environment at path: a
// local one, whose skills it returns listed for the description.
func decodeShellEnvironment(raw json.RawMessage, path string) (string, error) {
	if first(raw) != '{' {
		return "", invalid(path, "Invalid type for '%s': expected an object, but got %s instead.", path, kindOf(raw))
	}
	var h itemHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", jsonError(err, path)
	}
	switch typ := deref(h.Type); typ {
	case "local":
	case "container_auto", "container_reference":
		e := unsupported(path+".type", "The shell tool's environment '%s' is not supported: it runs the commands in a container on OpenAI's side, and this router sends requests to any provider. Declare the shell tool with a local environment (or none) and run the commands yourself.", llm.Clip(typ))
		e.Code = "unsupported_value"
		return "", e
	case "":
		return "", invalid(path+".type", "Missing required parameter: '%s.type'.", path)
	default:
		return "", invalid(path+".type", "Invalid value: '%s'. Supported values are: 'container_auto', 'local' and 'container_reference'.", llm.Clip(typ))
	}
	var env localEnvironment
	if err := decodeStrict(raw, path, &env); err != nil {
		return "", err
	}
	list := make([]string, 0, len(env.Skills))
	for i, s := range env.Skills {
		at := path + ".skills[" + strconv.Itoa(i) + "]"
		switch {
		case s.Name == nil:
			return "", invalid(at+".name", "Missing required parameter: '%s.name'.", at)
		case s.Description == nil:
			return "", invalid(at+".description", "Missing required parameter: '%s.description'.", at)
		case s.Path == nil:
			return "", invalid(at+".path", "Missing required parameter: '%s.path'.", at)
		}
		list = append(list, *s.Name+" ("+*s.Path+"): "+*s.Description)
	}
	return strings.Join(list, "; "), nil
}

// clientChoice decodes tool_choice {"type":"shell"} or
// {"type":"apply_patch"} (SpecificFunctionShellParam,
// SpecificApplyPatchParam): the function the tool is sent as, forced.
func clientChoice(raw json.RawMessage, typ string) (*llm.ToolChoice, error) {
	var d clientToolDecl
	if err := decodeStrict(raw, "tool_choice", &d); err != nil {
		return nil, err
	}
	return &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: typ}, nil
}

// checkClientChoice checks that tool_choice raw, when it forces a
// client-executed tool ({"type":"shell"}), forces one of tools (not a
// function or custom tool of its name).
func checkClientChoice(raw json.RawMessage, tools []llm.Tool) error {
	var h itemHeader
	if first(raw) != '{' || json.Unmarshal(raw, &h) != nil {
		return nil
	}
	if t := deref(h.Type); clientToolFunctions[t].Name != "" && clientTool(tools, t) == nil {
		return invalid("tool_choice.type", "Invalid 'tool_choice': there is no '%s' tool in 'tools'.", llm.Clip(t))
	}
	return nil
}

// checkClientTools checks that no other tool of tools has the name of a
// client-executed tool among them (their calls would be told apart by
// name).
func checkClientTools(tools []llm.Tool) error {
	for i := range tools {
		if tools[i].OpenAIClient == nil {
			continue
		}
		for j := range tools {
			if j != i && tools[j].Name == tools[i].Name {
				return invalid("tools", "Invalid 'tools': the tool '%s' is declared twice (a function or custom tool may not take the name of the '%s' tool).", llm.Clip(tools[i].Name), tools[i].OpenAIClient.Type)
			}
		}
	}
	return nil
}

// clientTool returns the client-executed tool of tools named name, or
// nil.
func clientTool(tools []llm.Tool, name string) *llm.OpenAIClientTool {
	for i := range tools {
		if tools[i].Name == name && tools[i].OpenAIClient != nil {
			return tools[i].OpenAIClient
		}
	}
	return nil
}

// appendClientTool appends the client-executed tool c as the request
// declared it (FunctionShellTool, LocalShellTool, ApplyPatchTool).
func appendClientTool(dst []byte, c *llm.OpenAIClientTool) []byte {
	dst = append(dst, `{"type":`...)
	dst = jsonw.String(dst, c.Type)
	if c.Type == ToolShell {
		dst = append(dst, `,"environment":`...)
		if len(c.Environment) == 0 {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, c.Environment...)
		}
	}
	return append(dst, '}')
}
