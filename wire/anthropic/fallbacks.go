package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"switchyard/llm"
)

// This file reads the refusal-and-fallback API (the beta
// server-side-fallback-2026-06-01 / -07-01): a request's fallbacks (the
// models to try when the model asked for declines on its content
// policy, or "default"), its fallback_credit_token (from an earlier
// refusal's stop_details, for Claude alone) and the fallback blocks of an
// assistant turn sent back (where one model's output gave way to the
// next).

// BlockFallback is a fallback block: where one model's output ends and a
// fallback model's begins ({"type":"fallback","from":{"model"},"to":
// {"model"},"trigger":…}).
const BlockFallback = "fallback"

// The betas of refusal fallback and fallback credit: a Claude deployment
// is sent the fallback beta with a turn holding fallback blocks, and the
// credit beta with the object form of fallback_credit_token.
const (
	FallbackBeta       = "server-side-fallback-2026-07-01"
	FallbackCreditBeta = "fallback-credit-2026-07-01"
)

// MaxFallbacks is the most fallback models a request may name, as the
// API allows.
const MaxFallbacks = 3

// fallbackEntry is one entry of fallbacks as the API takes it: a model and
// the fields it overrides for its attempt; any other key is refused.
type fallbackEntry struct {
	Model        *string         `json:"model"`
	MaxTokens    json.RawMessage `json:"max_tokens"`
	Thinking     json.RawMessage `json:"thinking"`
	OutputConfig json.RawMessage `json:"output_config"`
	Speed        json.RawMessage `json:"speed"`
}

// fallbackErr is a 400 naming param, worded as the API words its
// validation errors ("param: what is wrong").
func fallbackErr(param, format string, args ...any) *llm.Error {
	e := rejectf("%s: %s", param, fmt.Sprintf(format, args...))
	e.Param = param
	return e
}

// present reports whether raw holds a value other than null.
func present(raw json.RawMessage) bool {
	v := bytes.TrimSpace(raw)
	return len(v) > 0 && string(v) != "null"
}

// FallbacksToLLM reads req's fallbacks: nil when absent (or null),
// Default for "default", else the listed models with their overrides,
// validated as the API does (at least one and at most MaxFallbacks
// entries, each an object with a model and no unknown key, its thinking
// checked as the request's is). Combined with fallback_credit_token it is
// refused, as the API refuses it. Errors are *llm.Error of kind
// invalid_request with Param naming the field.
func FallbacksToLLM(req *MessagesRequest) (*llm.Fallbacks, error) {
	raw := bytes.TrimSpace(req.Fallbacks)
	if !present(raw) {
		return nil, nil
	}
	if present(req.FallbackCreditToken) {
		return nil, fallbackErr("fallback_credit_token", "fallback_credit_token cannot be combined with fallbacks: a credit token is redeemed on a retry you send yourself, fallbacks retry on the server")
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil || s != "default" {
			return nil, fallbackErr("fallbacks", "Input should be 'default' or a list of fallback models")
		}
		return &llm.Fallbacks{Default: true}, nil
	case '[':
	default:
		return nil, fallbackErr("fallbacks", "Input should be 'default' or a list of fallback models")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fallbackErr("fallbacks", "Input should be 'default' or a list of fallback models")
	}
	switch n := len(list); {
	case n == 0:
		return nil, fallbackErr("fallbacks", "List should have at least 1 item after validation, not 0")
	case n > MaxFallbacks:
		return nil, fallbackErr("fallbacks", "List should have at most %d items after validation, not %d", MaxFallbacks, n)
	}
	out := &llm.Fallbacks{Models: make([]llm.FallbackModel, len(list))}
	for i, item := range list {
		m, err := fallbackModel(req, item, fmt.Sprintf("fallbacks.%d", i))
		if err != nil {
			return nil, err
		}
		out.Models[i] = m
	}
	return out, nil
}

