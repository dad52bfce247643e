package cost

import (
	"math"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

func f64(f float64) *float64 { return &f }

// An image of a configured size and quality is priced from the
// configuration, for a model the table does not know (gpt-image-1.5) and
// over the table's price for one it knows (dall-e-3).
func TestResolveConfiguredMedia(t *testing.T) {
	openai := &config.Provider{Kind: config.KindOpenAI}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-4 } // the table's per-pixel prices are rounded
	keyed := map[string]float64{"1024x1024/standard": 0.03, "1024x1024/hd": 0.07, "1536x1024": 0.05}
	for _, c := range []struct {
		name          string
		d             config.Deployment
		size, quality string
		n             int
		want          float64
		ok            bool
		source        string
	}{
		{"unknown model, keyed", config.Deployment{Model: "gpt-image-1.5", Capabilities: []llm.Capability{llm.CapImages},
			MediaPrice: config.MediaPrice{PerImage: keyed}}, "1024x1024", "hd", 2, 0.14, true, SourceConfig},
		{"unknown model, size only key", config.Deployment{Model: "gpt-image-1.5", Capabilities: []llm.Capability{llm.CapImages},
			MediaPrice: config.MediaPrice{PerImage: keyed}}, "1536x1024", "low", 1, 0.05, true, SourceConfig},
		{"unknown model, unpriced size", config.Deployment{Model: "gpt-image-1.5", Capabilities: []llm.Capability{llm.CapImages},
			MediaPrice: config.MediaPrice{PerImage: keyed}}, "1024x1536", "hd", 1, 0, false, SourceConfig},
		{"unknown model, flat, no capability declared", config.Deployment{Model: "flux-pro",
			MediaPrice: config.MediaPrice{PerImage: map[string]float64{"": 0.05}}}, "auto", "", 3, 0.15, true, SourceConfig},
		{"azure name, base_model", config.Deployment{Model: "my-images", BaseModel: "dall-e-3",
			MediaPrice: config.MediaPrice{PerImage: map[string]float64{"1024x1024/standard": 0.03}}}, "", "", 1, 0.03, true, SourceMixed},
		{"config over the table", config.Deployment{Model: "dall-e-3",
			MediaPrice: config.MediaPrice{PerImage: map[string]float64{"1024x1024/standard": 0.03}}}, "1024x1024", "standard", 1, 0.03, true, SourceMixed},
		{"the table for what config leaves out", config.Deployment{Model: "dall-e-3",
			MediaPrice: config.MediaPrice{PerImage: map[string]float64{"1024x1024/standard": 0.03}}}, "1024x1792", "hd", 1, 0.12, true, SourceMixed},
		{"a free model", config.Deployment{Model: "local-sd", Capabilities: []llm.Capability{llm.CapImages},
			MediaPrice: config.MediaPrice{PerImage: map[string]float64{"": 0}}}, "512x512", "", 1, 0, true, SourceConfig},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := Resolve(openai, &c.d)
			if !p.Known || p.Media == nil || p.Media.Kind != llm.CapImages || p.Source != c.source || p.ServesChat {
				t.Fatalf("Resolve = %+v", p)
			}
			got, ok := p.Media.ImageCost(c.size, c.quality, c.n)
			if ok != c.ok || !near(got, c.want) {
				t.Errorf("ImageCost(%q, %q, %d) = %g, %v; want %g, %v", c.size, c.quality, c.n, got, ok, c.want, c.ok)
			}
		})
	}
}

// Speech and transcription prices from the configuration: an unknown
// model, gpt-4o-mini-tts (unpriceable from the table), whisper-1
// overridden, a token-priced transcription model.
func TestResolveConfiguredSpeechAndTranscription(t *testing.T) {
	openai := &config.Provider{Kind: config.KindOpenAI}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	mini := Resolve(openai, &config.Deployment{Model: "gpt-4o-mini-tts", MediaPrice: config.MediaPrice{PerCharacter: f64(1.2e-5)}})
	if usd, ok := mini.Media.SpeechCost(1000); !mini.Known || mini.Source != SourceConfig || !ok || !near(usd, 0.012) {
		t.Errorf("gpt-4o-mini-tts with per_character: %+v: %g, %v", mini, usd, ok)
	}
	free := Resolve(openai, &config.Deployment{Model: "piper", MediaPrice: config.MediaPrice{PerCharacter: f64(0)}})
	if usd, ok := free.Media.SpeechCost(1000); !free.Known || free.Media.Kind != llm.CapSpeech || !ok || usd != 0 {
		t.Errorf("a free speech model: %+v: %g, %v", free, usd, ok)
	}
	w := Resolve(openai, &config.Deployment{Model: "whisper-1", MediaPrice: config.MediaPrice{PerSecond: f64(0.0002)}})
	if usd, ok := w.Media.TranscriptionCost(60, 0, 0, 0); !w.Known || w.Source != SourceConfig || !ok || !near(usd, 0.012) {
		t.Errorf("whisper-1 overridden: %+v: %g, %v", w, usd, ok)
	}
	tok := Resolve(openai, &config.Deployment{Model: "my-transcribe", Capabilities: []llm.Capability{llm.CapTranscription},
		Price: config.Price{Input: 2, Output: 8}, MediaPrice: config.MediaPrice{AudioInput: f64(5)}})
	if usd, ok := tok.Media.TranscriptionCost(0, 1000, 100, 200); !tok.Known || !ok || !near(usd, (1000*5+100*2+200*8)/1e6) {
		t.Errorf("token-priced: %+v: %g, %v", tok, usd, ok)
	}
	mixed := Resolve(openai, &config.Deployment{Model: "gpt-4o-transcribe", Price: config.Price{Output: 20}})
	if usd, ok := mixed.Media.TranscriptionCost(0, 1000, 0, 100); mixed.Source != SourceMixed || !ok || !near(usd, 1000*6e-6+100*20e-6) {
		t.Errorf("gpt-4o-transcribe, output configured: %+v: %g, %v", mixed, usd, ok)
	}
}

// A media deployment whose price is configured gets no start-up
// warning; one without gets a warning naming the key to set.
func TestWarningsConfiguredMedia(t *testing.T) {
	openai := &config.Provider{Kind: config.KindOpenAI}
	cfg := &config.Config{Providers: map[string]*config.Provider{"p": openai}, Deployments: map[string]*config.Deployment{
		"priced":   {Name: "priced", Provider: "p", Model: "gpt-image-1.5", Capabilities: []llm.Capability{llm.CapImages}, MediaPrice: config.MediaPrice{PerImage: map[string]float64{"": 0.05}}},
		"tts":      {Name: "tts", Provider: "p", Model: "gpt-4o-mini-tts", MediaPrice: config.MediaPrice{PerCharacter: f64(1e-5)}},
		"unpriced": {Name: "unpriced", Provider: "p", Model: "gpt-image-1.5", Capabilities: []llm.Capability{llm.CapImages}},
	}}
	w := Warnings(cfg)
	if len(w) != 1 || !strings.HasPrefix(w[0], "deployments.unpriced:") || !strings.Contains(w[0], "set price.per_image") {
		t.Errorf("warnings %q", w)
	}
}
