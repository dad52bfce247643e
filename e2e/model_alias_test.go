package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
)

// Applications written against a provider ask for its model ids, and
// Claude Code for dated snapshots (claude-sonnet-4-5-20250929), whatever
// the operator named the deployments: such a name reaches the deployment
// that serves the model, and a declared alias its route or deployment.

func TestModelAliasesWithTheSDKs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Routes["support"] = &config.Route{Name: "support", Aliases: []string{"gpt-4"}, Deployments: []string{"gpt-4o-mini", "claude-haiku-4-5"}}
	})
	ac := anthropicClient(e, "demo-key")
	for _, streamed := range []bool{false, true} {
		var resp *http.Response
		params := userMessage("claude-sonnet-4-5-20250929", "Hello!", 100)
		if streamed {
			s := ac.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp))
			var msg sdk.Message
			for s.Next() {
				if err := msg.Accumulate(s.Current()); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Err(); err != nil || msg.StopReason != sdk.StopReasonEndTurn {
				t.Fatalf("streamed: %v, stop %q", err, msg.StopReason)
			}
		} else if _, err := ac.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp)); err != nil {
			t.Fatal(err)
		}
		if dep, why := resp.Header.Get("x-switchyard-deployment"), resp.Header.Get("x-switchyard-route"); dep != "claude-sonnet-4-5" ||
			!strings.HasPrefix(why, "alias=claude-sonnet-4-5-20250929; pinned=claude-sonnet-4-5;") {
			t.Errorf("streamed %t: deployment %q, route %q", streamed, dep, why)
		}
	}
	n, err := ac.Messages.CountTokens(ctxT(t), sdk.MessageCountTokensParams{Model: "claude-sonnet-4-5-20250929",
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Hello!"))}})
	if err != nil || n.InputTokens == 0 {
		t.Errorf("count_tokens of a dated id: %+v, %v", n, err)
	}

	var resp *http.Response
	_, err = e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of France?")}}, option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if why := resp.Header.Get("x-switchyard-route"); !strings.HasPrefix(why, "alias=gpt-4; route=support;") {
		t.Errorf("a route's alias: x-switchyard-route %q", why)
	}
	// The x-switchyard-model header pins by a model id too.
	_, err = e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "auto",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}},
		option.WithHeader("x-switchyard-model", "claude-haiku-4-5-20251001"), option.WithResponseInto(&resp))
	if err != nil || resp.Header.Get("x-switchyard-deployment") != "claude-haiku-4-5" {
		t.Errorf("x-switchyard-model by a dated id: %v, deployment %q", err, resp.Header.Get("x-switchyard-deployment"))
	}
	if owner := listedModels(t, e.Client)["gpt-4"]; owner != "switchyard" {
		t.Errorf("GET /v1/models lists the declared alias gpt-4 owned by %q", owner)
	}
	m, err := e.Client.Models.Get(ctxT(t), "gpt-4o-2024-08-06")
	if err != nil || m.ID != "gpt-4o-2024-08-06" {
		t.Errorf("GET /v1/models/gpt-4o-2024-08-06: %+v, %v", m, err)
	}
	_, err = e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "claude-opus-9",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
	if code := statusOf(err); code != http.StatusNotFound {
		t.Errorf("a model nothing serves: %v", err)
	}
}

// An alias is checked against the caller's grant as the name it stands
// for: a key kept off a deployment cannot reach it by its model id.
func TestModelAliasKeepsTheGrant(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: "sk-limited", Name: "limited", Access: config.Access{Deployments: []string{"gpt-4o-mini"}}}}
		c.Deployments["gpt-4o-mini"].Aliases = []string{"house-mini"}
		c.Deployments["claude-sonnet-4-5"].Aliases = []string{"house-claude"}
	})
	c := openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey("sk-limited"), option.WithMaxRetries(0))
	_, err := c.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "claude-sonnet-4-5-20250929",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
	if code := statusOf(err); code != http.StatusForbidden {
		t.Errorf("a dated id of a deployment the key may not use: %v", err)
	}
	listed := listedModels(t, c)
	if _, ok := listed["house-claude"]; ok || listed["house-mini"] != "openai" {
		t.Errorf("GET /v1/models lists the aliases of what the key may ask for only: %v", listed)
	}
}

// listedModels is what GET /v1/models lists to c: owner by model id.
func listedModels(t *testing.T, c openai.Client) map[string]string {
	t.Helper()
	out := map[string]string{}
	pages := c.Models.ListAutoPaging(ctxT(t))
	for pages.Next() {
		out[pages.Current().ID] = pages.Current().OwnedBy
	}
	if err := pages.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// statusOf is the HTTP status of an openai-go error, 0 for another error
// or none.
func statusOf(err error) int {
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}
