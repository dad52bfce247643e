package openai

import (
	"regexp"

	"switchyard/llm"
)

// responsesParams maps the Chat Completions names an error may carry (the
// router decides on the chat form of every request) to the Responses
// API's names for the same field, which a /v1/responses client sent.
var responsesParams = map[string]string{
	"max_tokens":            "max_output_tokens",
	"max_completion_tokens": "max_output_tokens",
	"response_format":       "text.format",
	"messages":              "input",
	"reasoning_effort":      "reasoning.effort",
}

// chatParamWord matches one of responsesParams' keys as a whole word,
// not inside another name (max_output_tokens stays).
var chatParamWord = regexp.MustCompile(`\b(max_tokens|max_completion_tokens|response_format|reasoning_effort)\b`)

// responsesError returns err as a /v1/responses client should read it:
// its param, and the chat field names in its message, in the Responses
// API's names. Other errors are returned as they are.
func responsesError(err error) error {
	e := llm.AsError(err)
	name, ok := responsesParams[e.Param]
	if !ok {
		return err
	}
	c := *e
	c.Param = name
	c.Message = chatParamWord.ReplaceAllStringFunc(e.Message, func(w string) string { return responsesParams[w] })
	return &c
}
