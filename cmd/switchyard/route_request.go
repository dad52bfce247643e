package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"switchyard/llm"
	"switchyard/wire/anthropic"
	wireopenai "switchyard/wire/openai"
	"switchyard/wire/responses"
)

// The APIs `route explain --api` takes: the request is a body of POST
// /v1/chat/completions, /v1/responses or /v1/messages, decoded as the
// server decodes it.
const (
	apiChat      = "chat"
	apiResponses = "responses"
	apiMessages  = "messages"
)

// messagesMaxTokens is the max_tokens a Messages request built from a
// prompt is sent when --max-tokens is not given (the API requires it).
const messagesMaxTokens = 1024

// decodeAs decodes body as a request of api, as the server's handler of
// that API does.
func decodeAs(api string, body []byte) (*llm.Request, error) {
	switch api {
	case apiResponses:
		rr, err := responses.DecodeRequest(body)
		if err != nil {
			return nil, err
		}
		return rr.Chat, nil
	case apiMessages:
		return anthropic.DecodeRequest(body)
	}
	return wireopenai.DecodeChatRequest(body)
}

// readRequest reads the --request file ("-": stdin) and decodes it as a
// request of f.api; --model, when given, replaces the body's model.
func readRequest(f *explainFlags) (*llm.Request, error) {
	var b []byte
	var err error
	if f.requestPath == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(f.requestPath)
	}
	if err != nil {
		return nil, err
	}
	req, err := decodeAs(f.api, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", f.requestPath, llm.AsError(err).Message)
	}
	if f.modelSet {
		req.Model = f.model
	}
	return req, nil
}

// promptBody builds the body of a request of f.api carrying prompt after
// f.turn earlier user turns (placeholders), with the flags' max_tokens,
// reasoning effort and hosted tools in that API's fields.
func promptBody(f *explainFlags, prompt string) ([]byte, error) {
	var msgs []map[string]any
	for i := range f.turn {
		msgs = append(msgs,
			map[string]any{"role": "user", "content": "(earlier turn " + strconv.Itoa(i+1) + ")"},
			map[string]any{"role": "assistant", "content": "(earlier answer)"})
	}
	msgs = append(msgs, map[string]any{"role": "user", "content": prompt})
	body := map[string]any{"model": f.model}
	switch f.api {
	case apiResponses:
		body["input"] = msgs
		if f.maxTokens > 0 {
			body["max_output_tokens"] = f.maxTokens
		}
		if f.effort != "" {
			body["reasoning"] = map[string]any{"effort": f.effort}
		}
		var tools []map[string]any
		for _, t := range f.tools {
			tools = append(tools, map[string]any{"type": t})
		}
		if len(tools) > 0 {
			body["tools"] = tools
		}
	case apiMessages:
		body["messages"] = msgs
		body["max_tokens"] = orDefault(f.maxTokens, messagesMaxTokens)
		if f.effort != "" {
			body["output_config"] = map[string]any{"effort": f.effort}
		}
	default:
		body["messages"] = msgs
		if f.maxTokens > 0 {
			body["max_tokens"] = f.maxTokens
		}
		if f.effort != "" {
			body["reasoning_effort"] = f.effort
		}
	}
	return json.Marshal(body)
}

// orDefault is n when positive, else def.
func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// explainReq is the request `route explain` decides on: the --request
// file's, or one of f.api built from the prompt and the flags.
func explainReq(f *explainFlags) (*llm.Request, error) {
	if f.requestPath != "" {
		return readRequest(f)
	}
	prompt, err := promptArg(f.prompt)
	if err != nil {
		return nil, err
	}
	body, err := promptBody(f, prompt)
	if err != nil {
		return nil, err
	}
	req, err := decodeAs(f.api, body)
	if err != nil {
		return nil, fmt.Errorf("%s", llm.AsError(err).Message)
	}
	if f.serviceTier != "" {
		req.ServiceTier = f.serviceTier
	}
	return req, nil
}

// checkRequestFlags reports the flags that describe the request given
// beside --request, which describes it whole; and --tools outside
// --api responses, the API OpenAI's hosted tools are declared on.
func checkRequestFlags(f *explainFlags, set map[string]bool, args int) string {
	if f.api != apiChat && f.api != apiResponses && f.api != apiMessages {
		return fmt.Sprintf("unknown --api %q (one of chat, responses, messages)", f.api)
	}
	if f.requestPath == "" {
		if args == 0 {
			return "give a prompt, or --request FILE"
		}
		if len(f.tools) > 0 && f.api != apiResponses {
			return "--tools declares OpenAI's hosted tools, on --api responses"
		}
		return ""
	}
	if args > 0 {
		return "give a prompt or --request FILE, not both"
	}
	for _, name := range []string{"max-tokens", "turn", "effort", "tools", "service-tier"} {
		if set[name] {
			return "--" + name + " describes the request: with --request FILE, the file does"
		}
	}
	return ""
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
