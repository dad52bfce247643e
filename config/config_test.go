package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

// env returns a getenv over a fixed map.
func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

// allKeys is a getenv that sets every variable named *_KEY to
// "test-<NAME>", and no other.
func allKeys(k string) (string, bool) {
	if strings.HasSuffix(k, "_KEY") {
		return "test-" + k, true
	}
	return "", false
}

func mustParse(t *testing.T, data []byte, getenv func(string) (string, bool)) *Config {
	t.Helper()
	c, err := Parse(data, getenv)
	if err != nil {
		t.Fatalf("Parse: unexpected error:\n%v", err)
	}
	return c
}

func TestParseFull(t *testing.T) {
	data, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := mustParse(t, data, env(map[string]string{
		"SWITCHYARD_API_KEY":   "sy-key",
		"OPENAI_API_KEY":       "sk-openai",
		"AZURE_OPENAI_API_KEY": "az-key",
		"ANTHROPIC_API_KEY":    "sk-ant",
		"GEMINI_API_KEY":       "gm-key",
		"OPENAI_API_KEY_2":     "sk-openai-2",
		"EU_KEY":               "sk-eu",
	}))

	wantServer := Server{Addr: "0.0.0.0:9090", MaxBodyBytes: 2 << 20, RequestTimeout: 2 * time.Minute, ShutdownTimeout: 45 * time.Second,
		ReadTimeout: 20 * time.Second, WriteTimeout: 15 * time.Second, IdleTimeout: 90 * time.Second, ReadHeaderTimeout: 5 * time.Second,
		MaxConcurrentRequests: 256, MaxInflightBytes: 32 << 20, MaxAudioBytes: DefaultMaxAudioBytes, MaxImageBytes: 32 << 20, MaxAnswerBytes: 8 << 20,
		Realtime: Realtime{IdleTimeout: DefaultRealtimeIdleTimeout, MaxMessageBytes: DefaultRealtimeMaxMessageBytes, ConnectTimeout: DefaultRealtimeConnectTimeout, Keepalive: DefaultRealtimeKeepalive, MaxStreams: DefaultRealtimeMaxStreams}}
	if !reflect.DeepEqual(c.Server, wantServer) {
		t.Errorf("Server = %+v, want %+v", c.Server, wantServer)
	}
	if want := []Key{{Key: "sy-key"}, {Key: "static-key-2"}}; !reflect.DeepEqual(c.Auth.Keys, want) || c.AuthDisabled() {
		t.Errorf("Auth.Keys = %+v (disabled %v), want %+v", c.Auth.Keys, c.AuthDisabled(), want)
	}

	const lif = BalanceLeastInFlight
	wantProviders := map[string]*Provider{
		"openai": {Name: "openai", Kind: "openai", BaseURL: "https://api.openai.com/v1", APIKey: "sk-openai",
			Headers: map[string]string{"X-Org": "acme"}, Timeout: time.Minute,
			APIKeys: []string{"sk-openai-2", "static-openai-3"},
			Endpoints: []Endpoint{
				{BaseURL: "https://eu.openai.example.com/v1", APIKey: "sk-eu", Weight: 3},
				{APIKey: "static-openai-4"},
				{BaseURL: "https://us.openai.example.com/v1"},
			},
			Balance: BalanceWeighted},
		"azure": {Name: "azure", Kind: "azure", BaseURL: "https://acme.openai.azure.com", APIKey: "az-key",
			APIVersion: "2025-01-01-preview", APIKeys: []string{"az-key-2"}, Balance: lif},
		"azure-regions": {Name: "azure-regions", Kind: "azure", APIVersion: DefaultAzureAPIVersion, Balance: lif,
			Endpoints: []Endpoint{
				{BaseURL: "https://acme-east.openai.azure.com", APIKey: "az-east"},
				{BaseURL: "https://acme-west.openai.azure.com", APIKey: "az-west"},
			}},
		"anthropic": {Name: "anthropic", Kind: "anthropic", BaseURL: "https://api.anthropic.com", APIKey: "sk-ant",
			APIVersion: DefaultAnthropicVersion, Balance: lif},
		"gemini": {Name: "gemini", Kind: "gemini", BaseURL: "https://generativelanguage.googleapis.com", APIKey: "gm-key", Balance: lif},
		"ollama": {Name: "ollama", Kind: "openai", BaseURL: "http://localhost:11434/v1", Balance: lif},
		"groq": {Name: "groq", Kind: "openai", BaseURL: "https://api.groq.com/openai/v1", APIKey: "unset-groq",
			Headers: map[string]string{"X-Price": "$5"}, Balance: lif},
	}
	if !reflect.DeepEqual(c.Providers, wantProviders) {
		for name, p := range c.Providers {
			t.Logf("got %s: %+v", name, *p)
		}
		t.Errorf("Providers differ")
	}

	mini := c.Deployments["gpt-4o-mini"]
	wantMini := &Deployment{Name: "gpt-4o-mini", Provider: "openai", Model: "gpt-4o-mini-2024-07-18",
		Price: Price{Input: 0.15, Output: 0.60, CachedInput: 0.075, Set: PriceInput | PriceOutput | PriceCachedInput}, ContextWindow: 128000, MaxOutputTokens: 16384,
		// Every capability but moderation, the media ones, completions and realtime, which would make it no chat model.
		Capabilities: slices.DeleteFunc(slices.Clone(capabilities), func(c llm.Capability) bool {
			return slices.Contains([]llm.Capability{llm.CapModeration, llm.CapImages, llm.CapSpeech, llm.CapTranscription, llm.CapCompletions, llm.CapRealtime}, c)
		})}
	if !reflect.DeepEqual(mini, wantMini) {
		t.Errorf("gpt-4o-mini = %+v, want %+v", mini, wantMini)
	}
	if got := c.Deployments["llama3"].Model; got != "llama3" {
		t.Errorf("llama3 model = %q, want the deployment name", got)
	}
	if got := c.Deployments["azure-4o"].Price; got != (Price{Input: 2.5, Output: 10, Set: PriceInput | PriceOutput}) {
		t.Errorf("azure-4o price = %+v", got)
	}
	wantNames := []string{"azure-4o", "azure-4o-regions", "claude-haiku", "gemini-flash", "gpt-4o-mini", "llama-3.3-70b", "llama3"}
	if got := c.DeploymentNames(); !reflect.DeepEqual(got, wantNames) {
		t.Errorf("DeploymentNames = %q, want %q", got, wantNames)
	}
	if got, want := c.RouteNames(), []string{"auto", "local/only"}; !reflect.DeepEqual(got, want) {
		t.Errorf("RouteNames = %q, want %q", got, want)
	}
	wantAuto := &Route{Name: "auto", Description: "Everything, cheapest first",
		Deployments: []string{"gpt-4o-mini", "gemini-flash", "claude-haiku", "azure-4o"},
		Hedge:       Hedge{After: 400 * time.Millisecond, Quantile: 0.9}}
	if !reflect.DeepEqual(c.Routes["auto"], wantAuto) {
		t.Errorf("auto = %+v, want %+v", c.Routes["auto"], wantAuto)
	}
	if got, want := c.Routes["local/only"].Hedge, (Hedge{After: DefaultHedgeAfter, Quantile: 0.95}); got != want {
		t.Errorf("local/only hedge = %+v, want %+v (the default after as fallback)", got, want)
	}

	zero := 0
	wantResilience := Resilience{
		Retries: &zero, Backoff: 50 * time.Millisecond, BackoffMax: time.Second, StallTimeout: 20 * time.Second,
		Health: Health{
			Window: 30 * time.Second, MinRequests: 20, FailureRatio: 0.25, ConsecutiveFailures: 4,
			OpenFor: 15 * time.Second, Probes: 2, ProbeSuccesses: 3,
			SpikeFactor: 2.5, SpikeCount: 4, SpikeWindow: 30 * time.Minute, ProbeInterval: 5 * time.Second, RecoverProbes: 2,
		},
	}
	if !reflect.DeepEqual(c.Resilience, wantResilience) {
		t.Errorf("Resilience = %+v, want %+v", c.Resilience, wantResilience)
	}
}

