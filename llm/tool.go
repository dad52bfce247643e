package llm

import (
	"encoding/json"
	"slices"
	"strings"
)

// ToolCall is a function call made by the model.
type ToolCall struct {
	ID string
	// Type is "function" ("" means it too) or ToolCustom: a call of a
	// custom tool, whose Arguments are its free-text input, not JSON.
	Type      string
	Name      string
	Arguments string // JSON text, as produced by the model; a custom call's input
	// Cache is a prompt-cache breakpoint at the end of the call (see
	// CacheTTL); NoCache means none.
	Cache CacheTTL
	// Signature is the opaque token a Gemini model attached to the call
	// (thoughtSignature: its reasoning, encrypted; Google's OpenAI
	// compatibility endpoint writes it as the call's
	// extra_content.google.thought_signature), which it wants back on
	// the call in later turns; only Gemini deployments (native, or
	// through that endpoint) are sent it. "" when unknown.
	Signature string `json:",omitempty"`
	// SignatureModel is the model that made Signature (SignatureModelID
	// of its id), when the router knows it: a signature is bound to its
	// model, and only that model is sent it (SignatureFor). The router
	// marks a Chat client's copy with it and reads the mark back. ""
	// when unknown (a client sent an unmarked signature): it is sent as
	// it is, to Gemini models only.
	SignatureModel string `json:",omitempty"`
}

// SignatureModelID returns the model id a signature is bound to: model
// without a host's "vendor/" or "models/" prefix, in lower case.
func SignatureModelID(model string) string {
	if i := strings.LastIndexByte(model, '/'); i >= 0 {
		model = model[i+1:]
	}
	return strings.ToLower(model)
}

// SignatureFor returns the signature of tc that model (its id, with or
// without a prefix) is sent: Signature, unless another model made it
// (SignatureModel), or, made by a model unknown, unless model is not a
// Gemini model (only Gemini models make signatures: another model of a
// host that takes them, Gemma on Google's endpoint, made none of them);
// "" then, as Google's guide says of a trace from a different model (a
// Gemini 3 model is sent SkipThoughtSignature in its place, as for a
// call without one).
func (tc *ToolCall) SignatureFor(model string) string {
	id := SignatureModelID(model)
	switch {
	case tc.SignatureModel != "" && tc.SignatureModel != id:
		return ""
	case tc.SignatureModel == "" && !strings.HasPrefix(id, "gemini-"):
		return ""
	}
	return tc.Signature
}

// SkipThoughtSignature is the sentinel Google documents for a function
// call whose thought signature is unknown (history from another model, or
// a client that dropped it), on its native API and its OpenAI
// compatibility endpoint alike: Gemini 3 models reject a replayed call
// without a signature, and this value tells them to skip the check.
const SkipThoughtSignature = "skip_thought_signature_validator"

// ToolCustom is the Type of an OpenAI custom tool, and of a call of one:
// the model writes free text (Arguments) rather than JSON, optionally
// constrained by a grammar (Tool.Format).
const ToolCustom = "custom"

// Tool is a function the model may call.
type Tool struct {
	// Type is "function" ("" means it too) or ToolCustom.
	Type        string
	Name        string
	Description string
	// Parameters is the JSON Schema of the arguments; nil means none given.
	Parameters json.RawMessage
	// Format is a custom tool's input format as the client sent it
	// ({"type":"text"} or {"type":"grammar","syntax","definition"} in the
	// Responses API's shape); nil means unconstrained text. Only custom
	// tools have one.
	Format json.RawMessage
	// Strict asks for exact schema adherence; nil means unspecified.
	Strict *bool
	// Cache is a prompt-cache breakpoint at the end of this tool's
	// definition (see CacheTTL); NoCache means none.
	Cache CacheTTL
	// Anthropic holds the Messages API's tool fields beyond a function's,
	// as an Anthropic client set them; nil for none.
	Anthropic *AnthropicToolOptions
	// OpenAIClient is the OpenAI client-executed tool (local_shell,
	// shell, apply_patch) a Responses client declared, which every
	// deployment gets as this function (Name, Parameters written by the
	// router from the spec) and whose calls go back to the client as that
	// tool's items; nil for a tool the client described itself.
	OpenAIClient *OpenAIClientTool
}

