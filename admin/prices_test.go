package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/health"
	"switchyard/llm"
)

// GET /admin/health shows each deployment's price and where it comes
// from, and an unknown price as unknown (no rates, not zeros).
func TestHealthShowsPrices(t *testing.T) {
	tr := health.NewTracker(health.Config{}, []string{"mini", "mystery", "tts", "tts-mini", "x-img", "x-whisper", "voice"}, health.Options{})
	mini := cost.Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "mini", Model: "gpt-4o-mini", Price: config.Price{Input: 0.1}})
	mystery := cost.Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "mystery", Model: "llama3"})
	tts := cost.Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "tts", Model: "tts-1"})
	ttsMini := cost.Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "tts-mini", Model: "gpt-4o-mini-tts"})
	img := cost.Resolve(&config.Provider{Kind: config.KindAzure}, &config.Deployment{Name: "x-img", Model: "my-images", Capabilities: []llm.Capability{llm.CapImages},
		MediaPrice: config.MediaPrice{PerImage: map[string]float64{"": 0.05, "1024x1024/hd": 0.08}}})
	sec := 0.0002
	whisper := cost.Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "x-whisper", Model: "whisper-1", MediaPrice: config.MediaPrice{PerSecond: &sec}})
	voice := cost.Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "voice", Model: "gpt-4o-audio-preview-2024-12-17", Price: config.Price{ChatAudioOutput: 64}})
	mux := http.NewServeMux()
	(&Handler{Health: tr, Prices: map[string]cost.Pricing{"mini": mini, "mystery": mystery, "tts": tts, "tts-mini": ttsMini, "x-img": img, "x-whisper": whisper, "voice": voice}}).Mount(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/health", nil))
	var out struct {
		Deployments []struct {
			Deployment string         `json:"deployment"`
			Price      map[string]any `json:"price"`
		} `json:"deployments"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Deployments) != 7 {
		t.Fatalf("%v %s", err, rec.Body)
	}
	want := []map[string]any{
		{"known": true, "source": "config+catalog", "catalog": "openai/gpt-4o-mini", "catalog_date": cost.CatalogDate(), "input_per_m": 0.1, "cached_input_per_m": 0.075, "output_per_m": 0.6},
		{"known": false, "source": "unknown"},
		// Media: priced by the media table, by what the unit says.
		{"known": true, "source": "catalog", "catalog_date": cost.CatalogDate(), "media": "per input character", "per_character": 1.5e-05},
		{"known": false, "source": "unknown", "media": "unknown"},
		// A chat's audio tokens: the catalog's input, the configured output.
		{"known": true, "source": "config+catalog", "catalog": "openai/gpt-4o-audio-preview-2024-12-17", "catalog_date": cost.CatalogDate(),
			"input_per_m": 2.5, "output_per_m": 10, "chat_audio_input_per_m": 40, "chat_audio_output_per_m": 64},
		// Media priced by the configuration: its rates, no catalog date.
		{"known": true, "source": "config", "media": "per image by size and quality", "per_image": map[string]any{"any": 0.05, "1024x1024/hd": 0.08}},
		{"known": true, "source": "config", "media": "per second of audio", "per_second": 0.0002},
	}
	for i, d := range out.Deployments {
		if len(d.Price) != len(want[i]) {
			t.Errorf("%s price %v, want %v", d.Deployment, d.Price, want[i])
			continue
		}
		for k, v := range want[i] {
			if fmt.Sprint(d.Price[k]) != fmt.Sprint(v) {
				t.Errorf("%s price.%s = %v, want %v", d.Deployment, k, d.Price[k], v)
			}
		}
	}
}

// A Realtime API model's cached audio price is shown with its audio
// prices (the catalog's).
func TestRealtimePriceView(t *testing.T) {
	rt := cost.Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "rt", Model: "gpt-realtime", Capabilities: []llm.Capability{llm.CapRealtime}})
	v := (&Handler{Prices: map[string]cost.Pricing{"rt": rt}}).price("rt")
	if v == nil || v.CachedAudioInput == nil || *v.CachedAudioInput != 0.4 || v.ChatAudioInput == nil || *v.ChatAudioInput != 32 || v.ChatAudioOutput == nil || *v.ChatAudioOutput != 64 {
		t.Errorf("view %+v", v)
	}
}

// A deployment's long-prompt band is shown with its threshold, where it
// comes from and every rate, the derived ones filled in: Gemini 2.5
// Pro's above 200K tokens from the catalog ($2.50 / $15, cached reads
// $0.25; Gemini lists no cache write, which costs the band's input).
func TestHealthShowsLongPromptBand(t *testing.T) {
	g := cost.Resolve(&config.Provider{Kind: config.KindGemini}, &config.Deployment{Name: "g", Model: "gemini-2.5-pro"})
	mini := cost.Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "mini", Model: "gpt-4o-mini"})
	h := &Handler{Prices: map[string]cost.Pricing{"g": g, "mini": mini}}
	b, err := json.Marshal(h.price("g").LongPrompt)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"above_tokens":200000,"source":"catalog","input_per_m":2.5,"cached_input_per_m":0.25,"cache_write_per_m":2.5,"cache_write_1h_per_m":5,"output_per_m":15,"reasoning_per_m":15}`
	if string(b) != want {
		t.Errorf("long_prompt %s\nwant        %s", b, want)
	}
	if v := h.price("mini"); v.LongPrompt != nil {
		t.Errorf("gpt-4o-mini has a band: %+v", v.LongPrompt)
	}
}
