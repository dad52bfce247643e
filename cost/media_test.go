package cost

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

func TestMediaCosts(t *testing.T) {
	d3, _ := LookupMedia("dall-e-3")
	d2, _ := LookupMedia("dall-e-2")
	gi, _ := LookupMedia("azure/gpt-image-1")
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-4 } // the source's per-pixel prices are rounded
	for _, c := range []struct {
		p             *MediaPrice
		size, quality string
		n             int
		want          float64
		ok            bool
	}{
		{d3, "", "", 1, 0.04, true},                 // standard 1024x1024: $0.040
		{d3, "1024x1792", "hd", 1, 0.12, true},      // $0.120
		{d3, "auto", "auto", 2, 0.08, true},         // defaults
		{gi, "1024x1024", "low", 3, 0.033, true},    // $0.011 each
		{gi, "1536x1024", "high", 1, 0.25, true},    // $0.25
		{gi, "auto", "medium", 1, 0, false},         // size unknown
		{gi, "1024x1024", "", 1, 0, false},          // quality unknown
		{d3, "256x256", "standard", 1, 0, false},    // not a dall-e-3 size
		{nil, "1024x1024", "standard", 1, 0, false}, // not a media model
		{d2, "1024x1024", "", 1, 0.02, true},        // 1.9e-08 a pixel: $0.019923 from the source, $0.020 at OpenAI
		{d2, "512x512", "", 1, 0.018, true},
		{gi, "1024x1536", "medium", 1, 0.063, true},
	} {
		got, ok := c.p.ImageCost(c.size, c.quality, c.n)
		if ok != c.ok || got != c.want { // exact: a price reads $0.04, not $0.039999923814
			t.Errorf("ImageCost(%q, %q, %d) = %g, %v; want %g, %v", c.size, c.quality, c.n, got, ok, c.want, c.ok)
		}
	}
	tts, _ := LookupMedia("tts-1-hd")
	if usd, ok := tts.SpeechCost(1000); !ok || !near(usd, 0.03) {
		t.Errorf("tts-1-hd 1000 chars = %g, %v", usd, ok)
	}
	mini, _ := LookupMedia("gpt-4o-mini-tts")
	if _, ok := mini.SpeechCost(1000); ok {
		t.Error("gpt-4o-mini-tts is priced by audio tokens, which a speech answer does not report: its cost must be unknown")
	}
	w, _ := LookupMedia("whisper-1")
	if usd, ok := w.TranscriptionCost(90, 0, 0, 0); !ok || !near(usd, 0.009) {
		t.Errorf("whisper-1 90 s = %g, %v", usd, ok)
	}
	if _, ok := w.TranscriptionCost(0, 0, 0, 0); ok {
		t.Error("whisper-1 with no duration is priced")
	}
	g4, _ := LookupMedia("gpt-4o-transcribe-2025-03-20")
	if usd, ok := g4.TranscriptionCost(0, 1000, 100, 200); !ok || !near(usd, 1000*6e-6+100*2.5e-6+200*1e-5) {
		t.Errorf("gpt-4o-transcribe = %g, %v", usd, ok)
	}
	if _, ok := LookupMedia("gpt-4o"); ok {
		t.Error("gpt-4o is a media model")
	}
}

// TestMediaPrices compares the media table with the source's
// image_generation, audio_speech and audio_transcription entries for
// OpenAI, when the shared datasets are there.
func TestMediaPrices(t *testing.T) {
	data, err := os.ReadFile("../../shared/datasets/routing/model_prices.json")
	if err != nil {
		t.Skip("the shared datasets are not here:", err)
	}
	var src map[string]map[string]any
	if err := json.Unmarshal(data, &src); err != nil {
		t.Fatal(err)
	}
	num := func(e map[string]any, k string) float64 { f, _ := e[k].(float64); return f }
	checked := 0
	for key, e := range src {
		if e["litellm_provider"] != "openai" || strings.HasPrefix(key, "openai/") {
			continue
		}
		parts := strings.Split(key, "/")
		model := parts[len(parts)-1]
		p, ok := LookupMedia(model)
		switch e["mode"] {
		case "image_generation":
			if len(parts) == 1 {
				continue // gpt-image-1's unqualified entry: the medium price
			}
			q, size := "standard", parts[len(parts)-2]
			if len(parts) == 3 {
				q = parts[0]
			}
			size = strings.ReplaceAll(size, "-x-", "x")
			if !ok || p.PerPixel[q+"/"+size] != num(e, "input_cost_per_pixel") {
				t.Errorf("%s: table has %v, source %g", key, p, num(e, "input_cost_per_pixel"))
			}
		case "audio_speech":
			if !ok || p.Kind != llm.CapSpeech || p.PerCharacter != num(e, "input_cost_per_character") {
				t.Errorf("%s: table %+v, source %v", key, p, e)
			}
		case "audio_transcription":
			if !ok || p.Kind != llm.CapTranscription || p.PerSecond != num(e, "input_cost_per_second") || p.AudioInputPerToken != num(e, "input_cost_per_audio_token") || p.OutputPerToken != num(e, "output_cost_per_token") {
				t.Errorf("%s: table %+v, source %v", key, p, e)
			}
		default:
			continue
		}
		checked++
	}
	if checked < 15 {
		t.Errorf("compared %d entries; the source should have more", checked)
	}
}

