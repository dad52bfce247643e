package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

func TestUserParam(t *testing.T) {
	long := strings.Repeat("u", 150)
	for _, tc := range []struct {
		user string
		same bool
	}{{"", true}, {"user-1234", true}, {strings.Repeat("u", 64), true}, {strings.Repeat("é", 64), true}, {strings.Repeat("u", 65), false}, {long, false}} {
		got := UserParam(tc.user)
		if tc.same && got != tc.user || !tc.same && (len(got) != MaxUser || got == tc.user) {
			t.Errorf("UserParam(%d characters) = %q", len([]rune(tc.user)), got)
		}
	}
	if UserParam(long) != UserParam(strings.Clone(long)) || UserParam(long) == UserParam(long+"x") {
		t.Error("UserParam is not one value per user")
	}
	req := &llm.Request{Model: "gpt-4o-mini", User: long, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}
	body, err := EncodeChatRequest(req)
	if err != nil || !strings.Contains(string(body), `"user":"`+UserParam(long)+`"`) {
		t.Errorf("encoded %s (%v)", body, err)
	}
}
