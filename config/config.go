// Package config holds Switchyard's configuration: the schema of
// switchyard.yaml, its loading with ${ENV} expansion, defaults, and
// validation that reports every mistake at once with its file position,
// field path and a hint at what would be right.
//
// The reference for users is docs/config.md; Example returns a commented
// starting file.
package config

import (
	"fmt"
	"os"
	"slices"
	"time"

	"switchyard/llm"
)

// Defaults applied to unset (zero) fields.
const (
	DefaultAddr         = "127.0.0.1:8080"
	DefaultMaxBodyBytes = 10 << 20 // 10 MiB
	// DefaultMaxAudioBytes bounds an audio upload (transcriptions and
	// translations): OpenAI's own limit, 25 MB.
	DefaultMaxAudioBytes = 25 << 20
	// DefaultMaxImageBytes bounds an image upload (image edits and
	// variations): OpenAI's limit on one GPT image model input, 50 MB.
	DefaultMaxImageBytes   = 50 << 20
	DefaultRequestTimeout  = 10 * time.Minute
	DefaultShutdownTimeout = 30 * time.Second
	// DefaultAzureAPIVersion is the api-version sent to Azure OpenAI.
	DefaultAzureAPIVersion = "2024-10-21"
	// DefaultAnthropicVersion is the anthropic-version header value.
	DefaultAnthropicVersion = "2023-06-01"
	// DefaultQuality is the quality prior of a deployment that sets none.
	DefaultQuality = 0.5
)

// The provider kinds (wire formats) a provider may have.
const (
	KindOpenAI    = "openai"
	KindAzure     = "azure"
	KindAnthropic = "anthropic"
	KindGemini    = "gemini"
)

// kinds lists the provider kinds, in the order the docs give them.
var kinds = []string{KindOpenAI, KindAzure, KindAnthropic, KindGemini}

// defaultBaseURL is the public API root of each kind; azure has none.
var defaultBaseURL = map[string]string{
	KindOpenAI:    "https://api.openai.com/v1",
	KindAnthropic: "https://api.anthropic.com",
	KindGemini:    "https://generativelanguage.googleapis.com",
}

// capabilities lists the capability names a deployment may declare.
var capabilities = []llm.Capability{
	llm.CapTools, llm.CapJSONMode, llm.CapJSONSchema, llm.CapVision, llm.CapStreaming,
	llm.CapEmbeddings, llm.CapModeration, llm.CapImages, llm.CapSpeech, llm.CapTranscription, llm.CapReasoning, llm.CapMultilingual, llm.CapCode, llm.CapMath, llm.CapLogprobs,
	llm.CapCompletions, llm.CapBatch, llm.CapRealtime,
}

// Config is a whole switchyard.yaml. Parse and Load return it with defaults
// applied and validated; a Config built in Go should be passed through
// Validate before use. It is not modified after that and is then safe for
// concurrent reads.
type Config struct {
	Server Server
	Auth   Auth
	// Providers, Deployments and Routes are keyed by name; each value's
	// Name equals its key.
	Providers   map[string]*Provider
	Deployments map[string]*Deployment
	Routes      map[string]*Route
	// Resilience tunes retries, stall timeouts and health tracking.
	Resilience Resilience
	// Store is where the request log is kept (see store.go).
	Store Store
	// State says where budgets and rate limits shared by several router
	// processes live (see state.go).
	State State
	// Budgets are the spending limits per tenant, key or route (see
	// budgets.go); nil means none.
	Budgets []Budget
	// Telemetry tunes metric labels and turns on traces (see telemetry.go).
	Telemetry Telemetry
	// Learn tunes feedback: the implicit signals and the scores (see
	// learn.go).
	Learn Learn
	// Security is what only the file may set: the upstream hosts
	// allowlist (see security.go).
	Security Security
	// Drift configures quality monitoring: golden sets on a schedule and
	// the live traffic monitor (see drift.go).
	Drift Drift
	// Tenants are the tenants' shared limits and what their keys may ask
	// for, by tenant name (see tenants.go); nil means none.
	Tenants map[string]*Tenant
	// Guard scans every request's prompt and sanitizes its answer (see
	// guard.go); a route's own Guard replaces it part by part. The zero
	// value does neither.
	Guard Guard
	// Audit says how long the audit trail and the configuration versions
	// are kept (see audit.go).
	Audit Audit
	// Notify says where budget alerts and the scheduled report are sent
	// (see notify.go).
	Notify Notify
	// Responses says whether the Responses API keeps the responses
	// created with store true, and how long (see responses.go).
	Responses Responses
	// Batches configures the Files and Batch APIs (see batches.go).
	Batches Batches
	// Cost tunes how answers are priced (see service_tier.go).
	Cost Cost
	// Thinking bounds the memory of the thinking behind tool calls,
	// shared through Redis with state.driver redis (see thinking.go).
	Thinking Thinking

	// pos is where Parse found each field (CheckLearned positions its
	// errors with it); file is the path Load read.
	pos  map[string]position
	file string
	// securitySet reports that the text had a security section; written
	// is that section (lower-cased), nil without one.
	securitySet bool
	written     *Security
}

