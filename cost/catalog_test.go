package cost

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

func TestCatalogIsDatedAndSourced(t *testing.T) {
	if CatalogDate() != "2026-12-03" {
		t.Errorf("CatalogDate() = %q", CatalogDate())
	}
	if src := CatalogSource(); !bytes.Contains([]byte(src), []byte("shared datasets")) || !bytes.Contains([]byte(src), []byte("LiteLLM")) {
		t.Errorf("CatalogSource() = %q: it should say the file came from the shared datasets, in LiteLLM's format", src)
	}
	if n := CatalogSize(); n < 300 || n > 1000 {
		t.Errorf("CatalogSize() = %d: the catalog should hold the supported vendors' chat, embedding and moderation models only", n)
	}
}

// Every line of the embedded catalog parses: a line parseCatalog skips is
// a model the router would silently not know.
func TestCatalogLinesAllParse(t *testing.T) {
	lines := 0
	for _, l := range bytes.Split([]byte(catalogTSV), []byte("\n")) {
		if len(l) > 0 && l[0] != '#' {
			lines++
			if _, ok := parseEntry(string(l)); !ok {
				t.Errorf("catalog line does not parse: %q", l)
			}
		}
	}
	if lines != CatalogSize() {
		t.Errorf("%d lines, %d entries: two lines share a vendor and name", lines, CatalogSize())
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		vendor, model string
		want          string // vendor/model of the entry; "" for none
		in, out       float64
	}{
		// exact names
		{"openai", "gpt-4o", "openai/gpt-4o", 2.5, 10},
		{"openai", "GPT-4o-Mini", "openai/gpt-4o-mini", 0.15, 0.6},
		{"anthropic", "claude-3-5-haiku-20241022", "anthropic/claude-3-5-haiku-20241022", 0.8, 4},
		{"gemini", "gemini-2.0-flash", "gemini/gemini-2.0-flash", 0.1, 0.4},
		{"openai", "text-embedding-3-small", "openai/text-embedding-3-small", 0.02, 0},
		{"groq", "openai/gpt-oss-20b", "groq/openai/gpt-oss-20b", 0.1, 0.5},
		// a snapshot with its own price is not its undated name's
		{"openai", "gpt-4o-2024-05-13", "openai/gpt-4o-2024-05-13", 5, 15},
		// prefixes
		{"gemini", "models/gemini-2.0-flash", "gemini/gemini-2.0-flash", 0.1, 0.4},
		{"openai", "azure/gpt-4o", "azure/gpt-4o", 2.5, 10},
		{"openai", "gemini/gemini-2.0-flash", "gemini/gemini-2.0-flash", 0.1, 0.4},
		{"openai", "deepseek/deepseek-chat", "deepseek/deepseek-chat", 0.27, 1.1},
		{"anthropic", "anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic/claude-3-5-sonnet-20241022", 3, 15},
		{"openai", "ft:gpt-4o-mini-2024-07-18:acme::x1y2", "openai/ft:gpt-4o-mini-2024-07-18", 0.3, 1.2},
		// Azure lists OpenAI's models at OpenAI's prices
		{"azure", "gpt-4o", "azure/gpt-4o", 2.5, 10},
		{"azure", "chatgpt-4o-latest", "openai/chatgpt-4o-latest", 5, 15},
		// dated snapshots without an entry fall back to the undated name
		{"openai", "gpt-4o-mini-2031-01-01", "openai/gpt-4o-mini", 0.15, 0.6},
		{"anthropic", "claude-3-opus@20240229", "anthropic/claude-3-opus-20240229", 15, 75},
		{"anthropic", "claude-3-haiku-20990101", "", 0, 0}, // no undated claude-3-haiku entry
		{"gemini", "gemini-2.0-flash-lite-009", "gemini/gemini-2.0-flash-lite", 0.075, 0.3},
		{"openai", "gpt-4-0999", "openai/gpt-4", 30, 60},
		// unknown: never a guess across families or vendors
		{"openai", "gpt-4o-mini-tuned", "", 0, 0},
		{"openai", "llama3", "", 0, 0},
		{"openai", "claude-3-5-sonnet-20241022", "", 0, 0},
		{"anthropic", "gpt-4o", "", 0, 0},
		{"gemini", "gemini-9-ultra", "", 0, 0},
		{"openai", "", "", 0, 0},
	} {
		e, ok := Lookup(tc.vendor, tc.model)
		got := ""
		if ok {
			got = e.Vendor + "/" + e.Model
		}
		if got != tc.want || ok && (e.Price.Input != tc.in || e.Price.Output != tc.out) {
			t.Errorf("Lookup(%s, %q) = %q %+v, want %q in %v out %v", tc.vendor, tc.model, got, e.Price, tc.want, tc.in, tc.out)
		}
	}
}

