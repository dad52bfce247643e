package anthropic

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"switchyard/llm"
)

// Anthropic-defined client tools (bash, the text editor, memory) are
// declared by a versioned type and a fixed name, with no input_schema:
// Claude knows their input. The client runs them, as it runs its own
// tools, so the router can send them to any deployment: a Claude
// deployment gets the declaration as the client wrote it; any other gets a
// function of the same name with the input schema Anthropic documents for
// it (DefinedTool.Schema), and its calls come back as tool_use blocks
// shaped as Claude's would be.
//
// Server tools (web search, web fetch, code execution, tool search) run on
// Anthropic's servers and answer with blocks no other provider makes
// (ServerBlockTypes): their declarations are kept as the client wrote them
// (Tool.Raw) and only Claude deployments are sent them (see
// llm.Request.AnthropicServerTools).

// DefinedTool is one Anthropic-defined client tool version.
type DefinedTool struct {
	// Type is the versioned type ("bash_20250124").
	Type string
	// Name is the one name the API accepts for it.
	Name string
	// Description and Schema declare it to a deployment that does not
	// know it: the commands and input fields Anthropic documents.
	Description string
	Schema      json.RawMessage
	// MaxCharacters reports that the version takes max_characters.
	MaxCharacters bool
}

// definedTools are the Anthropic-defined client tool versions the
// Messages API accepts without a beta header, by type.
var definedTools = map[string]DefinedTool{
	"bash_20250124": {Type: "bash_20250124", Name: "bash", Description: bashDescription, Schema: bashSchema},
	"text_editor_20250124": {Type: "text_editor_20250124", Name: "str_replace_editor",
		Description: editorDescription + " undo_edit reverts the last edit of a file.", Schema: editorSchema(true, "new_str")},
	"text_editor_20250429": {Type: "text_editor_20250429", Name: "str_replace_based_edit_tool",
		Description: editorDescription, Schema: editorSchema(false, "insert_text")},
	"text_editor_20250728": {Type: "text_editor_20250728", Name: "str_replace_based_edit_tool",
		Description: editorDescription, Schema: editorSchema(false, "insert_text"), MaxCharacters: true},
	"memory_20250818": {Type: "memory_20250818", Name: "memory", Description: memoryDescription, Schema: memorySchema},
}

// LookupDefinedTool returns the Anthropic-defined client tool of type typ
// and whether there is one.
func LookupDefinedTool(typ string) (DefinedTool, bool) {
	d, ok := definedTools[typ]
	return d, ok
}

const bashDescription = "Run a command in a persistent bash shell and get its output. " +
	"State (working directory, environment, files) persists between calls; set restart to true to start a new shell."

var bashSchema = json.RawMessage(`{"type":"object","properties":{` +
	`"command":{"type":"string","description":"The bash command to run. Required unless the tool is being restarted."},` +
	`"restart":{"type":"boolean","description":"Set to true to restart the bash session."}}}`)

const editorDescription = "View, create and edit text files. Commands: view (a file with line numbers, or a directory's listing; " +
	"view_range [start, end] limits a file to those lines, 1-based, end -1 for the end of the file), create (path, file_text), " +
	"str_replace (replace old_str, which must occur exactly once, with new_str), insert (insert text after line insert_line, 0 for the start)."

// editorSchema is the text editor's input schema; undo says the version
// has undo_edit, insertField names the field of the text to insert.
func editorSchema(undo bool, insertField string) json.RawMessage {
	commands := `"view","create","str_replace","insert"`
	if undo {
		commands += `,"undo_edit"`
	}
	return json.RawMessage(`{"type":"object","required":["command","path"],"properties":{` +
		`"command":{"type":"string","enum":[` + commands + `]},` +
		`"path":{"type":"string","description":"Absolute path of the file or directory."},` +
		`"view_range":{"type":"array","items":{"type":"integer"},"minItems":2,"maxItems":2},` +
		`"file_text":{"type":"string","description":"create: the new file's content."},` +
		`"old_str":{"type":"string","description":"str_replace: the exact text to replace."},` +
		`"new_str":{"type":"string","description":"str_replace: the replacement text."},` +
		`"insert_line":{"type":"integer","description":"insert: the line after which to insert (0: the start)."}` +
		insertProperty(insertField) + `}}`)
}

func insertProperty(field string) string {
	if field == "new_str" { // the older version inserts new_str
		return ""
	}
	return `,"` + field + `":{"type":"string","description":"insert: the text to insert."}`
}

const memoryDescription = "Keep and read files in a persistent memory directory, /memories, across conversations. " +
	"Commands: view (a directory or file, optional view_range), create (path, file_text), str_replace (path, old_str, new_str), " +
	"insert (path, insert_line, insert_text), delete (path), rename (old_path, new_path)."

