package anthropic

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// clientToolIDPrefix begins the id ClientToolID writes for a call whose
// own id the Messages API refuses.
const clientToolIDPrefix = "toolu_sy64_"

// ClientToolID is the id a tool call of id is shown with to a Messages API
// client: itself when the API takes it (^[a-zA-Z0-9_-]+$), without
// allocating; else clientToolIDPrefix and id in unpadded base64url, whose
// alphabet is the API's. A call of an OpenAI-compatible upstream may carry
// an id the API refuses — Kimi's "functions.get_weather:0", ids with dots
// or colons — and a client sends it back in its next turn, which the
// router, validating as the API does, would then refuse itself ("tool_use.id:
// String should match pattern"). OriginalToolID turns the id back, so the
// upstream gets its own id again: Kimi checks the ids of its calls when
// they come back and breaks on rewritten ones (vybestack/llxprt-code#713,
// exo-explore/exo#2281), which a lossy rewrite (UpstreamToolID) would be.
func ClientToolID(id string) string {
	if validToolID(id) {
		return id
	}
	return clientToolIDPrefix + base64.RawURLEncoding.EncodeToString([]byte(id))
}

// OriginalToolID returns the id ClientToolID was given to write id, or id
// itself when ClientToolID wrote it unchanged (any id the API takes that is
// not one of its encodings: an id of the prefix's form that a client made
// up itself would be read as one, which no upstream's id format comes near).
func OriginalToolID(id string) string {
	rest, ok := strings.CutPrefix(id, clientToolIDPrefix)
	if !ok {
		return id
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(b) == 0 || !utf8.Valid(b) || validToolID(string(b)) {
		return id
	}
	return string(b)
}
