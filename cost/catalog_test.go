package cost

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

func TestCatalogIsDatedAndSourced(t *testing.T) {
	if CatalogDate() != "2026-12-06" {
		t.Errorf("CatalogDate() = %q", CatalogDate())
	}
	if src := CatalogSource(); !bytes.Contains([]byte(src), []byte("shared datasets")) || !bytes.Contains([]byte(src), []byte("LiteLLM")) {
		t.Errorf("CatalogSource() = %q: it should say the file came from the shared datasets, in LiteLLM's format", src)
	}
	if src := CatalogSource(); !strings.Contains(src, "catalog_current.tsv") {
		t.Errorf("CatalogSource() = %q: it should name the current-prices file", src)
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
	entries := 0
	for _, es := range loadCatalog().entries {
		entries += len(es)
	}
	if lines != entries {
		t.Errorf("%d lines, %d entries: a line was lost", lines, entries)
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
	cmd := exec.Command("go", generateArgs(t, out, mediaOut)...)
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

// generateArgs returns the go command's arguments on catalog.go's
// generate directive (what go generate runs), writing to out and mediaOut.
func generateArgs(t *testing.T, out, mediaOut string) []string {
	t.Helper()
	src, err := os.ReadFile("catalog.go")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(src)) {
		cmdline, ok := strings.CutPrefix(strings.TrimSpace(line), "//go:generate go ")
		if !ok || !strings.Contains(cmdline, "catalogen") {
			continue
		}
		args := strings.Fields(cmdline)
		for i := 1; i < len(args); i++ {
			switch args[i-1] {
			case "-out":
				args[i] = out
			case "-media-out":
				args[i] = mediaOut
			}
		}
		return args
	}
	t.Fatal("catalog.go has no go:generate line running catalogen")
	return nil
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
	if _, ok := parseEntry(catalogLine(map[int]string{8: "-1"})); ok {
		t.Error("a negative window parsed")
	}
	if e, ok := parseEntry("openai\tm\tchat\t1\t-\t-\t2\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-"); !ok || e.ContextWindow != 0 {
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
	if e, ok := parseEntry("openai\tm\tchat\t1\t-\t-\t2\t-\t-\t0.5\t1\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-"); !ok || e.BatchInput != 0.5 || e.BatchOutput != 1 {
		t.Errorf("batch prices: %+v %v", e, ok)
	}
	for _, line := range []string{catalogLine(map[int]string{9: "-0.5", 10: "1"}), catalogLine(map[int]string{9: "x", 10: "1"}),
		"openai\tm\tchat\t1\t-\t-\t2\t-\t-", catalogLine(map[int]string{11: "-1"}),
		catalogLine(map[int]string{13: "-0.3"}), catalogLine(nil) + "\t-"} {
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

// catalogLine is a valid catalog line (openai's model m at $1 in, $2
// out, nothing else listed) with the columns set (by index) replaced.
func catalogLine(set map[int]string) string {
	f := strings.Split("openai\tm\tchat\t1\t-\t-\t2"+strings.Repeat("\t-", 14), "\t")
	for i, v := range set {
		f[i] = v
	}
	return strings.Join(f, "\t")
}

// A model priced for a time only has an entry per period: Lookup finds
// the one in force today, none before the first or after the last.
func TestCatalogDatedPrices(t *testing.T) {
	promo := catalogLine(map[int]string{1: "flash", 3: "0.75", 6: "3.75", 20: "2026-12-31"})
	list := catalogLine(map[int]string{1: "flash", 3: "1.5", 6: "7.5", 19: "2027-01-01"})
	c := parseCatalog(promo + "\n" + list + "\n")
	for _, tc := range []struct {
		day  string
		want float64 // input price; 0 for none
	}{{"2026-12-06", 0.75}, {"2026-12-31", 0.75}, {"2027-01-01", 1.5}, {"2031-05-05", 1.5}} {
		e := inForce(c.entries[[2]string{"openai", "flash"}], tc.day)
		if e == nil || e.Price.Input != tc.want {
			t.Errorf("%s: %+v, want input $%v", tc.day, e, tc.want)
		}
	}
	later := parseCatalog(catalogLine(map[int]string{19: "2027-01-01"}))
	if e := inForce(later.entries[[2]string{"openai", "m"}], "2026-12-06"); e != nil {
		t.Errorf("a price from 2027 is in force in 2026: %+v", e)
	}
	// The embedded catalog: Gemini 3.8 Flash's promotion ends 2026-12-31.
	defer func(f func() string) { today = f }(today)
	for day, want := range map[string]float64{"2026-12-31": 0.75, "2027-01-01": 1.5} {
		today = func() string { return day }
		if e, ok := Lookup("gemini", "gemini-3.8-flash"); !ok || e.Price.Input != want {
			t.Errorf("gemini-3.8-flash on %s: $%v (found %v), want $%v", day, e.Price.Input, ok, want)
		}
	}
}

// Today's models are priced (the current-prices file over the price
// file): Claude 5.x, GPT-5.x and 6.x, Gemini 3.x and 4; and prices the
// price file had wrong are corrected (Gemini 2.5's cached reads).
func TestCatalogCurrentModels(t *testing.T) {
	for _, tc := range []struct {
		vendor, model   string
		in, cached, out float64
	}{
		{"anthropic", "claude-opus-5-5", 4, 0.2, 20},
		{"anthropic", "claude-sonnet-5-5", 2, 0.1, 10},
		{"anthropic", "claude-haiku-5-5", 0.1, 0.01, 0.5},
		{"anthropic", "claude-fable-5-2", 8, 0.2, 40},
		{"anthropic", "claude-haiku-4-5-20251001", 1, 0.1, 5},
		{"openai", "gpt-6.2-sol", 2, 0.1, 10},
		{"openai", "gpt-5.4-mini", 0.75, 0.075, 4.5},
		{"azure", "gpt-5.4-mini", 0.75, 0.075, 4.5}, // Azure falls back to OpenAI's
		{"gemini", "gemini-4-argon", 4, 0.2, 20},
		{"gemini", "models/gemini-3.1-flash-lite", 0.25, 0.025, 1.5},
		{"gemini", "gemini-2.5-flash", 0.3, 0.03, 2.5},
	} {
		e, ok := Lookup(tc.vendor, tc.model)
		if !ok || e.Price.Input != tc.in || e.Price.CachedInput != tc.cached || e.Price.Output != tc.out {
			t.Errorf("%s/%s: %+v (found %v), want $%v / cached $%v / $%v", tc.vendor, tc.model, e.Price, ok, tc.in, tc.cached, tc.out)
		}
	}
	// A field the current file leaves out keeps the price file's: Gemini
	// 2.5 Flash's input window.
	if e, _ := Lookup("gemini", "gemini-2.5-flash"); e.ContextWindow != 1_048_576 {
		t.Errorf("gemini-2.5-flash: window %d, want the price file's 1,048,576", e.ContextWindow)
	}
}
