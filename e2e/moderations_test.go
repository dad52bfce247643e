package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/server"
	"switchyard/store"
)

// The official SDK's moderations.create works through the router, as
// OpenAI recommends calling it before a chat: a string with the SDK's
// default model, an array of strings, and text with an image.
func TestModerationsSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	var hr *http.Response
	resp, err := e.Client.Moderations.New(ctxT(t), openai.ModerationNewParams{
		Input: openai.ModerationNewParamsInputUnion{OfString: openai.String("I want to kill them.")},
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Results[0]
	if !strings.HasPrefix(resp.ID, "modr-") || resp.Model != "omni-moderation-latest" || len(resp.Results) != 1 ||
		!r.Flagged || !r.Categories.Violence || !r.Categories.HarassmentThreatening || r.Categories.Sexual || r.CategoryScores.Violence < 0.5 {
		t.Errorf("answer %s", resp.RawJSON())
	}
	if !slices.Equal(r.CategoryAppliedInputTypes.Violence, []string{"text"}) {
		t.Errorf("violence applied to %v", r.CategoryAppliedInputTypes.Violence)
	}
	h := hr.Header
	if h.Get("x-switchyard-deployment") != "omni-moderation-latest" || h.Get("x-switchyard-cost-usd") != "0" || h.Get("x-switchyard-request-id") == "" {
		t.Errorf("headers %v", h)
	}

	resp, err = e.Client.Moderations.New(ctxT(t), openai.ModerationNewParams{Model: "omni-moderation-latest",
		Input: openai.ModerationNewParamsInputUnion{OfStringArray: []string{"What a lovely day.", "Some days I want to die."}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Results) != 2 || resp.Results[0].Flagged || !resp.Results[1].Categories.SelfHarmIntent {
		t.Errorf("array answer %s", resp.RawJSON())
	}

	resp, err = e.Client.Moderations.New(ctxT(t), openai.ModerationNewParams{Input: openai.ModerationNewParamsInputUnion{
		OfModerationMultiModalArray: []openai.ModerationMultiModalInputUnionParam{
			openai.ModerationMultiModalInputParamOfText("a still from a film"),
			openai.ModerationMultiModalInputParamOfImageURL(openai.ModerationImageURLInputImageURLParam{URL: "https://example.com/battle-gore.png"}),
		}}})
	if err != nil {
		t.Fatal(err)
	}
	r = resp.Results[0]
	if len(resp.Results) != 1 || !r.Categories.ViolenceGraphic || !slices.Equal(r.CategoryAppliedInputTypes.Violence, []string{"text", "image"}) ||
		!slices.Equal(r.CategoryAppliedInputTypes.Harassment, []string{"text"}) {
		t.Errorf("multimodal answer %s", resp.RawJSON())
	}

	recs := e.recorded(t, 3)
	for _, rec := range recs {
		if rec.Endpoint != "moderations" || rec.Status != 200 || rec.Deployment != "omni-moderation-latest" || rec.CostUnknown || rec.CostUSD != 0 || rec.Usage.PromptTokens <= 0 {
			t.Errorf("record %+v", rec)
		}
	}
	m, err := http.Get(e.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Body.Close()
	metrics, _ := io.ReadAll(m.Body)
	want := `switchyard_requests_total{deployment="omni-moderation-latest",endpoint="moderations",route="",status="200"} 3`
	if !strings.Contains(string(metrics), want) {
		t.Errorf("metrics lack %s", want)
	}
}

// Errors reach the SDK in OpenAI's shape: an unknown model, a chat
// model, images for a text-only moderation model, a malformed input; and
// a route passes over deployments that cannot moderate (Azure OpenAI has
// no moderations endpoint).
func TestModerationsErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Deployments["azure-omni"] = &config.Deployment{Name: "azure-omni", Provider: "azure", Model: "omni-moderation-latest", Capabilities: []llm.Capability{llm.CapModeration}}
		c.Deployments["text-moderation"] = &config.Deployment{Name: "text-moderation", Provider: "openai", Model: "text-moderation-latest", Capabilities: []llm.Capability{llm.CapModeration}}
		c.Routes["moderation"] = &config.Route{Name: "moderation", Deployments: []string{"azure-omni", "gpt-4o-mini", "omni-moderation-latest"}}
	})
	image := openai.ModerationNewParamsInputUnion{OfModerationMultiModalArray: []openai.ModerationMultiModalInputUnionParam{
		openai.ModerationMultiModalInputParamOfImageURL(openai.ModerationImageURLInputImageURLParam{URL: "https://example.com/a.png"}),
	}}
	text := openai.ModerationNewParamsInputUnion{OfString: openai.String("hello")}
	for _, tt := range []struct {
		name, model string
		input       openai.ModerationNewParamsInputUnion
		status      int
		param, msg  string
	}{
		{"unknown model", "no-such-model", text, 404, "model", "no-such-model"},
		{"a chat model", "gpt-4o-mini", text, 400, "model", "does not serve moderations"},
		{"images to a text-only model", "text-moderation", image, 400, "input", "takes text only"},
		{"an empty array", "omni-moderation-latest", openai.ModerationNewParamsInputUnion{OfStringArray: []string{}}, 400, "input", "empty array"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.Moderations.New(ctxT(t), openai.ModerationNewParams{Model: tt.model, Input: tt.input})
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || apiErr.Param != tt.param || !strings.Contains(apiErr.Message, tt.msg) {
				t.Fatalf("want %d on %s with %q, got %v", tt.status, tt.param, tt.msg, err)
			}
		})
	}
	var hr *http.Response
	resp, err := e.Client.Moderations.New(ctxT(t), openai.ModerationNewParams{Model: "moderation", Input: text}, option.WithResponseInto(&hr))
	if err != nil || len(resp.Results) != 1 {
		t.Fatalf("route: %v", err)
	}
	if d := hr.Header.Get("x-switchyard-deployment"); d != "omni-moderation-latest" || !strings.Contains(hr.Header.Get("x-switchyard-route"), "route=moderation") {
		t.Errorf("route served by %q (%s); want omni-moderation-latest, past Azure and the chat model", d, hr.Header.Get("x-switchyard-route"))
	}
}