// fallbackModel reads and checks one entry of fallbacks (at names it).
func fallbackModel(req *MessagesRequest, item json.RawMessage, at string) (llm.FallbackModel, error) {
	var e fallbackEntry
	d := json.NewDecoder(bytes.NewReader(item))
	d.DisallowUnknownFields()
	if err := d.Decode(&e); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return llm.FallbackModel{}, fallbackErr(at+"."+strings.Trim(name, `"`), "Extra inputs are not permitted")
		}
		if bytes.TrimSpace(item)[0] != '{' {
			return llm.FallbackModel{}, fallbackErr(at, "Input should be a valid dictionary or object to extract fields from")
		}
		return llm.FallbackModel{}, fallbackErr(at, "%s", decodeErrorText(err))
	}
	if e.Model == nil {
		return llm.FallbackModel{}, fallbackErr(at+".model", "Field required")
	}
	if strings.TrimSpace(*e.Model) == "" {
		return llm.FallbackModel{}, fallbackErr(at+".model", "String should have at least 1 character")
	}
	m := llm.FallbackModel{Model: *e.Model}
	if err := fallbackOverrides(req, &e, &m, at); err != nil {
		return llm.FallbackModel{}, err
	}
	return m, nil
}

// fallbackOverrides reads an entry's max_tokens, speed, thinking and
// output_config (its effort) into m.
func fallbackOverrides(req *MessagesRequest, e *fallbackEntry, m *llm.FallbackModel, at string) error {
	if present(e.MaxTokens) {
		var n int
		if json.Unmarshal(e.MaxTokens, &n) != nil {
			return fallbackErr(at+".max_tokens", "Input should be a valid integer")
		}
		if n < 1 {
			return fallbackErr(at+".max_tokens", "Input should be greater than or equal to 1")
		}
		m.MaxTokens = &n
	}
	if len(bytes.TrimSpace(e.Speed)) > 0 && !present(e.Speed) {
		m.Speed = llm.SpeedStandard // null: standard, whatever the request's
	} else if present(e.Speed) {
		var s string
		json.Unmarshal(e.Speed, &s)
		sp, err := SpeedToLLM(s)
		if err != nil || s == "" {
			return fallbackErr(at+".speed", "Input should be 'standard' or 'fast'")
		}
		m.Speed = sp
	}
	if len(bytes.TrimSpace(e.Thinking)) > 0 {
		m.ReasoningSet = true
		if present(e.Thinking) {
			th, err := fallbackThinking(req, e.Thinking, m.MaxTokens, at)
			if err != nil {
				return err
			}
			m.Reasoning, m.ThinkingOff = th, th == nil // disabled: the only valid thinking with no reasoning
		}
	}
	if present(e.OutputConfig) {
		var oc OutputConfig
		if err := json.Unmarshal(e.OutputConfig, &oc); err != nil {
			return fallbackErr(at+".output_config", "Input should be a valid dictionary")
		}
		m.Effort = llm.Effort(oc.Effort)
	}
	return nil
}

// fallbackThinking reads an entry's thinking, checked as the request's
// thinking is (with the entry's max_tokens, if it sets one).
func fallbackThinking(req *MessagesRequest, raw json.RawMessage, maxTokens *int, at string) (*llm.Reasoning, error) {
	var th Thinking
	if err := json.Unmarshal(raw, &th); err != nil {
		return nil, fallbackErr(at+".thinking", "Input should be a valid dictionary")
	}
	c := *req
	c.Thinking = &th
	if maxTokens != nil {
		c.MaxTokens = maxTokens
	}
	if err := checkThinking(&c); err != nil {
		if strings.HasPrefix(err.Message, "thinking") {
			err.Message = at + "." + err.Message
		}
		err.Param = at + ".thinking"
		return nil, err
	}
	return ThinkingToLLM(&th), nil
}

// FallbackCreditToLLM reads req's fallback_credit_token: a non-empty
// string, or an object with a non-empty token and a mode of strict or
// best_effort, kept as sent for a Claude deployment; nil when absent.
func FallbackCreditToLLM(req *MessagesRequest) (llm.FallbackCredit, error) {
	raw := bytes.TrimSpace(req.FallbackCreditToken)
	if !present(raw) {
		return nil, nil
	}
	const p = "fallback_credit_token"
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil || s == "" {
			return nil, fallbackErr(p, "String should have at least 1 character")
		}
	case '{':
		var o struct {
			Token *string `json:"token"`
			Mode  *string `json:"mode"`
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&o); err != nil {
			if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
				return nil, fallbackErr(p+"."+strings.Trim(name, `"`), "Extra inputs are not permitted")
			}
			return nil, fallbackErr(p, "%s", decodeErrorText(err))
		}
		switch {
		case o.Token == nil:
			return nil, fallbackErr(p+".token", "Field required")
		case *o.Token == "":
			return nil, fallbackErr(p+".token", "String should have at least 1 character")
		case o.Mode != nil && *o.Mode != "strict" && *o.Mode != "best_effort":
			return nil, fallbackErr(p+".mode", "Input should be 'strict' or 'best_effort'")
		}
	default:
		return nil, fallbackErr(p, "Input should be a valid string or an object with a token")
	}
	return slices.Clone(raw), nil
}

