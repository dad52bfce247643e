package llm

import (
	"encoding/json"
	"testing"
)

// codexHosted is a request as the Codex CLI sends one: web_search
// declared beside function tools, and a conversation holding the calls
// it made.
func codexHosted() *Request {
	r := &Request{Model: "gpt-5.3-codex", Tools: []Tool{{Name: "shell"}}, OpenAIHosted: &OpenAIHosted{
		Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search","search_context_size":"medium","user_location":{"type":"approximate","country":"US"}}`)},
	}}
	for range 10 {
		r.Messages = append(r.Messages, Message{Role: RoleAssistant, Extra: &MessageExtra{Hosted: []Block{{
			Raw: json.RawMessage(`{"type":"web_search_call","id":"ws_0123456789abcdef","status":"completed","action":{"type":"search","query":"go 1.26 release notes"}}`),
		}}}})
	}
	return r
}

// BenchmarkHostedKinds is what classifying a request with hosted tools
// reads of them (gateway features: WantsWebSearch, OpenAIHostedKinds,
// OptionalHostedKinds).
func BenchmarkHostedKinds(b *testing.B) {
	r := codexHosted()
	b.ReportAllocs()
	for b.Loop() {
		_ = r.WantsWebSearch()
		_ = r.OpenAIHostedKinds()
		_ = r.OptionalHostedKinds()
	}
}
