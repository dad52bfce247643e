package responses

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// Request is a decoded Responses API request: the canonical chat request
// the router runs, and the fields the response object echoes back that
// the canonical request does not keep.
type Request struct {
	// Chat is the canonical request: instructions as a first system
	// message, then the input items as messages.
	Chat *llm.Request
	// Instructions is the instructions as sent; nil when none.
	Instructions *string
	// ReasoningEffort is reasoning.effort ("" when unset); it travels in
	// Chat.Reasoning, which every upstream kind maps to its own control.
	ReasoningEffort string
	// ReasoningSummary is reasoning.summary as sent: auto, concise or
	// detailed put the answer's thinking in its reasoning item's summary.
	ReasoningSummary string
	// IncludeEncrypted says include holds "reasoning.encrypted_content":
	// the response's reasoning items carry their encrypted_content.
	IncludeEncrypted bool
	// MaxToolCalls is max_tool_calls as sent (it bounds built-in tools,
	// which the router does not run); nil when unset.
	MaxToolCalls *int
	// Verbosity is text.verbosity ("" when unset); it travels in
	// Chat.Extra as verbosity.
	Verbosity string
	// ServiceTier is service_tier as sent ("" when unset), also
	// Chat.ServiceTier; the response object says it until the usage
	// names the tier that served it.
	ServiceTier string
	// Store is store as sent (true when unset, OpenAI's default): whether
	// the client asks for the response to be kept.
	Store bool
	// PreviousResponseID is previous_response_id as sent ("" for none):
	// the stored response whose conversation the request continues.
	PreviousResponseID string
	// Conversation is the id of the conversation the request is made in
	// (its conversation parameter; "" for none): the conversation's items
	// come before the input, and the response's are added to it.
	Conversation string
	// Input is the input as sent (a JSON string or array), kept to be
	// stored with the response (StoredInput).
	Input json.RawMessage
	// CompactionTrigger says the input ends with a compaction_trigger
	// item: the response is the conversation's compaction (one compaction
	// item, CompactionOutput), made as POST /v1/responses/compact makes
	// it, not an answer.
	CompactionTrigger bool
	// Background is background as sent: the client asks for the response
	// to run after the request is answered (the caller decides whether
	// it can: the decoder only reads it).
	Background bool
	// Warmup says generate is false: WebSocket mode's warm-up, a response
	// without output that only prepares the conversation a later turn
	// continues (the caller answers it: the decoder only reads it).
	Warmup bool
	// prior is the conversation continued; nil for none.
	prior *Prior
	// config is what the items set (turnConfig), held here to be
	// allocated with r; StoredInput reads its refs.found.
	config turnConfig
	// sealer seals the reasoning items' encrypted_content (Stored.Sealer).
	sealer *Sealer
	// namespaced names the tools of the request's namespaces by the name
	// the upstream knows them by (namespace.go); nil for none.
	namespaced map[string]qualifiedName
}

// Prior is the conversation a request continues: the items a stored
// response's model was given besides the instructions (the earlier
// turns' input and output, then its own input) and its output items,
// each a JSON array of items as StoredInput and StoredOutput wrote them;
// or a conversation's items (Input; no Output) and Position, the
// position after the last of them.
type Prior struct {
	Input, Output json.RawMessage
	Position      int64
}

// Loader returns the conversation that the stored response id ended, or
// the items of the conversation id. Its error is the one the client gets
// (PreviousNotFound, ConversationNotFound when there is none).
type Loader func(id string) (*Prior, error)

// Stored is what a router that keeps state reads a request's earlier
// turns with; a nil Loader refuses the parameter it serves.
type Stored struct {
	// Previous loads the stored response of previous_response_id.
	Previous Loader
	// Conversation loads the conversation of the conversation parameter.
	Conversation Loader
	// Item finds an item of the caller's conversations by its id (an
	// item_reference's): nil, nil when none holds it. Nil: none is found.
	Item func(id string) (json.RawMessage, error)
	// Sealer makes the encrypted_content of the caller's reasoning items
	// and opens those sent back (their thinking goes on the assistant
	// turn after them); nil makes none and leaves every reasoning item
	// sent out.
	Sealer *Sealer
}

// PreviousNotFound is the error of a previous_response_id that names no
// stored response of the caller's, as OpenAI words it.
func PreviousNotFound(id string) *llm.Error {
	e := invalid("previous_response_id", "Previous response with id '%s' not found.", llm.Clip(id))
	e.Code = "previous_response_not_found"
	return e
}