// OpenAIClientTool is an OpenAI Responses tool that the client runs (the
// model only asks for it), as the client declared it.
type OpenAIClientTool struct {
	// Type is the tool's type: "local_shell", "shell" or "apply_patch".
	Type string
	// Environment is a shell tool's environment as declared (a local
	// one, compact JSON); nil when none was.
	Environment json.RawMessage
}

// AnthropicToolOptions are the tool fields of Anthropic's Messages API
// that say how Claude uses a tool rather than what it is: a Claude
// deployment gets them as the client sent them; other deployments, which
// have no such settings, get the tool without them.
type AnthropicToolOptions struct {
	// EagerInputStreaming streams the tool's input without buffering it
	// to validate it first (fine-grained tool streaming).
	EagerInputStreaming *bool
	// DeferLoading leaves the tool out of the context until a tool
	// search finds it.
	DeferLoading *bool
	// AllowedCallers names who may call the tool ("direct", a code
	// execution tool).
	AllowedCallers []string
	// InputExamples are example inputs (a JSON array of objects).
	InputExamples json.RawMessage
	// Defined is the type of the Anthropic-defined client tool the
	// client declared ("bash_20250124", "text_editor_20250728",
	// "memory_20250818"), "" for a tool it described itself: a Claude
	// deployment gets the declaration (Claude knows the tool's input);
	// others get the function, whose Parameters the router wrote from
	// Anthropic's documentation.
	Defined string
	// MaxCharacters is the text editor's max_characters; nil when unset.
	MaxCharacters *int
	// Server is the declaration of an Anthropic server tool (web search,
	// web fetch, code execution, tool search: a tool that runs on
	// Anthropic's servers), as the client wrote it; nil for every other
	// tool. Only a Claude deployment can serve it, and gets it as it
	// came (see Request.AnthropicServerTools); the tool's Name is its
	// name, and it has no Parameters.
	Server json.RawMessage
}

// ToolChoiceMode says whether and how the model must call tools.
type ToolChoiceMode string

// The tool choice modes. ToolChoiceFunction forces the named function.
const (
	ToolChoiceAuto     ToolChoiceMode = "auto"
	ToolChoiceNone     ToolChoiceMode = "none"
	ToolChoiceRequired ToolChoiceMode = "required"
	ToolChoiceFunction ToolChoiceMode = "function"
)

// ToolChoice constrains tool use.
type ToolChoice struct {
	Mode ToolChoiceMode
	// Name is the forced function, for ToolChoiceFunction; the tool of
	// that name may be a custom tool (Tool.Type ToolCustom).
	Name string
	// Allowed, when not nil, restricts the model to the tools of these
	// names (OpenAI's tool_choice allowed_tools), the request's Tools
	// staying as sent so that a prompt cache holds; Mode is then
	// ToolChoiceAuto (the model may call one of them or answer) or
	// ToolChoiceRequired (it must call one of them). The names are
	// among the request's tools; empty only when the choice allows
	// hosted tools alone (OpenAIHosted.ToolChoice holds it as written).
	Allowed []string
}

// AllowedOnly returns req with its tools narrowed to those its
// tool_choice allows (ToolChoice.Allowed) and the tool_choice a plain
// mode, for an upstream that has no such choice; req itself is not
// changed. Without Allowed it returns req, without allocating.
func AllowedOnly(req *Request) *Request {
	tc := req.ToolChoice
	if tc == nil || tc.Allowed == nil {
		return req
	}
	r := *req
	r.ToolChoice = &ToolChoice{Mode: tc.Mode}
	r.Tools = make([]Tool, 0, len(tc.Allowed))
	for i := range req.Tools {
		if slices.Contains(tc.Allowed, req.Tools[i].Name) {
			r.Tools = append(r.Tools, req.Tools[i])
		}
	}
	return &r
}

// IsCustom reports whether t is a custom tool (free-text input).
func (t *Tool) IsCustom() bool { return t.Type == ToolCustom }

// HasCustomTools reports whether any of tools is a custom tool.
func HasCustomTools(tools []Tool) bool {
	for i := range tools {
		if tools[i].Type == ToolCustom {
			return true
		}
	}
	return false
}
