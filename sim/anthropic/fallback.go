package anthropic

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"sync"
	"time"

	wire "switchyard/wire/anthropic"
)

// This file is the fallback credit of Anthropic's refusals: a refusal's
// stop_details carries a fallback_credit_token (valid 5 minutes) that a
// retry of the same request body — or of the body plus one appended
// assistant turn holding the refusal's partial output — on another model
// redeems (usage.fallback_credit). The simulator checks what it can: a
// token it minted, within its lifetime, on another model, with the same
// body. A failing token is a 400 in strict mode (the default, and the
// bare-string form); in best_effort mode the request is served and
// usage.fallback_credit says not_applied with the reason. A token it did
// not mint is malformed: a 400 in both modes, as the API answers one. It
// does not run server-side fallback (fallbacks): a request naming them is
// a 400 (the router never forwards them: it falls back itself).

// creditTTL is how long a fallback credit token may be redeemed.
const creditTTL = 5 * time.Minute

// creditNow is the credit tokens' clock (tests move it).
var creditNow = time.Now

// credits are the fallback credit tokens minted, by token.
type credits struct {
	mu     sync.Mutex
	tokens map[string]creditToken
}

// creditToken is what a token was minted for: the refused model, the
// request body's render-shaping fields (bodyHash) and when.
type creditToken struct {
	model string
	body  [32]byte
	at    time.Time
}

// maxCredits bounds the tokens kept; older ones are dropped past it.
const maxCredits = 4096

// bodyHash hashes the fields of req that shape what the model reads:
// system, messages and tools.
func bodyHash(req *wire.MessagesRequest, messages []wire.Message) [32]byte {
	b, _ := json.Marshal(struct {
		System   wire.Blocks    `json:"system"`
		Messages []wire.Message `json:"messages"`
		Tools    []wire.Tool    `json:"tools"`
	}{req.System, messages, req.Tools})
	return sha256.Sum256(b)
}

// mint returns a new token for req's refusal on model.
func (c *credits) mint(req *wire.MessagesRequest, model string) string {
	tok := newID("fct_")
	now := creditNow()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokens == nil {
		c.tokens = make(map[string]creditToken)
	}
	if len(c.tokens) >= maxCredits {
		for k, t := range c.tokens {
			if now.Sub(t.at) > creditTTL || len(c.tokens) >= maxCredits {
				delete(c.tokens, k)
			}
		}
	}
	c.tokens[tok] = creditToken{model: model, body: bodyHash(req, req.Messages), at: now}
	return tok
}

// redeem checks req's fallback_credit_token, if any, on model: it
// returns the usage.fallback_credit to answer with (nil for no token), or
// the 400 to answer instead (fallbacks, which it does not serve, too).
func (c *credits) redeem(req *wire.MessagesRequest, model string) (json.RawMessage, *apiError) {
	raw := bytes.TrimSpace(req.FallbackCreditToken)
	if f := bytes.TrimSpace(req.Fallbacks); len(f) > 0 && string(f) != "null" {
		return nil, invalid("fallbacks: this simulator does not run server-side fallback")
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	tok, mode := creditTokenOf(raw)
	c.mu.Lock()
	t, ok := c.tokens[tok]
	c.mu.Unlock()
	if !ok {
		return nil, invalid("fallback_credit_token: the token is malformed or was not issued for this organization")
	}
	reason := ""
	switch {
	case creditNow().Sub(t.at) > creditTTL:
		reason = "expired"
	case t.model == model:
		reason = "invalid_target_model"
	case !sameBody(req, t.body):
		reason = "body_mismatch"
	}
	if reason == "" {
		return json.RawMessage(`{"status":{"type":"redeemed"}}`), nil
	}
	if mode != "best_effort" {
		return nil, invalid("fallback_credit_token: the token cannot be redeemed on this request (%s)", reason)
	}
	return json.RawMessage(`{"status":{"type":"not_applied","reason":"` + reason + `"}}`), nil
}

// sameBody reports whether req is the refused request's body, or that
// body with one appended assistant turn (the refusal's partial output).
func sameBody(req *wire.MessagesRequest, h [32]byte) bool {
	if bodyHash(req, req.Messages) == h {
		return true
	}
	n := len(req.Messages)
	return n > 1 && req.Messages[n-1].Role == "assistant" && bodyHash(req, req.Messages[:n-1]) == h
}

// creditRefusal puts a new token for g's refusal in its stop_details:
// the simulator's refusals come before any output, so the token is
// redeemed with the same body (fallback_has_prefill_claim false).
func (c *credits) creditRefusal(g *generation) {
	tok, claim := c.mint(g.req, g.p.Model), false
	g.details.FallbackCreditToken, g.details.FallbackHasPrefillClaim = &tok, &claim
}

// creditTokenOf reads a fallback_credit_token: a string, or an object
// with the token and its mode.
func creditTokenOf(raw json.RawMessage) (token, mode string) {
	if raw[0] == '"' {
		json.Unmarshal(raw, &token)
		return token, "strict"
	}
	var o struct {
		Token string `json:"token"`
		Mode  string `json:"mode"`
	}
	json.Unmarshal(raw, &o)
	return o.Token, o.Mode
}