// createRequest is the body of POST /v1/responses, as far as the router
// reads it; any other field is refused as unknown.
type createRequest struct {
	Model                *string           `json:"model"`
	Input                json.RawMessage   `json:"input"`
	Instructions         *string           `json:"instructions"`
	Tools                []json.RawMessage `json:"tools"`
	ToolChoice           json.RawMessage   `json:"tool_choice"`
	ParallelToolCalls    *bool             `json:"parallel_tool_calls"`
	Temperature          *float64          `json:"temperature"`
	TopP                 *float64          `json:"top_p"`
	MaxOutputTokens      *int              `json:"max_output_tokens"`
	Text                 json.RawMessage   `json:"text"`
	User                 *string           `json:"user"`
	Metadata             stringMap         `json:"metadata"`
	Store                *bool             `json:"store"`
	Stream               *bool             `json:"stream"`
	StreamOptions        json.RawMessage   `json:"stream_options"`
	Reasoning            json.RawMessage   `json:"reasoning"`
	Include              []string          `json:"include"`
	MaxToolCalls         *int              `json:"max_tool_calls"`
	ServiceTier          *string           `json:"service_tier"`
	SafetyIdentifier     *string           `json:"safety_identifier"`
	PromptCacheKey       *string           `json:"prompt_cache_key"`
	PromptCacheRetention *string           `json:"prompt_cache_retention"`
	Truncation           *string           `json:"truncation"`
	TopLogprobs          *int              `json:"top_logprobs"`
	Background           *bool             `json:"background"`

	// Stateful features; OpenAI's prompt, context_management, multi_agent,
	// moderation (hosted_params.go, beta_params.go).
	PreviousResponseID *string         `json:"previous_response_id"`
	Conversation       json.RawMessage `json:"conversation"`
	Prompt             json.RawMessage `json:"prompt"`
	ContextManagement  json.RawMessage `json:"context_management"`
	Moderation         json.RawMessage `json:"moderation"`
	MultiAgent         json.RawMessage `json:"multi_agent"`
	PromptCacheOptions json.RawMessage `json:"prompt_cache_options"`

	// Hints to OpenAI's own scheduling and context handling, and the
	// Codex CLI's identifiers of its thread and turn (hints.go).
	BackgroundOptions json.RawMessage   `json:"background_options"`
	Image             json.RawMessage   `json:"image"`
	AccessPrograms    json.RawMessage   `json:"access_programs"`
	ClientMetadata    map[string]string `json:"client_metadata"`
	Generate          *bool             `json:"generate"`
}

// DecodeRequest decodes and checks the body of POST /v1/responses. Every
// error is an *llm.Error of kind invalid_request whose Param is the JSON
// path of the field at fault ("input[1].content[0].image_url") and whose
// message says what to send instead. The result holds no reference to
// data. A request naming previous_response_id is refused: DecodeRequest
// is the stateless decoder (see DecodeRequestWith).
func DecodeRequest(data []byte) (*Request, error) { return DecodeRequestWith(data, nil) }

// DecodeRequestWith is DecodeRequest for a router that keeps responses:
// a request naming previous_response_id continues the conversation load
// returns for it (its items, then the request's input, after the
// request's own instructions: the earlier instructions are not carried).
// A nil load refuses previous_response_id, as DecodeRequest does; the
// conversation parameter is refused.
func DecodeRequestWith(data []byte, load Loader) (*Request, error) {
	return DecodeRequestStored(data, Stored{Previous: load})
}

// DecodeRequestStored is DecodeRequestWith for a router that keeps
// conversations too: a request made in a conversation continues its
// items as s.Conversation returns them, as previous_response_id does a
// stored response's (the two are exclusive).
func DecodeRequestStored(data []byte, s Stored) (*Request, error) {
	return decodeCreate(data, s, createNeeds{model: true, input: true, prompt: true})
}

// DecodeCountRequest decodes the body of POST /v1/responses/input_tokens
// as DecodeRequestStored does a create request's, but for model, which
// it may lack (the result's Chat.Model is then ""): the request whose
// input tokens are counted.
func DecodeCountRequest(data []byte, s Stored) (*Request, error) {
	return decodeCreate(data, s, createNeeds{input: true})
}

// createNeeds says which fields a create request must have: a compaction
// may name a stored response alone, a count may lack a model. prompt
// says it may name a stored prompt (which then may stand for its input):
// a create request only, as the router cannot read one (to count it).
type createNeeds struct{ model, input, prompt bool }