// The generated media table knows each of OpenAI's media models with its
// kind and unit, and every data line of it parses.
func TestMediaTable(t *testing.T) {
	for model, unit := range map[string]string{
		"dall-e-2": UnitPerImage, "dall-e-3": UnitPerImage, "gpt-image-1": UnitPerImage,
		"tts-1": UnitPerCharacter, "tts-1-hd": UnitPerCharacter, "gpt-4o-mini-tts": UnitUnknown,
		"whisper-1": UnitPerSecond, "gpt-4o-transcribe": UnitPerToken, "gpt-4o-mini-transcribe": UnitPerToken,
	} {
		if p, ok := LookupMedia(model); !ok || p.Unit() != unit {
			t.Errorf("%s: %+v, %v; want priced %s", model, p, ok, unit)
		}
	}
	if d3, _ := LookupMedia("dall-e-3"); d3.DefaultSize != "1024x1024" || d3.DefaultQuality != "standard" || len(d3.PerPixel) != 6 {
		t.Errorf("dall-e-3: %+v", d3)
	}
	lines := 0
	for l := range strings.Lines(mediaTSV) {
		if !strings.HasPrefix(l, "#") {
			lines++
			if f := strings.Split(strings.TrimSpace(l), "\t"); len(f) != 4 {
				t.Errorf("media line %q", l)
			}
		}
	}
	if lines < 25 || len(loadMedia()) != 9 {
		t.Errorf("%d lines, %d models", lines, len(loadMedia()))
	}
}

func TestResolveMedia(t *testing.T) {
	openai := &config.Provider{Kind: config.KindOpenAI}
	p := Resolve(openai, &config.Deployment{Name: "d", Model: "dall-e-3"})
	if !p.Known || p.Media == nil || p.Source != SourceCatalog || p.ServesChat {
		t.Errorf("dall-e-3: %+v", p)
	}
	p = Resolve(openai, &config.Deployment{Name: "f", Model: "flux-pro", Capabilities: []llm.Capability{llm.CapImages}})
	if p.Known || p.Media != nil || p.Source != SourceUnknown {
		t.Errorf("an unknown image model: %+v", p)
	}
	cfg := &config.Config{Providers: map[string]*config.Provider{"p": openai}, Deployments: map[string]*config.Deployment{
		"f": {Name: "f", Provider: "p", Model: "flux-pro", Capabilities: []llm.Capability{llm.CapImages}}}}
	if w := Warnings(cfg); len(w) != 1 || !strings.Contains(w[0], "media price table cannot price model \"flux-pro\"") {
		t.Errorf("warnings %q", w)
	}
}

// gpt-4o-mini-tts is a speech model the table cannot price: unknown, and
// warned about.
func TestResolveUnpricedMedia(t *testing.T) {
	openai := &config.Provider{Kind: config.KindOpenAI}
	p := Resolve(openai, &config.Deployment{Name: "t", Model: "gpt-4o-mini-tts"})
	if p.Known || p.Media == nil || p.ServesChat || p.Source != SourceUnknown {
		t.Errorf("gpt-4o-mini-tts: %+v", p)
	}
	cfg := &config.Config{Providers: map[string]*config.Provider{"p": openai}, Deployments: map[string]*config.Deployment{
		"t": {Name: "t", Provider: "p", Model: "gpt-4o-mini-tts"}}}
	if w := Warnings(cfg); len(w) != 1 || !strings.Contains(w[0], `cannot price model "gpt-4o-mini-tts"`) {
		t.Errorf("warnings %q", w)
	}
}

// A per-image price far from a tenth of a cent is kept as computed.
func TestPerImageKeepsOtherPrices(t *testing.T) {
	for in, want := range map[float64]float64{0.039999923814: 0.04, 0.0123456: 0.0123456, 0.0004: 0.0004, 0.25000014: 0.25} {
		if got := perImage(in); got != want {
			t.Errorf("perImage(%v) = %v, want %v", in, got, want)
		}
	}
}