// The catalog lists cached reads, cache writes and reasoning where the
// source does.
func TestLookupListsEveryPriceKind(t *testing.T) {
	e, _ := Lookup("anthropic", "claude-3-5-sonnet-20241022")
	if e.Price.CachedInput != 0.3 || e.Price.CacheWrite != 3.75 || !e.Price.Has(config.PriceCacheWrite) || e.Price.Has(config.PriceReasoning) {
		t.Errorf("claude-3-5-sonnet: %+v", e.Price)
	}
	e, _ = Lookup("gemini", "gemini-2.5-flash-preview-04-17")
	if e.Price.Reasoning != 3.5 || e.Price.Output != 0.6 || e.Price.CachedInput != 0.0375 {
		t.Errorf("gemini-2.5-flash-preview-04-17: %+v", e.Price)
	}
	e, _ = Lookup("openai", "gpt-4o")
	if e.Price.CachedInput != 1.25 || e.Price.Has(config.PriceCacheWrite) {
		t.Errorf("gpt-4o: %+v", e.Price)
	}
	if e, _ := Lookup("openai", "text-embedding-3-large"); !e.Embedding {
		t.Error("text-embedding-3-large is not marked an embeddings model")
	}
	for _, m := range []string{"omni-moderation-latest", "omni-moderation-2024-09-26", "text-moderation-latest"} {
		e, ok := Lookup("openai", m)
		if !ok || !e.Moderation || e.Embedding || e.Price.Input != 0 || e.Price.Output != 0 || !e.Price.Has(config.PriceInput|config.PriceOutput) {
			t.Errorf("%s: %+v, %v; want a free moderation model", m, e, ok)
		}
	}
}

func TestStripSnapshot(t *testing.T) {
	for in, want := range map[string]string{
		"gpt-4o-2024-08-06":          "gpt-4o",
		"claude-3-5-sonnet-20241022": "claude-3-5-sonnet",
		"claude-3-5-sonnet@20240620": "claude-3-5-sonnet",
		"gemini-1.5-pro-002":         "gemini-1.5-pro",
		"gpt-3.5-turbo-0613":         "gpt-3.5-turbo",
		"mistral-large-2407":         "mistral-large",
		"gpt-4o":                     "",
		"o3-mini":                    "",
		"mixtral-8x7b-32768":         "",
		"gpt-4o-2024-8-6":            "",
	} {
		got, ok := stripSnapshot(in)
		if got != want || ok != (want != "") {
			t.Errorf("stripSnapshot(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// The committed catalog is what the generator makes of the shared price
// file: nobody edited it by hand, and the generator still works.
func TestCatalogMatchesGenerator(t *testing.T) {
	src := filepath.Join("..", "..", "shared", "datasets", "routing", "model_prices.json")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("the shared price file is not here (%v): cannot regenerate the catalog to compare", err)
	}
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	out, mediaOut := filepath.Join(t.TempDir(), "catalog.tsv"), filepath.Join(t.TempDir(), "media.tsv")
	cmd := exec.Command("go", "run", "./internal/catalogen", "-in", src, "-date", CatalogDate(), "-out", out, "-media-out", mediaOut)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("catalogen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte(catalogTSV)) {
		t.Error("cost/catalog.tsv differs from the generator's output: run go generate ./cost")
	}
	if got, err := os.ReadFile(mediaOut); err != nil || !bytes.Equal(got, []byte(mediaTSV)) {
		t.Errorf("cost/media.tsv differs from the generator's output (%v): run go generate ./cost", err)
	}
}

func TestCatalogContextWindow(t *testing.T) {
	for _, tc := range []struct {
		vendor, model string
		want          int
	}{
		{"openai", "gpt-4o-mini", 128_000},
		{"gemini", "gemini-2.5-flash", 1_048_576},
		{"anthropic", "claude-3-5-haiku-20241022", 200_000},
	} {
		if e, ok := Lookup(tc.vendor, tc.model); !ok || e.ContextWindow != tc.want {
			t.Errorf("%s/%s: window %d (found %v), want %d", tc.vendor, tc.model, e.ContextWindow, ok, tc.want)
		}
	}
	if _, ok := parseEntry("openai\tm\tchat\t1\t-\t-\t2\t-\t-1\t-\t-\t-\t-"); ok {
		t.Error("a negative window parsed")
	}
	if e, ok := parseEntry("openai\tm\tchat\t1\t-\t-\t2\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-"); !ok || e.ContextWindow != 0 {
		t.Errorf("no window listed: %+v %v", e, ok)
	}
	var d llm.Deployment
	Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "m", Model: "gpt-4o-mini"}).Apply(&d)
	if d.ContextWindow != 128_000 {
		t.Errorf("Apply: window %d, want the catalog's", d.ContextWindow)
	}
	d = llm.Deployment{ContextWindow: 8000}
	Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "m", Model: "gpt-4o-mini"}).Apply(&d)
	if d.ContextWindow != 8000 {
		t.Errorf("Apply: window %d, want the configured 8000", d.ContextWindow)
	}
}

