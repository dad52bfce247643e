package e2e

import (
	"errors"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/server"
)

// A spent hard budget is a 429 that a retry within seconds cannot clear:
// the router says so with x-should-retry: false, which openai-go and
// anthropic-sdk-go read before their own rule (retry every 429). Each
// SDK, allowed two retries, sends the request once and returns the
// typed error: code budget_exceeded (OpenAI's shape), rate_limit_error
// (Anthropic's).
func TestSDKDoesNotRetryASpentBudget(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName, Tenant: "acme"}}
		c.Budgets = []config.Budget{{Name: "acme-usd", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily,
			LimitUSD: 0.00001, Mode: config.BudgetHard, AlertAt: config.DefaultAlertAt}}
	}, server.RouterOptions{})
	spent := 0
	for i := 0; i < 5 && spent == 0; i++ {
		if resp, _ := post(t, e.URL+"/v1/chat/completions", clientKey, chatBody("gpt-4o-mini", "hi", false)); resp.StatusCode == 429 {
			spent = i + 1
		}
	}
	if spent == 0 {
		t.Fatal("the budget was never spent")
	}

	oc := openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey(clientKey), option.WithMaxRetries(2))
	_, err := oc.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
	var oerr *openai.Error
	if !errors.As(err, &oerr) || oerr.StatusCode != 429 || oerr.Code != "budget_exceeded" {
		t.Errorf("openai-go: %v", err)
	}
	ac := anthropicClient(e, clientKey, sdkoption.WithMaxRetries(2))
	_, err = ac.Messages.New(ctxT(t), userMessage("gpt-4o-mini", "hi", 50))
	var aerr *sdk.Error
	if !errors.As(err, &aerr) || aerr.StatusCode != 429 || aerr.Type() != "rate_limit_error" {
		t.Errorf("anthropic-sdk-go: %v", err)
	}
	e.recorded(t, spent+2)
	if err := e.Router.Recorder.Sync(ctxT(t)); err != nil { // a retry's record too, were there one
		t.Fatal(err)
	}
	refused := 0
	for _, r := range e.recorded(t, spent+2) {
		if r.Status == 429 {
			refused++
		}
	}
	if want := 1 + 2; refused != want { // the probe's, then one per SDK call
		t.Errorf("%d refused requests recorded, want %d: an SDK retried", refused, want)
	}
}