// Server configures the HTTP listener.
type Server struct {
	// Addr is the listen address; empty means DefaultAddr.
	Addr string
	// MaxBodyBytes bounds a request body; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxAudioBytes bounds the body of a transcription or translation
	// request (a multipart audio upload), instead of MaxBodyBytes; zero
	// means DefaultMaxAudioBytes, or MaxInflightBytes when that is lower.
	// It may not be above MaxInflightBytes.
	MaxAudioBytes int64
	// MaxImageBytes bounds the body of an image edit or variation request
	// (a multipart image upload), instead of MaxBodyBytes; zero means
	// DefaultMaxImageBytes, or MaxInflightBytes when that is lower. It
	// may not be above MaxInflightBytes.
	MaxImageBytes int64
	// Realtime bounds the Realtime API's WebSocket sessions.
	Realtime Realtime
	// RequestTimeout is the total deadline of one request; zero means
	// DefaultRequestTimeout.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds the drain on SIGTERM; zero means
	// DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// ShutdownDelay is how long, on SIGTERM, the router keeps accepting
	// and serving with /readyz answering 503 before the drain begins, so
	// that load balancers (a Kubernetes Service's endpoints) stop sending
	// it new requests first; zero means none.
	ShutdownDelay time.Duration
	// AdminListen, if set, is the listen address of the operational
	// endpoints (/metrics, /admin/, plus /healthz and /readyz); they then
	// answer 404 on Addr. Empty means they are served on Addr.
	AdminListen string
	// ReadTimeout bounds reading one request's body; zero means
	// DefaultReadTimeout.
	ReadTimeout time.Duration
	// WriteTimeout bounds each write or flush of a response; zero means
	// DefaultWriteTimeout.
	WriteTimeout time.Duration
	// IdleTimeout is how long a keep-alive connection may wait for its
	// next request; zero means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// ReadHeaderTimeout bounds reading one request's headers (a client
	// dribbling them is cut); zero means DefaultReadHeaderTimeout.
	ReadHeaderTimeout time.Duration
	// MaxConcurrentRequests bounds the API requests served at once; zero
	// means DefaultMaxConcurrentRequests.
	MaxConcurrentRequests int
	// MaxInflightBytes bounds the body bytes of the API requests served at
	// once; zero means the larger of DefaultMaxInflightBytes and
	// MaxBodyBytes. It may not be below MaxBodyBytes.
	MaxInflightBytes int64
	// MaxAnswerBytes bounds an answer the router holds whole in memory (a
	// complete one, and a streamed Responses API one, whose last event
	// carries it all), as llm.AnswerBytes counts it; zero means
	// DefaultMaxAnswerBytes. From MinMaxAnswerBytes to MaxMaxAnswerBytes.
	MaxAnswerBytes int64
	// LogFormat is LogText or LogJSON, the format of the router's log
	// lines; empty means LogText.
	LogFormat string
	// Dashboard says whether the web dashboard is served at /ui/, beside
	// /admin/ (on AdminListen when set); nil means it is (DashboardOn).
	Dashboard *bool
	// TrustedOrigins are the origins (scheme://host[:port]) of browser
	// applications whose unsafe requests the browser guards let through:
	// the operational endpoints', and the API's where it needs no key.
	TrustedOrigins []string
}

