package openai

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
)

// This file is the simulated model's encrypted reasoning: the
// encrypted_content of its reasoning items, an opaque blob in the shape
// of OpenAI's (a Fernet token starts "gAAAAA"), which holds the reasoning
// text and a MAC under a key fixed for every simulator instance, so that
// one accepts what another issued and nothing altered opens.

// reasoningKey authenticates the simulator's reasoning blobs.
var reasoningKey = []byte("switchyard-sim-openai-encrypted-reasoning")

// blobHead starts every blob, as OpenAI's Fernet tokens start.
const blobHead = "gAAAAAB"

// sealReasoning returns the encrypted_content of blocks: their text,
// joined, and its MAC.
func sealReasoning(blocks []llm.Thinking) string {
	var b strings.Builder
	for i, th := range blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(th.Text)
	}
	text := b.String()
	return blobHead + base64.RawURLEncoding.EncodeToString([]byte(text)) + "." + reasoningMAC(text)
}

// openReasoning returns the reasoning a blob sealReasoning made holds, as
// one block, and false for any other blob.
func openReasoning(blob string) ([]llm.Thinking, bool) {
	body, ok := strings.CutPrefix(blob, blobHead)
	if !ok {
		return nil, false
	}
	enc, mac, ok := strings.Cut(body, ".")
	if !ok {
		return nil, false
	}
	text, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || !hmac.Equal([]byte(mac), []byte(reasoningMAC(string(text)))) {
		return nil, false
	}
	return []llm.Thinking{{Text: string(text)}}, true
}

func reasoningMAC(text string) string {
	m := hmac.New(sha256.New, reasoningKey)
	m.Write([]byte(text))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// reasoningText is what the model reasons about prompt, longer for more
// reasoning tokens.
func reasoningText(prompt string, tokens int) string {
	var b strings.Builder
	b.WriteString("Reasoning about: ")
	first, _, _ := strings.Cut(prompt, "\n")
	if len(first) > 80 {
		first = first[:80]
	}
	b.WriteString(first)
	for i := 0; i < min(tokens/256, 8); i++ {
		b.WriteString(" Checking step ")
		b.WriteString(sim.ID("", prompt)[:4])
		b.WriteByte('.')
	}
	return b.String()
}
