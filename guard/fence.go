package guard

import (
	"encoding/json"
	"strings"
)

// StripJSONFence returns s without the Markdown code fence a model may wrap
// a JSON answer in ("```json\n{…}\n```"), when the text inside the fence,
// less an optional info string such as "json", is one valid JSON value.
// Otherwise, including text around the fence, several fences or invalid
// JSON inside, it returns s unchanged, so it never makes an answer worse.
// The gateway applies it once, to complete answers of requests whose
// response_format is json_object or json_schema, whatever the upstream.
func StripJSONFence(s string) string {
	t := strings.TrimSpace(s)
	if len(t) < 6 || !strings.HasPrefix(t, "```") || !strings.HasSuffix(t, "```") {
		return s
	}
	inner := t[3 : len(t)-3]
	if strings.Contains(inner, "```") {
		return s // several fences, or text between them
	}
	if v := strings.TrimSpace(strings.TrimLeft(inner, infoChars)); v != "" && json.Valid([]byte(v)) {
		return v // the info string dropped
	}
	if v := strings.TrimSpace(inner); json.Valid([]byte(v)) {
		return v // no info string ("```42```")
	}
	return s
}

// infoChars are the characters of a fence's info string ("json", "JSON",
// "json5", "jsonc").
const infoChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-."