func TestParseDefaults(t *testing.T) {
	c := mustParse(t, []byte(`
auth: {keys: []}
providers:
  local: {kind: openai, base_url: "http://127.0.0.1:8000/v1"}
  az: {kind: azure, base_url: "https://x.openai.azure.com", api_key: k}
  azv1: {kind: azure, base_url: "https://x.openai.azure.com/openai/v1/", api_key: k}
deployments:
  m: {provider: local}
`), nil)
	want := Server{Addr: DefaultAddr, MaxBodyBytes: DefaultMaxBodyBytes, RequestTimeout: DefaultRequestTimeout, ShutdownTimeout: DefaultShutdownTimeout,
		ReadTimeout: DefaultReadTimeout, WriteTimeout: DefaultWriteTimeout, IdleTimeout: DefaultIdleTimeout, ReadHeaderTimeout: DefaultReadHeaderTimeout,
		MaxConcurrentRequests: DefaultMaxConcurrentRequests, MaxInflightBytes: DefaultMaxInflightBytes, MaxAudioBytes: DefaultMaxAudioBytes, MaxImageBytes: DefaultMaxImageBytes,
		MaxAnswerBytes: DefaultMaxAnswerBytes,
		Realtime:       Realtime{IdleTimeout: DefaultRealtimeIdleTimeout, MaxMessageBytes: DefaultRealtimeMaxMessageBytes, ConnectTimeout: DefaultRealtimeConnectTimeout, Keepalive: DefaultRealtimeKeepalive, MaxStreams: DefaultRealtimeMaxStreams}}
	if !reflect.DeepEqual(c.Server, want) {
		t.Errorf("Server = %+v, want defaults %+v", c.Server, want)
	}
	if !c.AuthDisabled() {
		t.Error("AuthDisabled() = false for an empty key list")
	}
	if got := c.Providers["az"].APIVersion; got != DefaultAzureAPIVersion {
		t.Errorf("azure api_version = %q, want %q", got, DefaultAzureAPIVersion)
	}
	if got := c.Providers["azv1"].APIVersion; got != "" { // the v1 API refuses a dated one
		t.Errorf("azure v1 api_version = %q, want none", got)
	}
	if got := c.Deployments["m"]; got.Model != "m" || got.Name != "m" {
		t.Errorf("deployment = %+v, want model and name m", got)
	}
}

