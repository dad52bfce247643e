package openai

import (
	"strings"
	"testing"

	"switchyard/sim"
)

// OpenAI's implicit prompt cache (models before GPT-5.6): a prompt reads
// the longest prefix of it, ending at a message before its last, that an
// earlier prompt held, so a tool loop's second step reads the whole
// prompt of its first (not only a repeat of the same prefix), counted in
// blocks of 128 tokens; a repeated request reads every message but its
// last, as before.
func TestImplicitCacheReadsTheStepBefore(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "gpt-4o"}), nil))
	chat := url + "/v1/chat/completions"
	long := strings.Repeat("Every deploy needs a reviewed change and a rollback plan. ", 200)
	tools := `,"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]`
	first := `{"model":"gpt-4o","messages":[{"role":"system","content":"` + long + `"},{"role":"user","content":"Use get_weather for Paris."}]` + tools + `}`
	status, _, b := do(t, hc, "POST", chat, first, bearer)
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	firstPrompt, cached, _ := usageOf(t, b)
	if cached != 0 {
		t.Fatalf("first step read %d cached tokens", cached)
	}
	second := `{"model":"gpt-4o","messages":[{"role":"system","content":"` + long + `"},{"role":"user","content":"Use get_weather for Paris."},` +
		`{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},` +
		`{"role":"tool","tool_call_id":"call_1","content":"{\"temperature_c\":21}"}]` + tools + `}`
	_, _, b = do(t, hc, "POST", chat, second, bearer)
	prompt, cached, _ := usageOf(t, b)
	// The first step's prompt without its tools' declarations (counted in
	// prompt_tokens, not in the message prefix), in whole blocks.
	if cached < sim.MinCachedTokens || cached%128 != 0 || cached > firstPrompt || cached >= prompt {
		t.Errorf("second step: prompt %d, cached %d; want the first step's prompt (%d) in blocks of 128", prompt, cached, firstPrompt)
	}
	_, _, b = do(t, hc, "POST", chat, first, bearer)
	if _, again, _ := usageOf(t, b); again == 0 || again > cached {
		t.Errorf("the first step repeated read %d cached tokens, want its system message's", again)
	}
}