// The batch API's prices: listed for OpenAI's models, half the standard
// ones; absent for a model the source prices no batch for.
func TestCatalogBatchPrices(t *testing.T) {
	if e, ok := Lookup("openai", "gpt-4o-mini"); !ok || e.BatchInput != 0.075 || e.BatchOutput != 0.3 {
		t.Errorf("gpt-4o-mini: batch %v / %v (found %v), want 0.075 / 0.3", e.BatchInput, e.BatchOutput, ok)
	}
	if e, ok := parseEntry("openai\tm\tchat\t1\t-\t-\t2\t-\t-\t0.5\t1\t-\t-\t-\t-\t-\t-\t-\t-"); !ok || e.BatchInput != 0.5 || e.BatchOutput != 1 {
		t.Errorf("batch prices: %+v %v", e, ok)
	}
	for _, line := range []string{"openai\tm\tchat\t1\t-\t-\t2\t-\t-\t-0.5\t1\t-\t-\t-\t-\t-\t-\t-\t-", "openai\tm\tchat\t1\t-\t-\t2\t-\t-\tx\t1\t-\t-\t-\t-\t-\t-\t-\t-",
		"openai\tm\tchat\t1\t-\t-\t2\t-\t-", "openai\tm\tchat\t1\t-\t-\t2\t-\t-\t-\t-\t-1\t-\t-\t-\t-\t-\t-\t-",
		"openai\tm\tchat\t1\t-\t-\t2\t-\t-\t-\t-\t-\t-\t-0.3\t-\t-\t-\t-\t-", "openai\tm\tchat\t1\t-\t-\t2\t-\t-\t-\t-\t-\t-"} {
		if _, ok := parseEntry(line); ok {
			t.Errorf("%q parsed", line)
		}
	}
}

// A chat's audio tokens: the catalog lists their prices for OpenAI's audio
// models (gpt-4o-audio-preview-2024-12-17: $40 / $80 per 1M, sixteen and
// eight times its text prices), and a usage's audio tokens are priced at
// them, the rest as text; a model the catalog prices no audio for prices
// them as text.
func TestAudioTokenPrices(t *testing.T) {
	e, ok := Lookup("openai", "gpt-4o-audio-preview-2024-12-17")
	if !ok || e.AudioInput != 40 || e.AudioOutput != 80 {
		t.Fatalf("gpt-4o-audio-preview-2024-12-17: audio %v / %v (found %v), want 40 / 80", e.AudioInput, e.AudioOutput, ok)
	}
	var d llm.Deployment
	Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "a", Model: "gpt-4o-audio-preview-2024-12-17"}).Apply(&d)
	u := llm.Usage{PromptTokens: 1000, AudioPromptTokens: 400, CompletionTokens: 500, AudioCompletionTokens: 300}
	// 600 text × $2.5 + 400 audio × $40 + 200 text × $10 + 300 audio × $80, per 1M.
	if got, want := d.Cost(u), (600*2.5+400*40+200*10+300*80)/1e6; math.Abs(got-want) > 1e-12 {
		t.Errorf("audio usage on the audio model: $%v, want $%v", got, want)
	}
	var text llm.Deployment
	Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "m", Model: "gpt-4o-mini"}).Apply(&text)
	if got, want := text.Cost(u), (1000*0.15+500*0.6)/1e6; math.Abs(got-want) > 1e-12 {
		t.Errorf("audio usage on a model with no audio price: $%v, want $%v (as text)", got, want)
	}
}

// The Realtime API's models: the catalog lists their cached audio input
// price (the source's, or OpenAI's listed one where the source has none),
// which Apply gives their deployments.
func TestCatalogCachedAudio(t *testing.T) {
	for model, want := range map[string]float64{"gpt-realtime": 0.4, "gpt-4o-realtime-preview-2024-12-17": 2.5, "gpt-4o-mini-realtime-preview": 0.3, "gpt-4o-mini": 0} {
		if e, ok := Lookup("openai", model); !ok || e.CachedAudioInput != want {
			t.Errorf("%s: cached audio %v (found %v), want %v", model, e.CachedAudioInput, ok, want)
		}
	}
	var d llm.Deployment
	Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "rt", Model: "gpt-realtime"}).Apply(&d)
	if d.CachedAudioInputPricePerM != 0.4 || d.AudioInputPricePerM != 32 || d.AudioOutputPricePerM != 64 || d.InputPricePerM != 4 {
		t.Errorf("Apply: %+v", d)
	}
}
