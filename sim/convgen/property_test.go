package convgen_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"testing"

	"switchyard/llm"
	simanthropic "switchyard/sim/anthropic"
	"switchyard/sim/convgen"
	simgemini "switchyard/sim/gemini"
	simopenai "switchyard/sim/openai"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
	"switchyard/wire/openai"
	"switchyard/wire/responses"
)

// casesPerPair is how many conversations each client API × upstream pair
// is checked with: seeds 0 to n-1 (go test -run Every -args -cases 5000
// for a deeper search).
var casesPerPair = flag.Int("cases", 200, "conversations per client API × upstream pair")

// Every conversation valid for its client API, decoded as the router
// decodes it and encoded for each upstream wire format as the providers
// encode it, is one that upstream's validator (the one its simulator
// refuses requests with) accepts.
func TestEveryValidConversationReachesEveryUpstream(t *testing.T) {
	for _, api := range convgen.APIs {
		for _, up := range upstreams {
			t.Run(string(api)+"→"+up.name, func(t *testing.T) {
				failures := 0
				for seed := range uint64(*casesPerPair) {
					c := convgen.Generate(api, seed)
					req, err := decodeClient(c)
					if err != nil {
						t.Fatalf("the client API refuses its own valid conversation: %v\n%s", err, c)
					}
					if err := up.check(req); err != nil {
						if failures++; failures <= 2 {
							t.Errorf("%v\n%s", err, c)
						}
					}
				}
				if failures > 2 {
					t.Errorf("… %d conversations of %d refused in all", failures, *casesPerPair)
				}
			})
		}
	}
}

// decodeClient decodes c as the router's inbound API for c.API does,
// checking it against that API's own rules.
func decodeClient(c *convgen.Conversation) (*llm.Request, error) {
	body := c.Body("client-model")
	switch c.API {
	case convgen.Chat:
		req, err := openai.DecodeChatRequest(body)
		if err != nil {
			return nil, err
		}
		if msg, _ := simopenai.ToolTurnError(req.Messages); msg != "" {
			return nil, fmt.Errorf("%s", msg)
		}
		return req, nil
	case convgen.Messages:
		mr, err := anthropic.DecodeMessagesRequest(body, false)
		if err != nil {
			return nil, err
		}
		if err := simanthropic.ConversationError(mr); err != nil {
			return nil, err
		}
		return anthropic.RequestToLLM(mr)
	default:
		r, err := responses.DecodeRequest(body)
		if err != nil {
			return nil, err
		}
		if msg, _ := simopenai.ResponsesTurnError(r.Chat.Messages); msg != "" {
			return nil, fmt.Errorf("%s", msg)
		}
		return r.Chat, nil
	}
}

type upstream struct {
	name  string
	check func(*llm.Request) error // encodes as the provider does, then validates
}

var upstreams = []upstream{
	{"openai-chat", checkChat},
	{"openai-responses", checkResponses},
	{"anthropic", checkAnthropic},
	{"gemini", checkGemini("gemini-2.5-flash")},
	{"gemini-3", checkGemini("gemini-3-flash-preview")},
}

func checkChat(req *llm.Request) error {
	r := *req
	r.Model = "gpt-4.1"
	body, err := openai.EncodeChatRequestWith(&r, openai.ChatOptions{})
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	sent, err := openai.DecodeChatRequest(body)
	if err != nil {
		return fmt.Errorf("the upstream cannot read %s: %w", body, err)
	}
	if msg, param := simopenai.ToolTurnError(sent.Messages); msg != "" {
		return fmt.Errorf("refused (%s): %s", param, msg)
	}
	return nil
}

func checkResponses(req *llm.Request) error {
	r := *req
	r.Model = "gpt-4.1"
	body, err := responses.EncodeUpstream(&r, responses.UpstreamOptions{})
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	sent, err := responses.DecodeRequest(body)
	if err != nil {
		return fmt.Errorf("refused: %w", err)
	}
	if msg, param := simopenai.ResponsesTurnError(sent.Chat.Messages); msg != "" {
		return fmt.Errorf("refused (%s): %s", param, msg)
	}
	return nil
}

func checkAnthropic(req *llm.Request) error {
	r := *req
	r.Model = "claude-sonnet-4-5"
	if r.MaxTokens == nil {
		r.MaxTokens = new(int)
		*r.MaxTokens = 1024
	}
	out, err := anthropic.FromLLM(&r)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	body, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("marshal: %w", err)
	}
	sent, err := anthropic.DecodeMessagesRequest(body, false)
	if err != nil {
		return fmt.Errorf("refused: %w", err)
	}
	if err := simanthropic.ConversationError(sent); err != nil {
		return fmt.Errorf("refused: %w", err)
	}
	return nil
}

func checkGemini(model string) func(*llm.Request) error {
	return func(req *llm.Request) error {
		r := *req
		r.Model = model
		out, err := gemini.FromLLM(&r)
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		body, err := json.Marshal(out)
		if err != nil {
			return fmt.Errorf("marshal: %w", err)
		}
		var sent gemini.GenerateContentRequest
		if err := json.Unmarshal(body, &sent); err != nil {
			return fmt.Errorf("the upstream cannot read %s: %w", body, err)
		}
		if msg := simgemini.ContentsError(&sent, model); msg != "" {
			return fmt.Errorf("refused: %s", msg)
		}
		return nil
	}
}