// The request log keeps a moderation's row — endpoint, deployment,
// tokens, a known $0 cost — but never its input, even with bodies kept.
func TestModerationsRequestLog(t *testing.T) {
	t.Parallel()
	st := storeBackends[0].open(t)
	e := newEnvWith(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName}}
		c.Store.Bodies = config.StoreBodiesRedacted
	}, server.RouterOptions{Store: st})
	const secret = "the launch code is swordfish-42"
	body, _ := json.Marshal(map[string]any{"input": []string{secret, "I want to kill them."}})
	s := sendAs(t, e, "moderation", "/v1/moderations", body, nil)
	if s.status != 200 {
		t.Fatalf("status %d", s.status)
	}
	rows := rowsOf(t, e, st, 1)
	row := rows[s.id]
	if row == nil {
		t.Fatalf("no row for %s", s.id)
	}
	if row.Endpoint != "moderations" || row.Deployment != "omni-moderation-latest" || row.Status != 200 || row.Tokens.Prompt <= 0 ||
		row.CostUSD != 0 || row.CostUnknown || len(row.Attempts) != 1 || row.Attempts[0].Outcome != store.OutcomeOK || row.Bodies != nil {
		t.Errorf("row %s", mustJSON(row))
	}
	if strings.Contains(string(mustJSON(row)), "swordfish") {
		t.Errorf("the input is in the row: %s", mustJSON(row))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if p, err := st.List(ctx, store.AllTenants(), store.Filter{Limit: 10}); err != nil || len(p.Requests) != 1 {
		t.Errorf("list: %v %+v", err, p)
	}
}
