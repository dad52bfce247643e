package anthropic

import "switchyard/llm"

// A conversation that an Anthropic-compatible host answered before —
// DeepSeek's /anthropic endpoint, Kimi's, MiniMax's — carries thinking
// blocks signed by that host: DeepSeek signs with the message's UUID
// (NousResearch/hermes-agent#21048) and wants it back, but Claude refuses
// any signature it did not mint, failing the whole request with
// "messages.N.content.M: Invalid `signature` in `thinking` block"
// (ding113/claude-code-hub#518, thedotmack/claude-mem#3198). Claude's
// signatures are opaque base64 (and valid across Anthropic's API,
// Bedrock and Vertex AI); what is not in that shape was not Claude's, so
// a Claude model is sent none of it, as it is sent no unsigned thought
// summary. Leaving out a block Claude did mint costs nothing past the
// current tool loop (Claude drops earlier turns' thinking itself), and a
// loop left without its thinking is sent without thinking
// (UnthoughtToolLoop).

// ClaudeSignature reports whether sig can be a signature Claude minted:
// characters of the base64 alphabet alone. A UUID (DeepSeek's) cannot.
func ClaudeSignature(sig string) bool {
	for i := 0; i < len(sig); i++ {
		c := sig[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return sig != ""
}

// takes reports whether a model whose traits are t can be sent back the
// signed thinking th: any model but Claude's takes what it is sent (the
// host that signed it checks); Claude only its own signatures.
func takes(t *Traits, th *llm.Thinking) bool {
	return t.Family == "" || th.Signature == "" || ClaudeSignature(th.Signature)
}

// dropForeignThinking removes from the assistant turns the thinking
// blocks whose signatures Claude did not mint, for a Claude model.
func dropForeignThinking(turns []Message) {
	for i := range turns {
		m := &turns[i]
		if m.Role != "assistant" {
			continue
		}
		n := 0
		for _, b := range m.Content {
			if b.Type == BlockThinking && !ClaudeSignature(b.Signature) {
				continue
			}
			m.Content[n] = b
			n++
		}
		m.Content = m.Content[:n]
	}
}