// DashboardOn reports whether the web dashboard is served: unless
// server.dashboard is false.
func (s *Server) DashboardOn() bool { return s.Dashboard == nil || *s.Dashboard }

// Provider is an API endpoint family with its credentials.
type Provider struct {
	// Name is the provider's key in Config.Providers; empty means the key.
	Name string
	// Kind is the wire format: KindOpenAI, KindAzure, KindAnthropic or KindGemini.
	Kind string
	// BaseURL is the API root, without a trailing slash; empty means the
	// kind's public default (azure has none and requires it, unless every
	// Endpoint has its own).
	BaseURL string
	// APIKey is the credential; it may be empty only for a loopback
	// BaseURL, or in a pool whose members all have keys of their own (see
	// Members). It never appears in errors.
	APIKey string
	// APIVersion is the Azure api-version or the anthropic-version header;
	// empty means DefaultAzureAPIVersion or DefaultAnthropicVersion. Other
	// kinds must leave it empty.
	APIVersion string
	// Headers are extra headers sent on every upstream request; nil means
	// none. Their values never appear in errors.
	Headers map[string]string
	// Timeout bounds one upstream call; zero means only the request
	// deadline applies.
	Timeout time.Duration
	// APIKeys and Endpoints make a key pool: requests are spread over
	// APIKey, each of APIKeys and each Endpoint (Members lists them
	// resolved), by Balance (BalanceLeastInFlight, the default, or
	// BalanceWeighted), and a key that gets a 429 rests for its
	// Retry-After. Nil means one key. Keys never appear in errors.
	APIKeys   []string
	Endpoints []Endpoint
	// Balance is BalanceLeastInFlight or BalanceWeighted; empty means
	// DefaultBalance.
	Balance string
	// PromptCache is PromptCacheAuto or PromptCacheOff: with auto (kind
	// anthropic only), the router marks prompt-cache breakpoints on the
	// requests of clients that cannot mark their own (see
	// docs/providers.md); empty means PromptCacheOff. Breakpoints a client
	// marked are sent either way.
	PromptCache string
	// ServiceTier is ServiceTierSend or ServiceTierDrop: whether the
	// client's service_tier is sent (kind openai and azure only); empty
	// means by the host (TakesServiceTier).
	ServiceTier string
	// ThinkingSwitch is where the host takes a Qwen model's thinking
	// switch (kind openai only): ThinkingSwitchEnableThinking,
	// ThinkingSwitchChatTemplate or ThinkingSwitchNone; empty means by
	// the host (QwenThinkingSwitch).
	ThinkingSwitch string
}

// DeploymentNames returns the deployment names, sorted.
func (c *Config) DeploymentNames() []string { return sortedKeys(c.Deployments) }

// RouteNames returns the route names, sorted.
func (c *Config) RouteNames() []string { return sortedKeys(c.Routes) }

// ProviderNames returns the provider names, sorted.
func (c *Config) ProviderNames() []string { return sortedKeys(c.Providers) }

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Load reads and parses the file at path, expanding ${VAR} from the process
// environment. A read failure is returned wrapped (errors.Is works with
// fs.ErrNotExist, ErrTooLarge past MaxBytes); configuration mistakes come back as Errors whose File is
// path.
func Load(path string) (*Config, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, _, err := ParseText(data, ParseOptions{Path: path, Getenv: os.LookupEnv})
	return c, err
}

// continuation maps the configured style onto the domain's ("none" is
// llm.ContinueNone).
func continuation(s string) llm.Continuation {
	if s == "none" {
		return llm.ContinueNone
	}
	return llm.Continuation(s)
}

// File returns the path of the file c was read from (ParseOptions.Path);
// empty for a text parsed without one, or a Config built in Go.
func (c *Config) File() string { return c.file }
