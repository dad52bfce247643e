package gateway

import (
	"context"
	"math"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
	"switchyard/state/memory"
)

// mediaGateway builds a gateway over two simulated OpenAI APIs (the
// first, down, with faults to inject) and a simulated Azure OpenAI, with
// image, speech and transcription deployments, and the function that
// closes its recorder and returns the records.
func mediaGateway(t testing.TB) (*Gateway, *sim.Faults, func() []*record.Record) {
	t.Helper()
	return mediaGatewayWith(t, "")
}

// mediaGatewayWith is mediaGateway under the budgets of the YAML list
// budgets (none when empty), the caller being callerCtx's bot of acme.
func mediaGatewayWith(t testing.TB, budgets string) (*Gateway, *sim.Faults, func() []*record.Record) {
	t.Helper()
	cost.Warm()
	cat := sim.NewCatalog(
		sim.Profile{Model: "dall-e-3", Images: true},
		sim.Profile{Model: "gpt-image-1", Images: true},
		sim.Profile{Model: "tts-1", Speech: true},
		sim.Profile{Model: "gpt-4o-mini-tts", Speech: true},
		sim.Profile{Model: "whisper-1", Transcription: true},
		sim.Profile{Model: "gpt-4o-mini"},
		sim.Profile{Model: "dalle-prod", Images: true}, // an Azure deployment's name
	)
	faults := new(sim.Faults)
	urls := make([]string, 3)
	for i, h := range []*httptest.Server{httptest.NewServer(simopenai.New(cat, faults)), httptest.NewServer(simopenai.New(cat, nil)), httptest.NewServer(simopenai.NewAzure(cat, nil))} {
		t.Cleanup(h.Close)
		urls[i] = h.URL
	}
	cfg, err := config.Parse([]byte(`
providers:
  down: {kind: openai, base_url: "`+urls[0]+`/v1", api_key: k}
  up: {kind: openai, base_url: "`+urls[1]+`/v1", api_key: k}
  az: {kind: azure, base_url: "`+urls[2]+`", api_key: k}
  claude: {kind: anthropic, base_url: "`+urls[1]+`", api_key: k}
deployments:
  dalle-down: {provider: down, model: dall-e-3}
  dall-e-3: {provider: up}
  gpt-image-1: {provider: up}
  az-dalle: {provider: az, model: dalle-prod, base_model: dall-e-3}
  chat: {provider: up, model: gpt-4o-mini}
  flux: {provider: up, model: flux, capabilities: [images]}
  tts-1: {provider: up}
  tts-down: {provider: down, model: tts-1}
  tts-hd: {provider: up, model: tts-1, price: {per_character: 0.00003}}
  mini-tts: {provider: up, model: gpt-4o-mini-tts}
  whisper-1: {provider: up}
  whisper-down: {provider: down, model: whisper-1}
routes:
  images: {deployments: [dalle-down, dall-e-3]}
  chat-first: {deployments: [chat, dall-e-3]}
  speech: {deployments: [chat, tts-1]}
  transcribe: {deployments: [whisper-down, whisper-1]}
  voices: {deployments: [tts-hd, tts-1]}
`+budgetsYAML(budgets)), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Past validation (which refuses it): the gateway refuses it too.
	cfg.Deployments["claude-img"] = &config.Deployment{Name: "claude-img", Provider: "claude", Model: "claude-x", Capabilities: []llm.Capability{llm.CapImages}}
	cfg.Routes["claude-only"] = &config.Route{Name: "claude-only", Deployments: []string{"claude-img"}}
	var mu sync.Mutex
	var recs []*record.Record
	rc := record.NewRecorder(16, record.SinkFunc(func(r *record.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }))
	opts := Options{Recorder: rc}
	if budgets != "" {
		opts.Budgets = budget.New(cfg.Budgets, memory.New(memory.Options{}), budget.Options{})
	}
	g, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return g, faults, func() []*record.Record {
		rc.Close(context.Background())
		mu.Lock()
		defer mu.Unlock()
		return recs
	}
}

func budgetsYAML(budgets string) string {
	if budgets == "" {
		return ""
	}
	return "auth: {keys: [{key: k, name: bot, tenant: acme}]}\nbudgets:\n" + budgets
}

func imageRequest(model, body string) *llm.ImageRequest {
	return &llm.ImageRequest{Model: model, Prompt: "a fox", N: 1, Body: []byte(body)}
}

// A route fails over from a failing deployment; the record has both
// attempts and the images' price.
func TestGenerateImagesFailsOver(t *testing.T) {
	g, faults, flush := mediaGateway(t)
	faults.Add(sim.Fault{Kind: sim.FaultServerError})
	req := imageRequest("images", `{"model":"images","prompt":"a fox","quality":"hd","size":"1024x1792"}`)
	req.Size, req.Quality = "1024x1792", "hd"
	var served llm.Served
	resp, err := g.GenerateImages(callerCtx(), req, &served)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Images != 1 || !strings.Contains(string(resp.Body), `"revised_prompt"`) {
		t.Errorf("answer %s", resp.Body)
	}
	if served.Deployment != "dall-e-3" || served.Attempts != 2 || served.CostUnknown || math.Abs(served.CostUSD-0.12) > 1e-4 {
		t.Errorf("served %+v", served)
	}
	if resp.Usage.PromptTokens == 0 || !resp.Usage.Estimated {
		t.Errorf("usage %+v, want the prompt's tokens, estimated (dall-e-3 reports none)", resp.Usage)
	}
	recs := flush()
	if len(recs) != 1 || recs[0].Endpoint != "images" || recs[0].Status != 200 || trailOf(recs[0]) != "dalle-down0:error/upstream dall-e-30:ok:$" || math.Abs(recs[0].CostUSD-0.12) > 1e-4 {
		t.Fatalf("records %+v, trail %q", recs[0], trailOf(recs[0]))
	}
}

func TestGenerateImagesCandidates(t *testing.T) {
	g, _, flush := mediaGateway(t)
	defer flush()
	for _, tt := range []struct {
		name, model, body string
		deployment        string
		cost              float64
		unknown           bool
		status            int
		msg               string
	}{
		{"pinned, priced at the defaults", "dall-e-3", `{"prompt":"a fox"}`, "dall-e-3", 0.04, false, 200, ""},
		{"Azure by its base model", "az-dalle", `{"prompt":"a fox"}`, "az-dalle", 0.04, false, 200, ""},
		{"gpt-image-1 priced by what it answered", "gpt-image-1", `{"prompt":"a fox","quality":"low"}`, "gpt-image-1", 0.011, false, 200, ""},
		{"a chat deployment is passed over", "chat-first", `{"prompt":"a fox"}`, "dall-e-3", 0.04, false, 200, ""},
		{"a declared image model the upstream lacks: a 502 naming the config", "flux", `{"prompt":"a fox"}`, "flux", 0, true, 502, "check its model"},
		{"a chat deployment pinned", "chat", `{"prompt":"a fox"}`, "", 0, false, 400, "model chat does not serve image generation"},
		{"anthropic has no images API", "claude-only", `{"prompt":"a fox"}`, "", 0, false, 400, "kind anthropic, which has no image generation API"},
		{"unknown model", "nothing", `{"prompt":"a fox"}`, "", 0, false, 404, "nothing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := imageRequest(tt.model, tt.body)
			if strings.Contains(tt.body, "low") {
				req.Quality = "low"
			}
			var served llm.Served
			_, err := g.GenerateImages(context.Background(), req, &served)
			if tt.status == 200 {
				if err != nil || served.Deployment != tt.deployment || served.CostUnknown != tt.unknown || math.Abs(served.CostUSD-tt.cost) > 1e-4 {
					t.Fatalf("served %+v, %v; want %s at %g", served, err, tt.deployment, tt.cost)
				}
				return
			}
			e := llm.AsError(err)
			if e.HTTPStatus() != tt.status || !strings.Contains(e.Message, tt.msg) {
				t.Fatalf("error %d %q; want %d with %q", e.HTTPStatus(), e.Message, tt.status, tt.msg)
			}
		})
	}
}
