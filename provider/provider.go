// Package provider defines the contract of an upstream model API and a
// registry of adapters by kind. Each wire format lives in its own package
// (provider/openai, provider/anthropic, provider/gemini) and registers itself
// in init(); provider/all imports them all.
package provider

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/coder/websocket"

	"switchyard/llm"
	"switchyard/provider/thinking"
)

// Provider is an upstream chat API: it streams (see llm.ChatProvider for
// the contract). Optional interfaces add more: Embedder, Moderator,
// Imager, ImageEditor, Speaker, Transcriber, MediaStreamer.
type Provider = llm.ChatProvider

// Embedder is implemented by providers that serve embeddings.
type Embedder interface {
	Embed(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error)
}

// Moderator is implemented by providers that may serve moderations
// (OpenAI's POST /v1/moderations).
type Moderator interface {
	// Moderates reports whether this provider's upstream has a
	// moderations endpoint: the OpenAI-wire adapter does for kind openai
	// (OpenAI, Mistral), not for kind azure (Azure OpenAI has none).
	Moderates() bool
	// Moderate classifies req's inputs. The answer has one result per
	// input (req.Inputs()); an upstream answer that is not a moderations
	// answer, or has another count, is a KindUpstream error.
	Moderate(ctx context.Context, req *llm.ModerationRequest) (*llm.ModerationResponse, error)
}

// Imager is implemented by providers that serve image generation
// (OpenAI's POST /v1/images/generations; Azure OpenAI's deployment
// route).
type Imager interface {
	// GenerateImages sends req's body with its model set to req.Model and
	// returns the answer, its body as it came. An answer that is not an
	// images answer is a KindUpstream error.
	GenerateImages(ctx context.Context, req *llm.ImageRequest) (*llm.ImageResponse, error)
}

// Speaker is implemented by providers that serve text to speech (OpenAI's
// POST /v1/audio/speech).
type Speaker interface {
	// Speak sends req's body with its model set to req.Model and returns
	// the audio once the upstream answered 2xx, to be read as it arrives;
	// the caller must close it. Until then, errors are as for Chat.
	Speak(ctx context.Context, req *llm.SpeechRequest) (*llm.AudioStream, error)
}

// Transcriber is implemented by providers that serve transcription and
// translation (OpenAI's POST /v1/audio/transcriptions and
// /v1/audio/translations).
type Transcriber interface {
	// Transcribe sends req as a multipart form with its model set to
	// req.Model and returns the answer, its body as it came.
	Transcribe(ctx context.Context, req *llm.TranscriptionRequest) (*llm.TranscriptionResponse, error)
}

// ImageEditor is implemented by providers that serve image edits and
// variations (OpenAI's POST /v1/images/edits and /v1/images/variations;
// Azure OpenAI's deployment route for edits).
type ImageEditor interface {
	// EditImages sends req as a multipart form with its model set to
	// req.Model and returns the answer, its body as it came. An answer
	// that is not an images answer is a KindUpstream error.
	EditImages(ctx context.Context, req *llm.ImageEditRequest) (*llm.ImageResponse, error)
}

// MediaStreamer is implemented by providers that stream media answers as
// server-sent events (image generation and edits, transcription, with
// stream true).
type MediaStreamer interface {
	// StreamMedia sends req with its model set to req.Model() and, once
	// the upstream answered 2xx with an event stream, returns its body
	// to be read as it arrives; the caller must close it. Until then,
	// errors are as for Chat; a 2xx answer that is no event stream is a
	// KindUpstream error.
	StreamMedia(ctx context.Context, req *llm.MediaStreamRequest) (io.ReadCloser, error)
}

// Realtimer is implemented by providers that serve the Realtime API: a
// WebSocket session with an upstream model (OpenAI's GET
// /v1/realtime?model=…, Azure OpenAI's realtime route).
type Realtimer interface {
	// DialRealtime opens a session with model (the upstream's model or
	// Azure deployment) under the provider's own credentials, ctx bounding
	// the handshake only. The caller must close the connection. A
	// handshake the upstream refused is an *llm.Error mapped from its
	// status as for Chat (429 and 5xx retryable), a failure to reach it a
	// retryable KindUpstream or KindTimeout one; none carries the key.
	DialRealtime(ctx context.Context, model string) (*websocket.Conn, error)
}