// checkFallbackBlock checks a fallback block of message i (block j): in
// an assistant turn, with from.model and to.model. Its trigger is taken
// as sent (the API ignores it).
func checkFallbackBlock(b *ContentBlock, role string, i, j int) *llm.Error {
	if role != "assistant" {
		return rejectf("messages.%d.content.%d: fallback blocks can only be in assistant messages", i, j)
	}
	var f struct {
		From *struct {
			Model *string `json:"model"`
		} `json:"from"`
		To *struct {
			Model *string `json:"model"`
		} `json:"to"`
	}
	if err := json.Unmarshal(b.Raw, &f); err != nil {
		return rejectf("messages.%d.content.%d.fallback: %s", i, j, decodeErrorText(err))
	}
	for _, hop := range []struct {
		name string
		m    **string
	}{{"from", fieldModel(f.From)}, {"to", fieldModel(f.To)}} {
		if hop.m == nil {
			return rejectf("messages.%d.content.%d.fallback.%s: Field required", i, j, hop.name)
		}
		if *hop.m == nil || **hop.m == "" {
			return rejectf("messages.%d.content.%d.fallback.%s.model: Field required", i, j, hop.name)
		}
	}
	return nil
}

// fieldModel returns the address of hop's model, nil when hop is absent.
func fieldModel(hop *struct {
	Model *string `json:"model"`
},
) **string {
	if hop == nil {
		return nil
	}
	return &hop.Model
}

// checkFallbacks validates fallbacks and fallback_credit_token (Validate).
func checkFallbacks(req *MessagesRequest) *llm.Error {
	if _, err := FallbacksToLLM(req); err != nil {
		return llm.AsError(err)
	}
	if _, err := FallbackCreditToLLM(req); err != nil {
		return llm.AsError(err)
	}
	return nil
}

// fallbacksToLLM sets out's Fallbacks and FallbackCredit from req
// (RequestToLLM).
func fallbacksToLLM(out *llm.Request, req *MessagesRequest) error {
	var err error
	if out.Fallbacks, err = FallbacksToLLM(req); err != nil {
		return err
	}
	out.FallbackCredit, err = FallbackCreditToLLM(req)
	return err
}

// applyFallbackCredit gives out (for a Claude deployment) req's
// fallback_credit_token, with the credit beta for its object form, and
// the fallback beta when a turn holds a fallback block (FromLLM).
func applyFallbackCredit(out *MessagesRequest, req *llm.Request) {
	if len(req.FallbackCredit) > 0 {
		out.FallbackCreditToken = req.FallbackCredit
		if req.FallbackCredit[0] == '{' {
			out.Betas = withBeta(out.Betas, FallbackCreditBeta)
		}
	}
	if hasFallbackBlocks(req.Messages) {
		out.Betas = withBeta(out.Betas, FallbackBeta)
	}
}

// hasFallbackBlocks reports whether a message holds a fallback block
// (llm.Block.Marker).
func hasFallbackBlocks(msgs []llm.Message) bool {
	for i := range msgs {
		for _, b := range msgs[i].Blocks() {
			if b.Marker {
				return true
			}
		}
	}
	return false
}

// withBeta returns betas with beta added if missing; betas itself is
// never written to in place.
func withBeta(betas []string, beta string) []string {
	if slices.Contains(betas, beta) || slices.Contains(betas, "server-side-fallback-2026-06-01") && beta == FallbackBeta {
		return betas
	}
	return append(slices.Clip(betas), beta)
}

// creditOf is a usage.fallback_credit as written, nil when absent or
// null.
func creditOf(raw json.RawMessage) json.RawMessage {
	if !present(raw) {
		return nil
	}
	return raw
}
