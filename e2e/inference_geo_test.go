package e2e

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
)

// Data residency: an Anthropic client's inference_geo us (or the
// x-switchyard-inference-geo header) is honored, routed on and priced,
// never dropped.

// newGeoEnv is a router with Claude Opus 4.7 and Opus 5.5 (which take
// inference_geo, as every model since Opus and Sonnet 4.6 does) beside
// the demo's older Claude and GPT deployments: route residency lists
// them all, older first; route legacy only those that cannot keep
// inference in the US.
func newGeoEnv(t *testing.T) (*env, *tap) {
	return newTapEnv(t, func(c *config.Config) {
		for _, m := range []string{"claude-opus-4-7", "claude-opus-5-5"} {
			c.Deployments[m] = &config.Deployment{Name: m, Provider: "anthropic", Model: m}
		}
		c.Routes["residency"] = &config.Route{Name: "residency", Deployments: []string{"claude-haiku-4-5", "gpt-4o-mini", "claude-opus-4-7", "claude-opus-5-5"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
		c.Routes["legacy"] = &config.Route{Name: "legacy", Deployments: []string{"claude-haiku-4-5", "gpt-4o-mini"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
	})
}

// upstreamModels lists the model of every upstream request the tap saw.
func upstreamModels(t *testing.T, tp *tap) []string {
	t.Helper()
	var out []string
	for _, r := range tp.requests() {
		var m struct{ Model string }
		if json.Unmarshal(r.body, &m) == nil && m.Model != "" {
			out = append(out, m.Model)
		}
	}
	return out
}

// opus47USD is what Claude Opus 4.7 charges for the usage, at $5/$25 per
// 1M tokens, times factor.
func opus47USD(u sdk.Usage, factor float64) float64 {
	return (float64(u.InputTokens)*5 + float64(u.OutputTokens)*25) / 1e6 * factor
}

// TestInferenceGeoUSRouted: inference_geo us skips the deployments that
// cannot keep inference in the US, reaches Claude Opus 4.7 with the
// field, runs there in the US (usage.inference_geo us) and costs 1.1x;
// global goes where it always did, at the standard price.
func TestInferenceGeoUSRouted(t *testing.T) {
	t.Parallel()
	e, tp := newGeoEnv(t)
	c := anthropicClient(e, "demo-key")
	params := userMessage("residency", "Summarize the key points of this document.", 200)
	params.InferenceGeo = sdk.String("us")
	var resp *http.Response
	msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("x-switchyard-deployment"); got != "claude-opus-4-7" {
		t.Errorf("served by %q, want claude-opus-4-7", got)
	}
	if r := resp.Header.Get("x-switchyard-route"); !strings.Contains(r, "inference_geo=us") {
		t.Errorf("x-switchyard-route %q: want inference_geo=us", r)
	}
	if msg.Usage.InferenceGeo != "us" {
		t.Errorf("usage.inference_geo %q, want us", msg.Usage.InferenceGeo)
	}
	if body := tp.lastBody(t, "/v1/messages"); string(body["inference_geo"]) != `"us"` {
		t.Errorf("sent inference_geo %s", body["inference_geo"])
	}
	wantCost(t, resp, opus47USD(msg.Usage, 1.1))
	if m := upstreamModels(t, tp); strings.Join(m, ",") != "claude-opus-4-7" {
		t.Errorf("upstream requests %v: want claude-opus-4-7 alone", m)
	}

	params.Model = "claude-opus-4-7"
	params.InferenceGeo = sdk.String("global")
	msg, err = c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Usage.InferenceGeo != "global" {
		t.Errorf("global: usage.inference_geo %q", msg.Usage.InferenceGeo)
	}
	wantCost(t, resp, opus47USD(msg.Usage, 1))
	if _, err = c.Messages.New(ctxT(t), userMessage("residency", "Summarize the key points of this document.", 200), sdkoption.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("x-switchyard-deployment"); got != "claude-haiku-4-5" {
		t.Errorf("no geo: served by %q, want the route's first", got)
	}
}

func wantCost(t *testing.T, resp *http.Response, want float64) {
	t.Helper()
	got, err := strconv.ParseFloat(resp.Header.Get("x-switchyard-cost-usd"), 64)
	if err != nil || want == 0 || math.Abs(got-want) > 1e-12 {
		t.Errorf("x-switchyard-cost-usd %q, want %v", resp.Header.Get("x-switchyard-cost-usd"), want)
	}
}

// TestInferenceGeoNoCandidate: a route none of whose deployments can keep
// inference in the US answers inference_geo us with a 400 in Anthropic's
// shape naming the requirement, and sends nothing upstream; an OpenAI
// client's x-switchyard-inference-geo header is held to the same.
func TestInferenceGeoNoCandidate(t *testing.T) {
	t.Parallel()
	e, tp := newGeoEnv(t)
	c := anthropicClient(e, "demo-key")
	params := userMessage("legacy", "hi", 50)
	params.InferenceGeo = sdk.String("us")
	_, err := c.Messages.New(ctxT(t), params)
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != 400 || !strings.Contains(ae.RawJSON(), "invalid_request_error") ||
		!strings.Contains(ae.RawJSON(), "does not keep inference in the US") {
		t.Fatalf("err %v", err)
	}
	_, err = e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model: "legacy", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
	}, option.WithHeader("x-switchyard-inference-geo", "us"))
	var oe *openai.Error
	if !errors.As(err, &oe) || oe.StatusCode != 400 || oe.Param != "inference_geo" || !strings.Contains(oe.Message, "inference_geo us") {
		t.Fatalf("openai err %v", err)
	}
	if m := upstreamModels(t, tp); len(m) != 0 {
		t.Errorf("upstream requests %v: want none", m)
	}
	var resp *http.Response
	if _, err = e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model: "residency", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
	}, option.WithHeader("x-switchyard-inference-geo", "us"), option.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("x-switchyard-deployment"); got != "claude-opus-4-7" {
		t.Errorf("header: served by %q, want claude-opus-4-7", got)
	}
	if body := tp.lastBody(t, "/v1/messages"); string(body["inference_geo"]) != `"us"` {
		t.Errorf("header: sent inference_geo %s", body["inference_geo"])
	}
}

// TestInferenceGeoFailover: when the first US-capable deployment fails,
// the request fails over to the next US-capable one; when they all fail,
// it fails rather than reach a deployment that cannot keep inference in
// the US.
func TestInferenceGeoFailover(t *testing.T) {
	t.Parallel()
	e, tp := newGeoEnv(t)
	c := anthropicClient(e, "demo-key")
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Model: "claude-opus-4-7"})
	params := userMessage("residency", "hi", 50)
	params.InferenceGeo = sdk.String("us")
	var resp *http.Response
	msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("x-switchyard-deployment"); got != "claude-opus-5-5" || msg.Usage.InferenceGeo != "us" {
		t.Errorf("served by %q in %q, want claude-opus-5-5 in us", got, msg.Usage.InferenceGeo)
	}
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Model: "claude-opus-5-5"})
	if _, err = c.Messages.New(ctxT(t), params); err == nil {
		t.Fatal("served with every US-capable deployment failing")
	}
	for _, m := range upstreamModels(t, tp) {
		if m != "claude-opus-4-7" && m != "claude-opus-5-5" {
			t.Errorf("request sent to %s, which cannot keep inference in the US", m)
		}
	}
}

// TestInferenceGeoUSStreamed: a streamed inference_geo us answer says it
// ran in the US, and its record is priced at 1.1x.
func TestInferenceGeoUSStreamed(t *testing.T) {
	t.Parallel()
	e, _ := newGeoEnv(t)
	c := anthropicClient(e, "demo-key")
	params := userMessage("residency", "Write a few sentences about trains.", 200)
	params.InferenceGeo = sdk.String("us")
	msg := accumulateMessage(t, c.Messages.NewStreaming(ctxT(t), params))
	if msg.Usage.InferenceGeo != "us" {
		t.Errorf("usage.inference_geo %q, want us", msg.Usage.InferenceGeo)
	}
	recs := e.recorded(t, 1)
	r := recs[len(recs)-1]
	if r.Deployment != "claude-opus-4-7" || r.Usage.InferenceGeo != "us" || math.Abs(r.CostUSD-opus47USD(msg.Usage, 1.1)) > 1e-12 {
		t.Errorf("record: %s in %q at %v, want claude-opus-4-7 in us at %v", r.Deployment, r.Usage.InferenceGeo, r.CostUSD, opus47USD(msg.Usage, 1.1))
	}
}