// MediaServer is implemented by providers that implement Imager, Speaker
// and Transcriber but may serve none of them (a pool, by its members).
type MediaServer interface {
	// ServesMedia reports whether the provider serves the media endpoint
	// of capability c (llm.CapImages, CapSpeech, CapTranscription).
	ServesMedia(c llm.Capability) bool
}

// Config is what an adapter needs to reach its upstream.
type Config struct {
	// Name is the configured provider name, used in errors and logs.
	Name string
	// Kind is the wire format: "openai", "azure", "anthropic", "gemini".
	Kind string
	// BaseURL is the API root, e.g. "https://api.openai.com/v1". Empty means
	// the kind's public default.
	BaseURL string
	// APIKey is the credential; it never appears in errors or logs.
	APIKey string
	// APIVersion is the Azure api-version or the Anthropic version header;
	// empty means the adapter's default.
	APIVersion string
	// Headers are extra headers sent on every upstream request.
	Headers map[string]string
	// HTTPClient is the client to use; nil means a shared client tuned for
	// many concurrent upstream connections. Whatever its CheckRedirect,
	// adapters never follow redirects (see UpstreamClient).
	HTTPClient *http.Client
	// Timeout bounds each upstream call until its answer starts (its
	// headers; a body that is not an event stream, whole): past it the
	// call fails with a CallTimeoutError (WithCallTimeout). Zero means
	// no bound but the caller's context.
	Timeout time.Duration
	// Logger receives the adapter's warnings (an undecodable stream event
	// skipped, say); nil means slog.Default().
	Logger *slog.Logger
	// AutoCache asks the adapter to mark prompt-cache breakpoints on the
	// requests whose client could not mark its own (llm.Request.
	// ClientCaching false) and that carry none (config prompt_cache:
	// auto). Only the anthropic adapter has breakpoints; the others
	// ignore it.
	AutoCache bool
	// ServiceTier says the upstream takes the client's service_tier
	// (config.Provider.TakesServiceTier): the openai adapter sends it only
	// then; the anthropic adapter always sends Claude's, the gemini
	// adapter never one.
	ServiceTier bool
	// ThinkingSwitch is where the upstream takes a Qwen model's thinking
	// switch (config.Provider.QwenThinkingSwitch): "enable_thinking",
	// "chat_template_kwargs" or "none" (switchyard/wire/openai
	// ThinkingSwitch); empty means none. Only the openai adapter reads it.
	ThinkingSwitch string
	// Thinking keeps the extended thinking of answers that call tools, so
	// that the loop's next turn can send it back when its client could
	// not (switchyard/provider/thinking): the anthropic adapter keeps
	// Claude's thinking blocks, the gemini adapter its calls' thought
	// signatures, the openai adapter the reasoning items of a Responses
	// API deployment. Nil keeps none.
	Thinking *thinking.Memory
}

// Factory builds a provider from its config.
type Factory func(Config) (Provider, error)

var (
	mu       sync.RWMutex
	registry = map[string]Factory{}
)

// Register makes a provider kind available. It panics if the kind is taken.
func Register(kind string, f Factory) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[kind]; dup {
		panic("provider: Register called twice for kind " + kind)
	}
	registry[kind] = f
}

// New builds a provider of cfg.Kind. It fails for an unknown kind.
func New(cfg Config) (Provider, error) {
	mu.RLock()
	f, ok := registry[cfg.Kind]
	mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("provider %q: unknown kind %q (known: %v)", cfg.Name, cfg.Kind, Kinds())
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = DefaultHTTPClient
	}
	cfg.HTTPClient = WithCallTimeout(cfg.HTTPClient, cfg.Timeout)
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return f(cfg)
}

// Kinds lists the registered kinds, sorted.
func Kinds() []string {
	mu.RLock()
	defer mu.RUnlock()
	ks := make([]string, 0, len(registry))
	for k := range registry {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// DefaultHTTPClient is shared by providers that were given no client. It has
// no overall timeout (streams may be long); deadlines come from contexts.
// It follows no redirect (NoRedirects).
var DefaultHTTPClient = &http.Client{Transport: NewTransport(), CheckRedirect: NoRedirects}

// NewTransport returns a transport tuned for a gateway: many idle
// connections per host, HTTP/2 when offered, bounded dial and TLS times.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = 90 * time.Second
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 0
	t.ForceAttemptHTTP2 = true
	return t
}