// decodeCreate decodes a create request, requiring what needs says.
func decodeCreate(data []byte, s Stored, needs createNeeds) (*Request, error) {
	var cr createRequest
	if err := decodeStrict(data, "", &cr); err != nil {
		return nil, err
	}
	if err := refuseStateful(&cr, s); err != nil {
		return nil, err
	}
	prompt := !isNull(cr.Prompt)
	if err := refuseCounted(&cr, needs); err != nil {
		return nil, err
	}
	if needs.model && (cr.Model == nil || *cr.Model == "") {
		return nil, invalid("model", "Missing required parameter: 'model'.")
	}
	out := &Request{Chat: &llm.Request{Model: deref(cr.Model)}, Instructions: cr.Instructions, Store: cr.Store == nil || *cr.Store, Input: cr.Input,
		Background: cr.Background != nil && *cr.Background, sealer: s.Sealer}
	req := out.Chat
	if cr.Instructions != nil && *cr.Instructions != "" {
		req.Messages = append(req.Messages, llm.TextMessage(llm.RoleSystem, *cr.Instructions))
	}
	calls, cfg := make(map[string]bool), &out.config
	msgs, err := out.earlier(&cr, s, calls, cfg)
	if err != nil {
		return nil, err
	}
	req.Messages = append(req.Messages, msgs...)
	cfg.refs.load, cfg.refs.find, cfg.resolving = s.Previous, s.Item, true
	if out.Conversation != "" {
		cfg.refs.conv = out.prior.Input
	}
	if !isNull(cr.Input) || (needs.input || len(req.Messages) == 0) && !prompt {
		if msgs, err = decodeInput(cr.Input, calls, s.Sealer, cfg); err != nil {
			return nil, err
		}
		req.Messages = append(req.Messages, msgs...)
	}
	llm.KeepLastBreakpoints(req.Messages, llm.MaxCacheMatchBreakpoints)
	if len(req.Messages) == 0 && !prompt {
		return nil, invalid("input", "Invalid 'input': it holds no message. Reasoning items alone are no conversation: send them with the messages and calls they belong to.")
	}
	for _, step := range []func(*createRequest, *Request) error{decodeSampling, decodeTooling, decodeText, decodeReasoning, decodeOptions, checkHints, decodeHostedParams, decodeBetaParams} {
		if err := step(&cr, out); err != nil {
			return nil, err
		}
	}
	if err := cfg.apply(out); err != nil {
		return nil, err
	}
	return out, nil
}

// earlier returns the messages of the turns before cr's input: the
// stored response it continues, or the conversation it is made in; their
// function calls are added to calls, their configuration updates' settings
// to cfg.
func (r *Request) earlier(cr *createRequest, s Stored, calls map[string]bool, cfg *turnConfig) ([]llm.Message, error) {
	if id := deref(cr.PreviousResponseID); id != "" {
		prior, msgs, err := continued(id, s.Previous, calls, s.Sealer, cfg)
		if err != nil {
			return nil, err
		}
		r.PreviousResponseID, r.prior = id, prior
		return msgs, nil
	}
	if isNull(cr.Conversation) {
		return nil, nil
	}
	id, err := conversationID(cr.Conversation)
	if err != nil {
		return nil, err
	}
	prior, msgs, err := inConversation(id, s.Conversation, calls, s.Sealer, cfg)
	if err != nil {
		return nil, err
	}
	r.Conversation, r.prior = id, prior
	return msgs, nil
}

// refuseStateful refuses the features that need prompts kept on the
// server, or OpenAI's hosted services; previous_response_id and
// conversation when the router keeps no responses or conversations (s's
// Loaders nil), or both at once.
func refuseStateful(cr *createRequest, s Stored) error {
	switch {
	case s.Previous == nil && deref(cr.PreviousResponseID) != "":
		return unsupported("previous_response_id", "previous_response_id is not supported: this router keeps no responses (responses.store is false, or store.driver is none). Send the whole conversation in 'input' instead (the earlier input items, then the previous response's output items, then the new ones).")
	case s.Conversation == nil && !isNull(cr.Conversation):
		return unsupported("conversation", "conversation is not supported: this router keeps no conversations (responses.store is false, or store.driver is none). Send the whole conversation in 'input' instead.")
	case deref(cr.PreviousResponseID) != "" && !isNull(cr.Conversation):
		e := invalid("", "Mutually exclusive parameters. Ensure you are only providing one of: 'previous_response_id' or 'conversation'.")
		e.Code = "mutually_exclusive_parameters"
		return e
	}
	return nil
}

// decodeSampling checks and copies the sampling parameters.
func decodeSampling(cr *createRequest, out *Request) error {
	req := out.Chat
	if t := cr.Temperature; t != nil && (*t < 0 || *t > 2) {
		return invalid("temperature", "Invalid 'temperature': decimal above maximum value. Expected a value between 0 and 2, but got %s instead.", strconv.FormatFloat(*t, 'g', -1, 64))
	}
	if p := cr.TopP; p != nil && (*p < 0 || *p > 1) {
		return invalid("top_p", "Invalid 'top_p': expected a value between 0 and 1, but got %s instead.", strconv.FormatFloat(*p, 'g', -1, 64))
	}
	if m := cr.MaxOutputTokens; m != nil && *m < 16 {
		return invalid("max_output_tokens", "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got %d instead.", *m)
	}
	if n := cr.TopLogprobs; n != nil {
		if *n < 0 || *n > llm.MaxTopLogprobs {
			return invalid("top_logprobs", "Invalid 'top_logprobs': expected an integer between 0 and %d, but got %d instead.", llm.MaxTopLogprobs, *n)
		}
		req.TopLogprobs = *n
		req.Logprobs = *n > 0
	}
	req.Temperature, req.TopP, req.MaxTokens = cr.Temperature, cr.TopP, cr.MaxOutputTokens
	return nil
}
