package responses

import (
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

// The hints to OpenAI's own service are checked as OpenAI does, and none
// reaches the upstream request.
func TestDecodeHintsTaken(t *testing.T) {
	for _, body := range []string{
		`{"model":"m","input":"hi","prompt_cache_options":{"ttl":"12h","mode":"implicit","comparison_response_id":"resp_1","prewarm":false}}`,
		`{"model":"m","input":"hi","prompt_cache_options":{"comparison_response_id":null}}`,
		`{"model":"m","input":"hi","background_options":{"completion_window":"soonest","continuation_id":"job-7"}}`,
		`{"model":"m","input":"hi","background":true,"background_options":{"completion_window":"2h"},"service_tier":"default"}`,
		`{"model":"m","input":"hi","background":true,"stream":false,"background_options":{"completion_window":"8h","continuation_id":null}}`,
		`{"model":"m","input":"hi","background_options":{}}`,
		`{"model":"m","input":"hi","image":{"context_compression":"disabled"}}`,
		`{"model":"m","input":"hi","image":{"context_compression":"auto"},"access_programs":{"cyber":"standard"}}`,
		`{"model":"m","input":"hi","image":null,"access_programs":{},"background_options":null}`,
		// The Codex CLI's identifiers of its installation, thread and turn
		// (on every request to any provider).
		`{"model":"m","input":"hi","client_metadata":{"session_id":"s1","turn_id":"t1","x-codex-turn-metadata":"{\"sandbox\":\"seccomp\"}"}}`,
		`{"model":"m","input":"hi","client_metadata":null}`,
	} {
		r, err := DecodeRequest([]byte(body))
		if err != nil {
			t.Errorf("%s: %v", body, err)
			continue
		}
		if len(r.Chat.Extra) != 0 {
			t.Errorf("%s: sent upstream %v", body, r.Chat.Extra)
		}
	}
}

// A value whose effect the router cannot give is a 400 naming its param.
func TestDecodeHintsRefused(t *testing.T) {
	for _, c := range []struct{ body, param, msg string }{
		{`{"model":"m","input":"hi","prompt_cache_options":{"ttl":"1h"}}`, "prompt_cache_options.ttl", "'30m' and '12h'"},
		{`{"model":"m","input":"hi","prompt_cache_options":{"prewarm":true}}`, "prompt_cache_options.prewarm", "no prompt cache"},
		{`{"model":"m","input":"hi","prompt_cache_options":{"comparison_response_id":1}}`, "prompt_cache_options.comparison_response_id", "string"},
		{`{"model":"m","input":"hi","background_options":{"completion_window":"1h"}}`, "background_options.completion_window", "'soonest', '2h' and '8h'"},
		{`{"model":"m","input":"hi","background_options":{"completion_window":"2h"}}`, "background_options.completion_window", "requires 'background'"},
		{`{"model":"m","input":"hi","background":true,"stream":true,"background_options":{"completion_window":"8h"}}`, "background_options.completion_window", "'stream'"},
		{`{"model":"m","input":"hi","background":true,"service_tier":"flex","background_options":{"completion_window":"8h"}}`, "background_options.completion_window", "Standard processing"},
		{`{"model":"m","input":"hi","background_options":{"window":"2h"}}`, "background_options.window", "Unknown parameter"},
		{`{"model":"m","input":"hi","image":{"context_compression":"max"}}`, "image.context_compression", "'auto', 'enabled' and 'disabled'"},
		{`{"model":"m","input":"hi","image":{"detail":"low"}}`, "image.detail", "Unknown parameter"},
		{`{"model":"m","input":"hi","access_programs":{"cyber":"daybreak_red"}}`, "access_programs.cyber", "Daybreak"},
		{`{"model":"m","input":"hi","access_programs":{"cyber":"gold"}}`, "access_programs.cyber", "'standard', 'daybreak_blue'"},
		{`{"model":"m","input":"hi","client_metadata":{"turn":1}}`, "client_metadata", "expected a string"},
		{`{"model":"m","input":"hi","client_metadata":"s1"}`, "client_metadata", "object"},
	} {
		_, err := DecodeRequest([]byte(c.body))
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param != c.param || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %v, want %s (%q)", c.body, err, c.param, c.msg)
		}
	}
}

// An input_image at detail original reaches the canonical request as it
// came (OpenAI takes it on both APIs).
func TestDecodeImageDetailOriginal(t *testing.T) {
	r, err := DecodeRequest([]byte(`{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"https://x/a.png","detail":"original"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Chat.Messages[0].Content[0].ImageDetail(); d != "original" {
		t.Errorf("detail %q", d)
	}
}

// generate false is WebSocket mode's warm-up; true, or none, is a turn.
func TestDecodeWarmup(t *testing.T) {
	for body, want := range map[string]bool{
		`{"model":"m","input":"hi","generate":false}`: true,
		`{"model":"m","input":"hi","generate":true}`:  false,
		`{"model":"m","input":"hi","generate":null}`:  false,
		`{"model":"m","input":"hi"}`:                  false,
	} {
		if r := decodeOK(t, body); r.Warmup != want || len(r.Chat.Extra) != 0 {
			t.Errorf("%s: warm-up %v, extra %v", body, r.Warmup, r.Chat.Extra)
		}
	}
	if _, err := DecodeRequest([]byte(`{"model":"m","input":"hi","generate":"no"}`)); err == nil || llm.AsError(err).Param != "generate" {
		t.Errorf("generate \"no\": %v", err)
	}
}
