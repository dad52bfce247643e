package e2e

import (
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/server"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// withConfiguredImages adds an OpenAI-compatible upstream serving
// gpt-image-1.5, a model the built-in media prices do not know, and a
// deployment of it whose per-image prices are configured.
func withConfiguredImages(t *testing.T) func(*config.Config) {
	srv := httptest.NewServer(simopenai.New(sim.NewCatalog(sim.Profile{Model: "gpt-image-1.5", Images: true}), nil))
	t.Cleanup(srv.Close)
	return func(c *config.Config) {
		c.Providers["images-vendor"] = &config.Provider{Name: "images-vendor", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sim-key"}
		c.Deployments["img15"] = &config.Deployment{Name: "img15", Provider: "images-vendor", Model: "gpt-image-1.5",
			Capabilities: []llm.Capability{llm.CapImages},
			MediaPrice:   config.MediaPrice{PerImage: map[string]float64{"1024x1024/low": 0.01, "1536x1024/high": 0.2, "1536x1024": 0.15}}}
	}
}

// openai-go's Images.Generate on a deployment of an image model unknown
// to the built-in prices is priced by its configured per_image: the
// x-switchyard-cost-usd header, the record and the request log's row
// carry the configured price of the size and quality made.
func TestImagesConfiguredPrice(t *testing.T) {
	t.Parallel()
	st := storeBackends[0].open(t)
	priced := withConfiguredImages(t)
	e := newEnvWith(t, func(c *config.Config) {
		priced(c)
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName}}
	}, server.RouterOptions{Store: st})
	client := openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey(clientKey), option.WithMaxRetries(0))
	cases := []struct {
		size, quality string
		n             int64
		want          float64
	}{
		{"1536x1024", "high", 2, 0.4},    // "1536x1024/high"
		{"1536x1024", "medium", 1, 0.15}, // "1536x1024", any quality
		{"1024x1024", "low", 3, 0.03},    // "1024x1024/low"
	}
	ids := make([]string, len(cases))
	for i, c := range cases {
		var hr *http.Response
		resp, err := client.Images.Generate(ctxT(t), openai.ImageGenerateParams{Model: "img15", Prompt: "a lighthouse",
			N: openai.Int(c.n), Size: openai.ImageGenerateParamsSize(c.size), Quality: openai.ImageGenerateParamsQuality(c.quality)},
			option.WithResponseInto(&hr))
		if err != nil {
			t.Fatalf("%s/%s: %v", c.size, c.quality, err)
		}
		if int64(len(resp.Data)) != c.n {
			t.Errorf("%s/%s: answer %s", c.size, c.quality, resp.RawJSON())
		}
		usd, err := strconv.ParseFloat(hr.Header.Get("x-switchyard-cost-usd"), 64)
		if err != nil || math.Abs(usd-c.want) > 1e-9 {
			t.Errorf("%s/%s x%d: x-switchyard-cost-usd %q, want %g", c.size, c.quality, c.n, hr.Header.Get("x-switchyard-cost-usd"), c.want)
		}
		ids[i] = hr.Header.Get("x-switchyard-request-id")
	}
	for i, r := range e.recorded(t, len(cases)) {
		if r.Endpoint != "images" || r.Deployment != "img15" || r.CostUnknown || math.Abs(r.CostUSD-cases[i].want) > 1e-9 {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	rows := rowsOf(t, e, st, len(cases))
	for i, c := range cases {
		row := rows[ids[i]]
		if row == nil || row.Deployment != "img15" || row.CostUnknown || math.Abs(row.CostUSD-c.want) > 1e-9 {
			t.Errorf("%s/%s: row %s", c.size, c.quality, mustJSON(row))
		}
	}
}

// An Azure image deployment under its owner's name, declaring no
// capabilities, serves images because its price block prices them
// (per_image as one number), and is priced by it.
func TestImagesConfiguredPriceAzureName(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(simopenai.NewAzure(sim.NewCatalog(sim.Profile{Model: "corp-images", Images: true}), nil))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["azure-2"] = &config.Provider{Name: "azure-2", Kind: config.KindAzure, BaseURL: srv.URL, APIKey: "sim-key"}
		c.Deployments["corp-images"] = &config.Deployment{Name: "corp-images", Provider: "azure-2", Model: "corp-images",
			MediaPrice: config.MediaPrice{PerImage: map[string]float64{"": 0.02}}}
	})
	var hr *http.Response
	resp, err := e.Client.Images.Generate(ctxT(t), openai.ImageGenerateParams{Model: "corp-images", Prompt: "a fox", N: openai.Int(2), Size: "512x512"},
		option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 2 || hr.Header.Get("x-switchyard-deployment") != "corp-images" {
		t.Errorf("answer %s, headers %v", resp.RawJSON(), hr.Header)
	}
	if usd, err := strconv.ParseFloat(hr.Header.Get("x-switchyard-cost-usd"), 64); err != nil || math.Abs(usd-0.04) > 1e-9 {
		t.Errorf("x-switchyard-cost-usd %q, want 0.04", hr.Header.Get("x-switchyard-cost-usd"))
	}
	if r := e.recorded(t, 1)[0]; r.CostUnknown || math.Abs(r.CostUSD-0.04) > 1e-9 {
		t.Errorf("record %+v", r)
	}
}
