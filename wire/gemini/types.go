// Package gemini holds the Gemini API (generativelanguage.googleapis.com,
// v1beta) wire format: the generateContent request and response shapes,
// embeddings and model listing, the error shape, and the translation between
// them and Switchyard's canonical llm types, for complete responses and for
// streamGenerateContent?alt=sse streams.
//
// Field names and JSON spellings follow the REST API (lowerCamelCase), so a
// value round-trips byte-for-byte in meaning. Fields the router does not
// interpret are still modelled where a client or the simulator needs them;
// everything is optional unless a comment says otherwise.
package gemini

import "encoding/json"

// Roles of a Content.
const (
	RoleUser  = "user"
	RoleModel = "model"
)

// Function calling modes of FunctionCallingConfig.Mode.
const (
	ModeAuto      = "AUTO"
	ModeAny       = "ANY"
	ModeNone      = "NONE"
	ModeValidated = "VALIDATED"
)

// MIME types of GenerationConfig.ResponseMIMEType.
const (
	MIMEText = "text/plain"
	MIMEJSON = "application/json"
	MIMEEnum = "text/x.enum"
)

// GenerateContentRequest is the body of models.generateContent and
// models.streamGenerateContent. Contents is required.
type GenerateContentRequest struct {
	Contents          []Content         `json:"contents"`
	SystemInstruction *Content          `json:"systemInstruction,omitempty"`
	Tools             []Tool            `json:"tools,omitempty"`
	ToolConfig        *ToolConfig       `json:"toolConfig,omitempty"`
	GenerationConfig  *GenerationConfig `json:"generationConfig,omitempty"`
	SafetySettings    []SafetySetting   `json:"safetySettings,omitempty"`
	// CachedContent names an explicit cache, "cachedContents/{id}".
	CachedContent string `json:"cachedContent,omitempty"`
}

// Content is one turn: a role ("user" or "model"; empty means user) and its
// ordered parts.
type Content struct {
	Role string `json:"role,omitempty"`
	// Parts is absent from a candidate whose thinking spent the whole
	// output limit (finishReason MAX_TOKENS).
	Parts []Part `json:"parts,omitempty"`
}

// Part is one piece of content. Exactly one of Text, InlineData, FileData,
// FunctionCall and FunctionResponse is set (the API's "data" oneof); Thought
// and ThoughtSignature qualify it.
type Part struct {
	Text             string            `json:"text,omitempty"`
	InlineData       *Blob             `json:"inlineData,omitempty"`
	FileData         *FileData         `json:"fileData,omitempty"`
	FunctionCall     *FunctionCall     `json:"functionCall,omitempty"`
	FunctionResponse *FunctionResponse `json:"functionResponse,omitempty"`
	// Thought marks a part as the model's thinking (sent only when
	// thinkingConfig.includeThoughts is set); it is not answer text.
	Thought bool `json:"thought,omitempty"`
	// ThoughtSignature is an opaque token that must be sent back with the
	// part it came with (Gemini 3 requires it on function calls).
	ThoughtSignature string `json:"thoughtSignature,omitempty"`
	// ExecutableCode and CodeExecutionResult come from the code execution
	// tool; the router passes them through untouched.
	ExecutableCode      json.RawMessage `json:"executableCode,omitempty"`
	CodeExecutionResult json.RawMessage `json:"codeExecutionResult,omitempty"`
}

// Blob is inline media: base64 Data of MIMEType.
type Blob struct {
	MIMEType string `json:"mimeType"`
	Data     string `json:"data"`
}

// FileData refers to media by URI (Files API, YouTube, or a public URL).
type FileData struct {
	MIMEType string `json:"mimeType,omitempty"`
	FileURI  string `json:"fileUri"`
}

// FunctionCall is a call the model predicts. Args is a JSON object; ID is
// set by newer models and must be echoed in the FunctionResponse.
type FunctionCall struct {
	ID   string          `json:"id,omitempty"`
	Name string          `json:"name"`
	Args json.RawMessage `json:"args,omitempty"`
}

