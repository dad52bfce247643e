package e2e

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
)

// withMedia adds the media deployments to the demo's config: OpenAI's
// image, speech and transcription models declaring nothing (the price
// table knows them), Azure's dall-e-3, and routes whose first deployment
// can be made to fail.
func withMedia(c *config.Config) {
	for _, m := range []string{"dall-e-3", "gpt-image-1", "tts-1", "whisper-1"} {
		c.Deployments[m] = &config.Deployment{Name: m, Provider: "openai", Model: m}
	}
	c.Deployments["azure-dalle"] = &config.Deployment{Name: "azure-dalle", Provider: "azure", Model: "dall-e-3", Capabilities: []llm.Capability{llm.CapImages}}
	c.Routes["images"] = &config.Route{Name: "images", Deployments: []string{"azure-dalle", "dall-e-3"}}
}

// openai-go's Images.Generate works through the router: dall-e-3 by URL
// with its revised prompt and its price, gpt-image-1 as b64_json with
// its usage, a route as the model failing over from a failing Azure
// deployment, and errors in OpenAI's shape.
func TestImagesSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withMedia)
	var hr *http.Response
	resp, err := e.Client.Images.Generate(ctxT(t), openai.ImageGenerateParams{
		// String values: the SDK marks dall-e-3 and gpt-image-1 deprecated,
		// the price table knows them.
		Model: "dall-e-3", Prompt: "a red fox in the snow", Size: "1024x1792", Quality: "hd",
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Created == 0 || len(resp.Data) != 1 || !strings.HasPrefix(resp.Data[0].URL, "https://") || !strings.Contains(resp.Data[0].RevisedPrompt, "red fox") {
		t.Errorf("answer %s", resp.RawJSON())
	}
	if usd, _ := strconv.ParseFloat(hr.Header.Get("x-switchyard-cost-usd"), 64); math.Abs(usd-0.12) > 1e-4 || hr.Header.Get("x-switchyard-deployment") != "dall-e-3" || hr.Header.Get("x-switchyard-request-id") == "" {
		t.Errorf("headers %v", hr.Header)
	}

	resp, err = e.Client.Images.Generate(ctxT(t), openai.ImageGenerateParams{Model: "gpt-image-1", Prompt: "a lighthouse", N: openai.Int(2), Quality: openai.ImageGenerateParamsQualityLow})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 2 || resp.Data[0].B64JSON == "" || resp.Usage.OutputTokens != 2*272 || resp.Usage.TotalTokens == 0 || string(resp.Quality) != "low" || string(resp.Size) != "1024x1024" {
		t.Errorf("gpt-image-1 answer %s", resp.RawJSON())
	}

	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Count: 1})
	resp, err = e.Client.Images.Generate(ctxT(t), openai.ImageGenerateParams{Model: "images", Prompt: "a fox", ResponseFormat: openai.ImageGenerateParamsResponseFormatB64JSON},
		option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 1 || resp.Data[0].B64JSON == "" || hr.Header.Get("x-switchyard-deployment") != "dall-e-3" || !strings.Contains(hr.Header.Get("x-switchyard-route"), "route=images") || !strings.Contains(hr.Header.Get("x-switchyard-route"), "attempt=2") {
		t.Errorf("route: %s, headers %v", resp.RawJSON(), hr.Header)
	}

	recs := e.recorded(t, 3)
	if r := recs[0]; r.Endpoint != "images" || r.Status != 200 || r.CostUnknown || math.Abs(r.CostUSD-0.12) > 1e-4 {
		t.Errorf("dall-e-3 record %+v", r)
	}
	if r := recs[1]; r.Deployment != "gpt-image-1" || r.CostUnknown || math.Abs(r.CostUSD-0.022) > 1e-4 || r.Usage.CompletionTokens != 544 {
		t.Errorf("gpt-image-1 record %+v", r)
	}
	if r := recs[2]; r.Route != "images" || r.Attempts != 2 || r.Trail[0].Deployment != "azure-dalle" || r.Trail[0].Outcome == "ok" {
		t.Errorf("route record %+v", r)
	}

	for _, tt := range []struct {
		name          string
		params        openai.ImageGenerateParams
		status        int
		param, detail string
	}{
		{"unknown model", openai.ImageGenerateParams{Model: "no-such-model", Prompt: "p"}, 404, "model", "no-such-model"},
		{"a chat model", openai.ImageGenerateParams{Model: "gpt-4o-mini", Prompt: "p"}, 400, "model", "does not serve image generation"},
		{"an anthropic model", openai.ImageGenerateParams{Model: "claude-haiku-4-5", Prompt: "p"}, 400, "model", "does not serve image generation"},
		{"an empty prompt", openai.ImageGenerateParams{Model: "dall-e-3", Prompt: ""}, 400, "prompt", "empty string"},
		{"a size dall-e-3 does not make", openai.ImageGenerateParams{Model: "dall-e-3", Prompt: "p", Size: "256x256"}, 400, "size", "Supported values"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.Images.Generate(ctxT(t), tt.params)
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || apiErr.Param != tt.param || !strings.Contains(apiErr.Message, tt.detail) {
				t.Fatalf("want %d on %s with %q, got %v", tt.status, tt.param, tt.detail, err)
			}
		})
	}
}

