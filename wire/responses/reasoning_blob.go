package responses

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"switchyard/llm"
	"switchyard/store/seal"
)

// This file makes and opens the encrypted_content of the reasoning items:
// the thinking blocks behind an answer (their text, signature and
// redacted data: what Claude needs sent back), sealed so that a client
// that keeps no state (store false) can send them back with the item and
// the router that gets them, any replica holding the key, can put them
// back on the assistant turn that follows. A blob is BlobPrefix then the
// sealed value (switchyard/store/seal: format byte, key id, nonce,
// ciphertext, tag) in unpadded base64url; the sealed content is the
// blocks as JSON, with the tenant's name as additional data, so that a
// blob opens only for the tenant it was made for. A block that carries an
// OpenAI reasoning item (llm.OpenAIReasoning) is sealed with the others:
// the client sends OpenAI's encrypted_content back inside the router's.

// BlobPrefix starts every encrypted_content the router makes: its version.
// A value without it (OpenAI's own encrypted content, a newer router's) is
// not opened.
const BlobPrefix = "swy1."

// maxBlob bounds the encrypted_content opened, in characters (16 MiB).
const maxBlob = 16 << 20

// Sealer makes and opens the encrypted_content of one tenant's reasoning
// items. A nil *Sealer makes none and opens none. Safe for concurrent use.
type Sealer struct {
	keys *seal.Keys
	ad   []byte
	// summaryAD is the additional data of compaction summaries
	// (compaction.go): a reasoning blob never opens as one, nor the
	// reverse.
	summaryAD []byte
	// seal and open replace the sealing under keys (NewCodecSealer).
	seal func([]llm.Thinking) string
	open func(string) ([]llm.Thinking, bool)
}

// NewCodecSealer returns a Sealer whose encrypted_content seal makes and
// open opens, in place of the router's sealing: what a simulated
// upstream uses to issue its own opaque reasoning and check what it gets
// back. It seals no compaction summary.
func NewCodecSealer(seal func([]llm.Thinking) string, open func(string) ([]llm.Thinking, bool)) *Sealer {
	return &Sealer{seal: seal, open: open}
}

// NewSealer returns the Sealer of tenant's reasoning items under keys,
// which must seal (keys.Sealing); nil when they do not.
func NewSealer(keys *seal.Keys, tenant string) *Sealer {
	if !keys.Sealing() {
		return nil
	}
	return &Sealer{keys: keys, ad: seal.Place("responses", "reasoning.encrypted_content", tenant),
		summaryAD: seal.Place("responses", "compaction.encrypted_content", tenant)}
}

// blobBlock is a thinking block as a blob holds it.
type blobBlock struct {
	Text      string `json:"t,omitempty"`
	Signature string `json:"s,omitempty"`
	Redacted  string `json:"r,omitempty"`
}

// Seal returns the encrypted_content of blocks; "" when s is nil or there
// is no block.
func (s *Sealer) Seal(blocks []llm.Thinking) string {
	if s == nil || len(blocks) == 0 {
		return ""
	}
	if s.seal != nil {
		return s.seal(blocks)
	}
	bb := make([]blobBlock, len(blocks))
	for i, b := range blocks {
		bb[i] = blobBlock{Text: b.Text, Signature: b.Signature, Redacted: b.Redacted}
	}
	plain, _ := json.Marshal(bb) // strings always encode
	return BlobPrefix + base64.RawURLEncoding.EncodeToString(s.keys.Seal(plain, s.ad))
}

// Open returns the thinking blocks of the encrypted_content blob, and
// false when it does not open: s is nil, the blob is not one of this
// format, was sealed under a key s does not hold or for another tenant,
// or was altered. It never fails otherwise.
func (s *Sealer) Open(blob string) ([]llm.Thinking, bool) {
	if s != nil && s.open != nil {
		return s.open(blob)
	}
	rest, ok := strings.CutPrefix(blob, BlobPrefix)
	if s == nil || !ok || len(rest) > maxBlob {
		return nil, false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return nil, false
	}
	if _, ok := seal.Header(sealed); !ok { // Open takes a clear value as it is
		return nil, false
	}
	plain, err := s.keys.Open(sealed, s.ad)
	if err != nil {
		return nil, false
	}
	var bb []blobBlock
	if json.Unmarshal(plain, &bb) != nil || len(bb) == 0 {
		return nil, false
	}
	out := make([]llm.Thinking, len(bb))
	for i, b := range bb {
		if b == (blobBlock{}) {
			return nil, false
		}
		out[i] = llm.Thinking{Text: b.Text, Signature: b.Signature, Redacted: b.Redacted}
	}
	return out, true
}