// FunctionResponse is the result of a FunctionCall. Name is required and
// Response must be a JSON object.
type FunctionResponse struct {
	ID       string          `json:"id,omitempty"`
	Name     string          `json:"name"`
	Response json.RawMessage `json:"response"`
}

// Tool offers functions (or built-in tools, passed through as raw JSON).
type Tool struct {
	FunctionDeclarations []FunctionDeclaration `json:"functionDeclarations,omitempty"`
	CodeExecution        json.RawMessage       `json:"codeExecution,omitempty"`
	GoogleSearch         json.RawMessage       `json:"googleSearch,omitempty"`
	URLContext           json.RawMessage       `json:"urlContext,omitempty"`
}

// FunctionDeclaration describes one function. Parameters is an OpenAPI 3.0
// subset Schema (types in upper case); ParametersJSONSchema is full JSON
// Schema. The two are mutually exclusive.
type FunctionDeclaration struct {
	Name                 string          `json:"name"`
	Description          string          `json:"description,omitempty"`
	Parameters           json.RawMessage `json:"parameters,omitempty"`
	ParametersJSONSchema json.RawMessage `json:"parametersJsonSchema,omitempty"`
}

// ToolConfig configures tool use.
type ToolConfig struct {
	FunctionCallingConfig *FunctionCallingConfig `json:"functionCallingConfig,omitempty"`
}

// FunctionCallingConfig sets the calling mode (AUTO, ANY, NONE, VALIDATED);
// AllowedFunctionNames restricts ANY and VALIDATED to those functions.
type FunctionCallingConfig struct {
	Mode                 string   `json:"mode,omitempty"`
	AllowedFunctionNames []string `json:"allowedFunctionNames,omitempty"`
}

// GenerationConfig holds sampling, limits and output format. Nil pointers
// mean the model's default.
type GenerationConfig struct {
	Temperature      *float64 `json:"temperature,omitempty"`
	TopP             *float64 `json:"topP,omitempty"`
	TopK             *int     `json:"topK,omitempty"`
	MaxOutputTokens  *int     `json:"maxOutputTokens,omitempty"`
	StopSequences    []string `json:"stopSequences,omitempty"`
	CandidateCount   *int     `json:"candidateCount,omitempty"`
	Seed             *int32   `json:"seed,omitempty"`
	PresencePenalty  *float64 `json:"presencePenalty,omitempty"`
	FrequencyPenalty *float64 `json:"frequencyPenalty,omitempty"`
	ResponseMIMEType string   `json:"responseMimeType,omitempty"`
	// ResponseSchema is an OpenAPI-subset Schema; ResponseJSONSchema full
	// JSON Schema. Either needs ResponseMIMEType application/json.
	ResponseSchema     json.RawMessage `json:"responseSchema,omitempty"`
	ResponseJSONSchema json.RawMessage `json:"responseJsonSchema,omitempty"`
	ResponseModalities []string        `json:"responseModalities,omitempty"`
	ThinkingConfig     *ThinkingConfig `json:"thinkingConfig,omitempty"`
	// ResponseLogprobs asks for the chosen tokens' log probabilities
	// (Candidate.LogprobsResult); Logprobs (0 to 20, only with
	// ResponseLogprobs) for that many top candidates at each step too.
	ResponseLogprobs bool `json:"responseLogprobs,omitempty"`
	Logprobs         *int `json:"logprobs,omitempty"`
}

// ThinkingConfig controls thinking models. ThinkingBudget (tokens; 0 turns
// thinking off where allowed, -1 is dynamic) is for Gemini 2.5;
// ThinkingLevel (MINIMAL, LOW, MEDIUM, HIGH) for Gemini 3.
type ThinkingConfig struct {
	IncludeThoughts bool   `json:"includeThoughts,omitempty"`
	ThinkingBudget  *int   `json:"thinkingBudget,omitempty"`
	ThinkingLevel   string `json:"thinkingLevel,omitempty"`
}

// SafetySetting sets the block threshold of one harm category.
type SafetySetting struct {
	Category  string `json:"category"`
	Threshold string `json:"threshold"`
}
