package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
)

// claudeCodeUserID is metadata.user_id as Claude Code 2.1 sends it: a
// JSON object of its device, account and session ids, 150 characters.
const claudeCodeUserID = `{"device_id":"5d41402abc4b2a76b9719d911017c592ae2f0a6a7e5d8f1c3b2a190817263544","account_uuid":"","session_id":"0b5e3c7e-8a1f-4c1d-9a57-3f7c9b1d2e4a"}`

// OpenAI refuses a user of more than 64 characters ("Invalid 'user':
// string too long…", as the sim does): Claude Code's metadata.user_id
// reaches an OpenAI deployment, on Chat Completions and on the Responses
// API, as its SHA-256 in hex — 64 characters, the same for the same user
// — and an OpenAI client's long user too; a user of 64 characters goes as
// sent.
func TestLongUserToOpenAI(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	ac := anthropicClient(e, "demo-key")
	sum := sha256.Sum256([]byte(claudeCodeUserID))
	hashed := hex.EncodeToString(sum[:])
	sentUser := func(path string) string {
		var user string
		if err := json.Unmarshal(tp.lastBody(t, path)["user"], &user); err != nil {
			t.Fatal(err)
		}
		return user
	}
	for model, path := range map[string]string{"gpt-4o-mini": "/chat/completions", "gpt-5.3-codex": "/responses"} {
		params := userMessage(model, "Hi", 200)
		params.Metadata = sdk.MetadataParam{UserID: sdk.String(claudeCodeUserID)}
		if _, err := ac.Messages.New(ctxT(t), params); err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if got := sentUser(path); got != hashed {
			t.Errorf("%s: user sent as %q, want %q", model, got, hashed)
		}
	}
	for _, user := range []string{strings.Repeat("u", 64), strings.Repeat("é", 64), strings.Repeat("u", 65)} {
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini", User: openai.String(user),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")}})
		if err != nil {
			t.Fatalf("user of %d characters: %v", len([]rune(user)), err)
		}
		got := sentUser("/chat/completions")
		if len([]rune(user)) <= 64 && got != user || len([]rune(user)) > 64 && len(got) != 64 {
			t.Errorf("user of %d characters sent as %q", len([]rune(user)), got)
		}
	}
}
