package e2e

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
)

// A key restricted to some overrides gets a 403 override_not_allowed for
// the others, through the official SDK; routes stay open to it, and an
// unrestricted key may still pin.
func TestKeysRestrictOverrides(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{
			{Key: "sk-admin-secret"},
			{Key: "sk-bot-secret", Name: "support-bot", Overrides: []config.Override{config.OverrideCategory, config.OverrideMaxCost}},
		}
	})
	client := func(key string) openai.Client {
		return openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey(key), option.WithMaxRetries(0))
	}
	bot, admin := client("sk-bot-secret"), client("sk-admin-secret")
	chat := func(t *testing.T, c openai.Client, model string, opts ...option.RequestOption) (http.Header, error) {
		t.Helper()
		var resp *http.Response
		_, err := c.Chat.Completions.New(ctxT(t), userChat(model, "Hi there!"), append(opts, option.WithResponseInto(&resp))...)
		if resp == nil {
			return nil, err
		}
		return resp.Header, err
	}
	forbidden := func(t *testing.T, err error, param string) {
		t.Helper()
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 || apiErr.Code != "override_not_allowed" ||
			apiErr.Type != "permission_error" || apiErr.Param != param || !strings.Contains(apiErr.Message, "auth.keys") {
			t.Fatalf("err = %v, want a 403 override_not_allowed naming %s", err, param)
		}
		if strings.Contains(apiErr.RawJSON(), "secret") {
			t.Errorf("the error shows a key: %s", apiErr.RawJSON())
		}
	}

	t.Run("restricted key, pin by header", func(t *testing.T) {
		_, err := chat(t, bot, "auto", option.WithHeader("x-switchyard-model", "gemini-2.5-flash"))
		forbidden(t, err, "x-switchyard-model")
	})
	t.Run("restricted key, deployment as the model", func(t *testing.T) {
		_, err := chat(t, bot, "gpt-4o")
		forbidden(t, err, "model")
	})
	t.Run("restricted key, streamed pin", func(t *testing.T) {
		s := bot.Chat.Completions.NewStreaming(ctxT(t), userChat("gpt-4o", "Hi there!"))
		for s.Next() {
		}
		forbidden(t, s.Err(), "model")
		s.Close()
	})
	t.Run("restricted key, disallowed header", func(t *testing.T) {
		_, err := chat(t, bot, "auto", option.WithHeader("x-switchyard-fallback", "none"))
		forbidden(t, err, "x-switchyard-fallback")
	})
	t.Run("restricted key, routes", func(t *testing.T) {
		for _, model := range []string{"auto", "auto-cheap", "auto-best"} {
			if h, err := chat(t, bot, model); err != nil || h.Get("x-switchyard-deployment") == "" {
				t.Errorf("%s: err %v", model, err)
			}
		}
	})
	t.Run("restricted key, allowed override", func(t *testing.T) {
		h, err := chat(t, bot, "auto", option.WithHeader("x-switchyard-category", "code"))
		if err != nil || !strings.Contains(h.Get("x-switchyard-route"), "category=code(hint)") {
			t.Fatalf("err %v headers %v", err, h)
		}
	})
	t.Run("restricted key, dry run", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.URL+"/v1/route", strings.NewReader(string(chatBody("auto", "hi", false))))
		req.Header.Set("Authorization", "Bearer sk-bot-secret")
		req.Header.Set("x-switchyard-model", "gpt-4o")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		eb := wantError(t, resp, b, 403, "permission_error")
		if eb.Error.Code == nil || *eb.Error.Code != "override_not_allowed" {
			t.Errorf("dry run: %s", b)
		}
	})
	t.Run("unrestricted key pins", func(t *testing.T) {
		h, err := chat(t, admin, "gemini-2.5-flash")
		if err != nil || h.Get("x-switchyard-deployment") != "gemini-2.5-flash" {
			t.Fatalf("by model: err %v headers %v", err, h)
		}
		h, err = chat(t, admin, "auto", option.WithHeader("x-switchyard-model", "claude-haiku-4-5"))
		if err != nil || h.Get("x-switchyard-deployment") != "claude-haiku-4-5" {
			t.Fatalf("by header: err %v headers %v", err, h)
		}
	})
	// 4 refusals, 4 successes and a refused dry run by the bot; 2 pins by the admin.
	callers := map[string]int{}
	for _, r := range e.recorded(t, 11) {
		callers[r.Caller]++
	}
	if callers["support-bot"] != 9 || callers["auth.keys[0]"] != 2 {
		t.Errorf("records by caller: %v", callers)
	}
}