func TestExampleParses(t *testing.T) {
	c := mustParse(t, Example(), allKeys)
	if len(c.Deployments) == 0 || len(c.Routes) == 0 || c.AuthDisabled() {
		t.Errorf("example config is thin: %d deployments, %d routes, auth disabled %v",
			len(c.Deployments), len(c.Routes), c.AuthDisabled())
	}
	// Without the variables, each one is reported, at its own field.
	_, err := Parse(Example(), nil)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("Parse(example, no env) = %v, want 4 unset-variable errors", err)
	}
}

// TestDocsExamples parses each YAML block of docs/config.md that starts
// with "# switchyard.yaml", so the reference cannot drift from the code.
func TestDocsExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(# switchyard\\.yaml.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("no full example found in docs/config.md")
	}
	for i, b := range blocks {
		if _, err := Parse(b[1], allKeys); err != nil {
			t.Errorf("docs/config.md example %d:\n%v", i+1, err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "switchyard.yaml")
	if err := os.WriteFile(path, []byte("providers:\n  p: {kind: nope}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.File != path {
		t.Fatalf("Load error = %v, want FieldErrors with File %q", err, path)
	}
	if !strings.HasPrefix(err.Error(), path+":2:") {
		t.Errorf("Load error = %q, want it to start with %q", err, path+":2:")
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestDeploymentLLM(t *testing.T) {
	d := &Deployment{Name: "n", Provider: "p", Model: "m", Price: Price{Input: 1, Output: 2, CachedInput: 0.5},
		ContextWindow: 10, MaxOutputTokens: 5, Capabilities: []llm.Capability{llm.CapTools}}
	got := d.LLM()
	want := llm.Deployment{Name: "n", Provider: "p", Model: "m", InputPricePerM: 1, OutputPricePerM: 2,
		CachedInputPricePerM: 0.5, ContextWindow: 10, MaxOutputTokens: 5, Capabilities: []llm.Capability{llm.CapTools}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LLM() = %+v, want %+v", got, want)
	}
	got.Capabilities[0] = llm.CapMath
	if d.Capabilities[0] != llm.CapTools {
		t.Error("LLM() shares the capabilities slice")
	}
}

func TestValidateGoConfig(t *testing.T) {
	c := &Config{
		Providers:   map[string]*Provider{"openai": {Kind: KindOpenAI, APIKey: "k"}},
		Deployments: map[string]*Deployment{"mini": {Provider: "openai", Model: "gpt-4o-mini"}},
		Routes:      map[string]*Route{"auto": {Deployments: []string{"mini"}}},
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if c.Server.Addr != DefaultAddr || c.Providers["openai"].BaseURL != "https://api.openai.com/v1" ||
		c.Providers["openai"].Name != "openai" || c.Routes["auto"].Name != "auto" {
		t.Errorf("defaults not applied: %+v %+v", c.Server, c.Providers["openai"])
	}

	c.Routes["bad"] = &Route{Deployments: []string{"mnii"}}
	c.Deployments["x"] = nil
	c.Providers["openai"].Name = "other"
	err := c.Validate()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Validate = %v, want Errors", err)
	}
	want := []string{
		`deployments.x: is empty (a deployment needs at least a provider)`,
		`providers.openai.name: Name "other" differs from its key "openai" (leave Name empty or equal to the key)`,
		`routes.bad.deployments[0]: deployment "mnii" is not configured (did you mean "mini"?; configured deployments: mini, x)`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("Validate errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	src := `x-base: &base
  kind: openai
  api_key: shared
  timeout: 5s
x-caps: &caps [tools, streaming]
providers:
  a: {<<: *base, timeout: 9s}
  b:
    <<: [{api_key: first}, *base]
deployments:
  d: {provider: a, capabilities: *caps}
`
	c := mustParse(t, []byte(src), nil)
	if p := c.Providers["a"]; p.Kind != "openai" || p.APIKey != "shared" || p.Timeout != 9*time.Second {
		t.Errorf("a = %+v, want merged base with its own timeout", p)
	}
	if p := c.Providers["b"]; p.APIKey != "first" || p.Timeout != 5*time.Second {
		t.Errorf("b = %+v, want the first merged mapping to win", p)
	}
	if got := c.Deployments["d"].Capabilities; len(got) != 2 || got[1] != llm.CapStreaming {
		t.Errorf("capabilities = %q", got)
	}

	// Nested merges of lists of aliases are bounded, not exponential.
	var b strings.Builder
	b.WriteString("x-a0: &a0 {k: 1}\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "x-a%d: &a%d {<<: [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]}\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("server: {<<: *a12}\n")
	_, err := Parse([]byte(b.String()), nil)
	findError(t, err, "server", "too many merge keys")
}