var memorySchema = json.RawMessage(`{"type":"object","required":["command"],"properties":{` +
	`"command":{"type":"string","enum":["view","create","str_replace","insert","delete","rename"]},` +
	`"path":{"type":"string","description":"A path under /memories."},` +
	`"view_range":{"type":"array","items":{"type":"integer"},"minItems":2,"maxItems":2},` +
	`"file_text":{"type":"string"},"old_str":{"type":"string"},"new_str":{"type":"string"},` +
	`"insert_line":{"type":"integer"},"insert_text":{"type":"string"},` +
	`"old_path":{"type":"string"},"new_path":{"type":"string"}}}`)

// toolTags are the tool types the API accepts, in its error's order.
func toolTags() string {
	tags := []string{"custom"}
	for t := range definedTools {
		tags = append(tags, t)
	}
	tags = append(tags, ServerToolTypes...)
	tags = append(tags, ToolsetTypes...)
	sort.Strings(tags)
	return "'" + strings.Join(tags, "', '") + "'"
}

// checkTypedTool checks tool i, whose type is not custom, as the API
// does; handled reports whether the type was one it knows (a defined or a
// server tool), so that the caller's checks of a custom tool are skipped.
func checkTypedTool(t *Tool, i int) (handled bool, err *llm.Error) {
	if slices.Contains(ToolsetTypes, t.Type) {
		return true, checkToolset(t, i)
	}
	if name := ServerToolName(t.Type); name != "" {
		if t.Name != name {
			return true, rejectf("tools.%d.%s.name: Input should be '%s'", i, t.Type, name)
		}
		return true, nil
	}
	d, ok := definedTools[t.Type]
	if !ok {
		return false, rejectf("tools.%d: Input tag '%s' found using 'type' does not match any of the expected tags: %s", i, llm.Clip(t.Type), toolTags())
	}
	switch {
	case t.Name != d.Name:
		return true, rejectf("tools.%d.%s.name: Input should be '%s'", i, t.Type, d.Name)
	case len(bytes.TrimSpace(t.InputSchema)) > 0:
		return true, rejectf("tools.%d.%s.input_schema: Extra inputs are not permitted", i, t.Type)
	case t.Description != "":
		return true, rejectf("tools.%d.%s.description: Extra inputs are not permitted", i, t.Type)
	case t.EagerInputStreaming != nil:
		return true, rejectf("tools.%d.%s.eager_input_streaming: Extra inputs are not permitted", i, t.Type)
	case t.MaxCharacters != nil && !d.MaxCharacters:
		return true, rejectf("tools.%d.%s.max_characters: Extra inputs are not permitted", i, t.Type)
	case t.MaxCharacters != nil && *t.MaxCharacters < 1:
		return true, rejectf("tools.%d.%s.max_characters: Input should be greater than or equal to 1", i, t.Type)
	}
	return true, nil
}

// definedToolToLLM is the canonical form of the defined tool t (valid):
// a function with d's schema, which remembers its type for a Claude
// deployment.
func definedToolToLLM(t *Tool, d DefinedTool) llm.Tool {
	out := llm.Tool{Type: "function", Name: t.Name, Description: d.Description, Parameters: d.Schema,
		Cache: CacheToLLM(t.CacheControl)}
	if t.Strict {
		out.Strict = &t.Strict
	}
	out.Anthropic = &llm.AnthropicToolOptions{Defined: d.Type, MaxCharacters: t.MaxCharacters, DeferLoading: t.DeferLoading,
		AllowedCallers: t.AllowedCallers, InputExamples: t.InputExamples}
	return out
}

// UnmarshalJSON decodes a tool as strictly as the request (no field the
// API does not know), except a server tool, whose own settings (max_uses,
// allowed_domains…) this package does not model: it is kept whole in Raw,
// with its type, name and cache_control read for Validate.
func (t *Tool) UnmarshalJSON(b []byte) error {
	type plain Tool // without this method
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	err := d.Decode((*plain)(t))
	if err == nil && !keptWhole(t.Type) {
		return nil // a client tool, decoded once: the common case
	}
	// A server tool (or a field this package does not model, which only
	// a server tool's settings may be): kept whole.
	var h struct {
		Type         string        `json:"type"`
		Name         string        `json:"name"`
		CacheControl *CacheControl `json:"cache_control"`
	}
	if json.Unmarshal(b, &h) == nil && keptWhole(h.Type) {
		*t = Tool{Type: h.Type, Name: h.Name, CacheControl: h.CacheControl, Raw: append(json.RawMessage(nil), b...)}
		return nil
	}
	if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field != "" {
		te.Field = "tools." + te.Field // the path a decoder of the whole request names
	}
	return err
}