// The request log keeps an image generation's row with its cost, but
// never its prompt.
func TestImagesRequestLog(t *testing.T) {
	t.Parallel()
	st := storeBackends[0].open(t)
	e := newEnvWith(t, func(c *config.Config) {
		withMedia(c)
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName}}
		c.Store.Bodies = config.StoreBodiesRedacted
	}, server.RouterOptions{Store: st})
	s := sendAs(t, e, "images", "/v1/images/generations", []byte(`{"model":"dall-e-3","prompt":"the launch code is swordfish-42"}`), nil)
	if s.status != 200 {
		t.Fatalf("status %d", s.status)
	}
	row := rowsOf(t, e, st, 1)[s.id]
	if row == nil {
		t.Fatalf("no row for %s", s.id)
	}
	if row.Endpoint != "images" || row.Deployment != "dall-e-3" || row.Status != 200 || row.CostUnknown || math.Abs(row.CostUSD-0.04) > 1e-4 ||
		len(row.Attempts) != 1 || row.Attempts[0].Outcome != store.OutcomeOK {
		t.Errorf("row %s", mustJSON(row))
	}
	if strings.Contains(string(mustJSON(row)), "swordfish") {
		t.Errorf("the prompt is in the row: %s", mustJSON(row))
	}
}

// A hard USD budget is charged each image's price and refuses the image
// it cannot fit before any upstream call.
func TestImagesBudget(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(c *config.Config) {
		withMedia(c)
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName, Tenant: "acme"}}
		c.Budgets = []config.Budget{{Name: "acme-usd", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily,
			LimitUSD: 0.05, Mode: config.BudgetHard, AlertAt: config.DefaultAlertAt}}
	}, server.RouterOptions{})
	body := []byte(`{"model":"dall-e-3","prompt":"a fox"}`) // $0.04
	if s := sendAs(t, e, "images", "/v1/images/generations", body, nil); s.status != 200 {
		t.Fatalf("the first image: %d", s.status)
	}
	resp, b := post(t, e.URL+"/v1/images/generations", clientKey, body)
	wantRefusal(t, resp, b, 429, "budget_exceeded", "acme-usd")
	recs := e.recorded(t, 2)
	if recs[0].CostUSD < 0.039 || len(recs[0].Budgets) == 0 {
		t.Errorf("the first image's record %+v", recs[0])
	}
	if r := recs[1]; r.Status != 429 || r.Attempts != 0 {
		t.Errorf("the refused image's record %+v: it reached the upstream", r)
	}
}
