package responses

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	wire "switchyard/wire/openai"
)

// This file is the fast path of the upstream decoder for the events an
// answer is mostly made of (output_text, refusal and function call
// argument deltas), as OpenAI writes them: type first, then top-level
// keys before any nested object or array, a delta string without
// escapes. Anything else (another order, an escaped delta, a duplicate
// key, a \u escape anywhere, which may spell a key, a subagent's tag, a
// key encoding/json reads as one of those the fast path reads though
// spelled otherwise: "Delta", "TYPE", "logprobſ", as it matches keys
// without regard to case) takes the general path, encoding/json;
// FuzzUpstreamFastDelta and FuzzUpstreamEventPaths hold the two to the
// same answer.

// The type prefixes and keys the fast path reads. Outside a string a key
// pattern starting `,"` cannot occur inside one (a quote there is
// escaped), so each match is a key of some object.
var (
	fastText    = []byte(`{"type":"response.output_text.delta",`)
	fastRefusal = []byte(`{"type":"response.refusal.delta",`)
	fastArgs    = []byte(`{"type":"response.function_call_arguments.delta",`)
	typeKey     = []byte(`"type":`)
	deltaKey    = []byte(`,"delta":"`)
	indexKey    = []byte(`,"output_index":`)
	logprobsKey = []byte(`"logprobs"`)
	unicodeEsc  = []byte(`\u`)
)

// noLogprobs reports whether data carries no logprobs: no such key, or
// one whose value is [] (the general path reads any other). Outside a
// string "logprobs" can only be a key or a whole value: a quote inside one
// is escaped.
func noLogprobs(data []byte) bool {
	switch bytes.Count(data, logprobsKey) {
	case 0:
		return true
	case 1:
		return bytes.HasPrefix(data[bytes.Index(data, logprobsKey)+len(logprobsKey):], []byte(":[]"))
	}
	return false
}

// fastDelta reads a delta event: its type (one of the three), its
// output_index and its delta; ok is false for an event it does not read
// with certainty, which the general path then decodes: one holding a \u
// escape, or naming "agent" (a subagent's delta, which the general path
// drops; the key may have white space before its colon).
func fastDelta(data []byte) (typ string, index int, delta []byte, ok bool) {
	if bytes.Contains(data, unicodeEsc) || bytes.Contains(data, agentKey) || foldedKey(data) {
		return "", 0, nil, false
	}
	switch {
	case bytes.HasPrefix(data, fastText):
		typ = "response.output_text.delta"
	case bytes.HasPrefix(data, fastRefusal):
		typ = "response.refusal.delta"
	case bytes.HasPrefix(data, fastArgs):
		typ = "response.function_call_arguments.delta"
	default:
		return "", 0, nil, false
	}
	i, j := bytes.Index(data, deltaKey), bytes.Index(data, indexKey)
	if i < 0 || j < 0 || bytes.ContainsAny(data[1:max(i, j)], "{[") || // keys of the top-level object
		bytes.Count(data, deltaKey) != 1 || bytes.Count(data, indexKey) != 1 || bytes.Count(data, typeKey) != 1 {
		return "", 0, nil, false
	}
	rest := data[i+len(deltaKey):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 || !utf8.Valid(rest[:end]) {
		return "", 0, nil, false
	}
	num := data[j+len(indexKey):]
	k := 0
	for k < len(num) && num[k] >= '0' && num[k] <= '9' {
		k++
	}
	if k == 0 || k > 9 || !noLogprobs(data) || !json.Valid(data) {
		return "", 0, nil, false
	}
	index, _ = strconv.Atoi(string(num[:k]))
	return typ, index, rest[:end], true
}

// readKeys are the keys of a delta event the general path reads, as
// foldedKey looks for them.
var readKeys = [...]string{"type", "output_index", "delta", "logprobs", "agent"}

// foldedKey reports whether data holds a key encoding/json would read as
// one of readKeys though spelled otherwise ("Delta", "TYPE",
// "logprob\u017f" written out), which the fast path, reading the exact
// keys, would not see.
func foldedKey(data []byte) bool {
	return wire.FoldsKey(data, readKeys[:]...)
}
