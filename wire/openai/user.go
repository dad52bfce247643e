package openai

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf8"
)

// MaxUser is the longest `user` (the end user's id) OpenAI's Chat
// Completions and Responses APIs take, in characters; a longer one is a
// 400: "Invalid 'user': string too long. Expected a string with maximum
// length 64, but got a string with length 123 instead." (code
// string_above_max_length; BerriAI/litellm's tests keep the wording, and
// copilot-api-style bridges hit it with Claude Code's metadata.user_id).
const MaxUser = 64

// UserParam returns user as an OpenAI-format upstream takes it: itself
// when it has at most MaxUser characters, else the hex SHA-256 of it —
// exactly 64 characters, the same for the same user, so the upstream's
// abuse detection and cache routing still tell users apart. Claude Code
// sends a metadata.user_id of about 150 characters (a JSON object of its
// device, account and session ids, or user_<hex>_account_…_session_…),
// which the Messages API takes (up to 512) and OpenAI refuses.
func UserParam(user string) string {
	if len(user) <= MaxUser || utf8.RuneCountInString(user) <= MaxUser {
		return user
	}
	sum := sha256.Sum256([]byte(user))
	return hex.EncodeToString(sum[:])
}
