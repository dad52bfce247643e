package openai

import (
	"fmt"
	"net/http"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// The checks Chat Completions makes of a request beyond its schema.

// validateChat applies the checks the real API makes beyond the schema.
func (s *server) validateChat(c *call, req *llm.Request, p *sim.Profile) bool {
	bad := func(msg, param, code string) bool {
		c.fail(http.StatusBadRequest, apiError{Message: msg, Type: "invalid_request_error", Param: param, Code: code})
		return false
	}
	if !s.chatModel(c, p) {
		return false
	}
	if refuseLongUser(c, req.User) {
		return false
	}
	for k := range req.Extra {
		if !chatParams[k] && (k != "thinking" || !deepSeekModel(req.Model)) && !qwenParam(c, k, req.Model) && !(p.ThinkTags && vllmParams[k]) {
			return bad("Unrecognized request argument supplied: "+k, "", "")
		}
	}
	if msg, param := ToolTurnError(req.Messages); msg != "" {
		return bad(msg, param, "")
	}
	if param := toolOptionWithoutTools(req); param != "" {
		return bad("Invalid value for '"+param+"': '"+param+"' is only allowed when 'tools' are specified.", param, "")
	}
	if p.NoFunctionCalling && len(req.Tools) > 0 {
		// Ollama's OpenAI-compatible API for a model whose template has
		// no tools (ollama/ollama#14795, #11131).
		c.fail(http.StatusBadRequest, apiError{Message: "registry.ollama.ai/library/" + p.Model + " does not support tools", Type: "api_error"})
		return false
	}
	if req.ResponseFormat != nil && req.ResponseFormat.Type == llm.FormatJSONObject && !mentionsJSON(req.Messages) {
		return bad("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "messages", "")
	}
	if param := explicitCacheError(req); param != "" && !takesExplicitCache(p) {
		return bad("Unsupported parameter: '"+param+"' is not supported with this model.", param, "unsupported_parameter")
	}
	if grokRefusal(c, req, p) {
		return false
	}
	if req.Reasoning != nil && !p.Reasoning && !thinksAsDeepSeek(req) {
		return bad("Unsupported parameter: 'reasoning_effort' is not supported with this model.", "reasoning_effort", "unsupported_parameter")
	}
	if e := effortError(req, p, false); e != nil {
		c.fail(http.StatusBadRequest, *e)
		return false
	}
	if !s.azure && wire.ToolsNeedResponses(p.Model, p.Efforts, receivedEffort(req), len(req.Tools) > 0) {
		// OpenAI's refusal of function tools at a reasoning effort other
		// than none (wire/openai/tools_effort.go has the sources; code
		// null). Azure's documentation says nothing of it: its sim serves
		// them.
		return bad(wire.ToolsEffortMessage(p.Model), "reasoning_effort", "")
	}
	if e := samplingError(req, p, s.azure); e != nil {
		c.fail(http.StatusBadRequest, *e)
		return false
	}
	if e := partError(c, req); e != nil {
		c.fail(http.StatusBadRequest, *e)
		return false
	}
	if id := s.unknownFile(req); id != "" {
		c.fail(http.StatusNotFound, apiError{Message: "No such File object: " + id, Type: "invalid_request_error", Param: "messages"})
		return false
	}
	if e := maxTokensError(req, p); e != nil {
		c.fail(http.StatusBadRequest, *e)
		return false
	}
	return true
}

// chatModel reports whether p's model answers on Chat Completions, and
// fails c as OpenAI (or Azure) does when it does not: an embeddings,
// moderation, image, speech, transcription or completions-only model.
func (s *server) chatModel(c *call, p *sim.Profile) bool {
	if p.Embedding || p.Moderation || p.Images || p.Speech || p.Transcription || p.Completion {
		if s.azure {
			c.azureFail(http.StatusBadRequest, "OperationNotSupported", fmt.Sprintf("The chatCompletion operation does not work with the specified model, %s. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.", p.Model))
			return false
		}
		c.fail(http.StatusNotFound, apiError{Message: "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?", Type: "invalid_request_error", Param: "model"})
		return false
	}
	return true
}

// maxTokensError is OpenAI's 400 for a max_tokens (or
// max_completion_tokens, the param the client named) above what p's
// model writes, nil when within it.
func maxTokensError(req *llm.Request, p *sim.Profile) *apiError {
	if req.MaxTokens == nil || *req.MaxTokens <= p.MaxOutput() {
		return nil
	}
	param := "max_tokens"
	if _, ok := req.Extra[wire.ExtraMaxCompletionTokens]; ok {
		param = "max_completion_tokens"
	}
	msg := fmt.Sprintf("%s is too large: %d. This model supports at most %d completion tokens, whereas you provided %d.", param, *req.MaxTokens, p.MaxOutput(), *req.MaxTokens)
	return &apiError{Message: msg, Type: "invalid_request_error", Param: param, Code: "invalid_value"}
}

// unknownFile is the id of the first file req names by id (a file part's
// file_id) that this server's Files API does not hold, "" for none: the
// real API reads files by id from the caller's own uploads only.
func (s *server) unknownFile(req *llm.Request) string {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			if ref, ok := wire.FileRefOf(&req.Messages[i].Content[j]); ok && !ref.Image && s.files.get(ref.ID) == nil {
				return ref.ID
			}
		}
	}
	return ""
}

func mentionsJSON(msgs []llm.Message) bool {
	for i := range msgs {
		if strings.Contains(strings.ToLower(msgs[i].Text()), "json") {
			return true
		}
	}
	return false
}

// receivedEffort is the reasoning effort req carries as the sim received
// it ("" for none): effortError has refused a level the profile does not
// take, so the rules read it as the level sent (its Efforts, else its
// model id's row, map it to itself).
func receivedEffort(req *llm.Request) llm.Effort {
	if req.Reasoning == nil {
		return ""
	}
	return req.Reasoning.Level()
}
