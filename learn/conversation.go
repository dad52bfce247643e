package learn

import (
	"encoding/binary"
	"hash/maphash"
	"unicode"
	"unicode/utf8"

	"switchyard/llm"
)

// This file fingerprints conversations for the implicit signals: 64-bit
// hashes of normalized messages, of each prefix of a conversation, and of
// the last user message. Texts are compared normalized: lower case, runs
// of white space as one space, no space at either end. Only the hashes
// are kept, never the text.

// hasher computes the fingerprints with one seed (hashes are compared
// within one process only). It is not safe for concurrent use.
type hasher struct {
	seed maphash.Seed
	h    maphash.Hash
	buf  []byte
}

func newHasher() *hasher {
	s := maphash.MakeSeed()
	hs := &hasher{seed: s}
	hs.h.SetSeed(s)
	return hs
}

// fingerprint is what the detector knows of one conversation.
type fingerprint struct {
	// prefix[k] is the hash of the first k messages (prefix[0] of none).
	prefix []uint64
	// lastUser is the hash of the last message's normalized text when it
	// is a user message with text; 0 otherwise.
	lastUser uint64
	// users[i] is the normalized text hash of message i when it is a user
	// message with text, else 0.
	users []uint64
}

// conversation returns the fingerprint of msgs.
func (hs *hasher) conversation(msgs []llm.Message) fingerprint {
	fp := fingerprint{prefix: make([]uint64, len(msgs)+1), users: make([]uint64, len(msgs))}
	for i := range msgs {
		msg, text := hs.message(&msgs[i], msgs[i].Role)
		fp.prefix[i+1] = hs.chain(fp.prefix[i], msg)
		if msgs[i].Role == llm.RoleUser {
			fp.users[i] = text
		}
	}
	if n := len(msgs); n > 0 {
		fp.lastUser = fp.users[n-1]
	}
	return fp
}

// withAnswer returns the hash of the conversation of prefix followed by
// the answer's first choice as an assistant message, as a client sends it
// back on its next turn; 0 when the answer has no choice.
func (hs *hasher) withAnswer(prefix uint64, answer *llm.Response) uint64 {
	if answer == nil || len(answer.Choices) == 0 {
		return 0
	}
	msg, _ := hs.message(&answer.Choices[0].Message, llm.RoleAssistant)
	return hs.chain(prefix, msg)
}

// chain returns the hash of a prefix extended by one message's hash.
func (hs *hasher) chain(prefix, msg uint64) uint64 {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], prefix)
	binary.LittleEndian.PutUint64(b[8:], msg)
	return maphash.Bytes(hs.seed, b[:]) | 1 // never 0: 0 means none
}

// message hashes a message as role: its role, its normalized text, the
// URL of each image, and the name and normalized arguments of each tool
// call (not call ids, which clients may rewrite). text is the hash of the
// normalized text alone; 0 when it has none.
func (hs *hasher) message(m *llm.Message, role llm.Role) (msg, text uint64) {
	hs.buf = appendNormalized(hs.buf[:0], m.Content)
	if len(hs.buf) > 0 {
		text = maphash.Bytes(hs.seed, hs.buf) | 1
	}
	hs.h.Reset()
	hs.h.WriteString(string(role))
	hs.h.WriteByte(0)
	hs.h.Write(hs.buf)
	for i := range m.Content {
		if u := m.Content[i].ImageURL(); u != "" {
			hs.h.WriteByte(1)
			hs.h.WriteString(u)
		}
	}
	for _, tc := range m.ToolCalls() {
		hs.h.WriteByte(2)
		hs.h.WriteString(tc.Name)
		hs.h.WriteByte(0)
		hs.buf = appendNormalizedText(hs.buf[:0], tc.Arguments, false)
		hs.h.Write(hs.buf)
	}
	return hs.h.Sum64() | 1, text
}

// appendNormalized appends the normalized text of parts' text parts,
// separated by one space.
func appendNormalized(dst []byte, parts []llm.Part) []byte {
	space := false
	for i := range parts {
		if parts[i].Type != llm.PartText {
			continue
		}
		dst = appendNormalizedText(dst, parts[i].Text, space)
		space = len(dst) > 0
	}
	return dst
}

// appendNormalizedText appends s lower-cased with each run of white space
// as one space and none at either end; lead asks for a space before s's
// first word.
func appendNormalizedText(dst []byte, s string, lead bool) []byte {
	pending := lead
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // ASCII: as unicode.IsSpace and ToLower say, a byte at a time
			i++
			if asciiSpace[c] {
				pending = len(dst) > 0
				continue
			}
			if pending {
				dst = append(dst, ' ')
				pending = false
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsSpace(r) {
			pending = len(dst) > 0
			continue
		}
		if pending {
			dst = append(dst, ' ')
			pending = false
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// asciiSpace marks the ASCII bytes unicode.IsSpace reports as space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
