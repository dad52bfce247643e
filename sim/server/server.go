// Package server runs every simulated provider behind one listener, each
// wire format under its own path prefix, with the demo's model catalog:
//
//	/openai/v1/...        OpenAI Chat Completions, Embeddings, Models
//	/azure/openai/...     Azure OpenAI deployments
//	/anthropic/v1/...     Anthropic Messages
//	/gemini/v1beta/...    Gemini generateContent
//
// It backs `switchyard serve --demo`, `switchyard sim`, the end-to-end tests
// and the load harness.
package server

import (
	"net"
	"net/http"
	"time"

	"switchyard/sim"
	simanthropic "switchyard/sim/anthropic"
	simgemini "switchyard/sim/gemini"
	simopenai "switchyard/sim/openai"
)

// Wire names a simulated wire format.
type Wire string

// The simulated wire formats, each mounted under "/" + its name.
const (
	OpenAI    Wire = "openai"
	Azure     Wire = "azure"
	Anthropic Wire = "anthropic"
	Gemini    Wire = "gemini"
)

// Catalogs holds the simulated models of each wire format.
type Catalogs map[Wire][]sim.Profile

// Server is a set of simulated providers. Faults and Behavior are shared
// by all of them, so one rule or drift (or the /_sim/... control APIs
// under any prefix) can target any model.
type Server struct {
	Catalogs Catalogs
	Faults   *sim.Faults
	// Behavior holds the knowledge base, run-time accuracies and drift;
	// it starts empty, answers unchanged.
	Behavior *sim.Behavior
	handler  http.Handler
}

// New returns a server for the catalogs (see DemoCatalogs for the demo's)
// with the given faults; nil means a fresh, empty set.
func New(c Catalogs, faults *sim.Faults) *Server {
	if faults == nil {
		faults = &sim.Faults{}
	}
	b := new(sim.Behavior)
	s := &Server{Catalogs: c, Faults: faults, Behavior: b}
	mux := http.NewServeMux()
	with := sim.WithBehavior(b)
	mount(mux, OpenAI, simopenai.New(sim.NewCatalog(c[OpenAI]...), faults, with))
	mount(mux, Azure, simopenai.NewAzure(sim.NewCatalog(c[Azure]...), faults, with))
	mount(mux, Anthropic, simanthropic.New(sim.NewCatalog(c[Anthropic]...), faults, with))
	mount(mux, Gemini, simgemini.New(sim.NewCatalog(c[Gemini]...), faults, with))
	mux.Handle("/_sim/faults", faults)
	b.Mount(mux)
	s.handler = mux
	return s
}

func mount(mux *http.ServeMux, w Wire, h http.Handler) {
	prefix := "/" + string(w)
	mux.Handle(prefix+"/", http.StripPrefix(prefix, h))
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// BaseURL returns the base_url a provider of wire w should be configured
// with when the server listens at addr (host:port).
func BaseURL(addr string, w Wire) string {
	root := "http://" + addr + "/" + string(w)
	if w == OpenAI {
		return root + "/v1"
	}
	return root
}

// Listen serves s on addr ("127.0.0.1:0" for any free port) in the
// background. It returns the bound address and a function that stops it.
func (s *Server) Listen(addr string) (string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return ln.Addr().String(), func() { hs.Close() }, nil
}

// DemoCatalogs returns the demo's models: per wire format two or three
// chat models of different price, speed and quality, and an embeddings
// model; OpenAI also has a moderation model. scale multiplies every latency (0 gives instant answers for tests
// and benchmarks).
func DemoCatalogs(scale float64) Catalogs {
	ms := func(v float64) time.Duration { return time.Duration(v * scale * float64(time.Millisecond)) }
	tps := func(v float64) float64 {
		if scale == 0 {
			return 0
		}
		return v / scale
	}
	return Catalogs{
		OpenAI: {
			{Model: "gpt-4o", TTFT: ms(450), TTFTJitter: ms(150), TokensPerSecond: tps(90), Quality: 0.9, ContextWindow: 128000, MaxOutputTokens: 16384},
			{Model: "gpt-4o-mini", TTFT: ms(250), TTFTJitter: ms(80), TokensPerSecond: tps(160), Quality: 0.75, ContextWindow: 128000, MaxOutputTokens: 16384},
			{Model: "o3-mini", TTFT: ms(900), TTFTJitter: ms(300), TokensPerSecond: tps(120), Quality: 0.92, Reasoning: true, ContextWindow: 200000, MaxOutputTokens: 65536},
			// Served only on the Responses API: Chat Completions refuses them.
			{Model: "gpt-5.5-pro", TTFT: ms(1500), TTFTJitter: ms(400), TokensPerSecond: tps(60), Quality: 0.97, Reasoning: true, ContextWindow: 1000000, MaxOutputTokens: 128000},
			{Model: "gpt-5.3-codex", TTFT: ms(700), TTFTJitter: ms(200), TokensPerSecond: tps(110), Quality: 0.93, Reasoning: true, ContextWindow: 400000, MaxOutputTokens: 128000},
			// Refuses function tools on Chat Completions unless at reasoning_effort none.
			{Model: "gpt-5.6-terra", TTFT: ms(600), TTFTJitter: ms(200), TokensPerSecond: tps(120), Quality: 0.94, Reasoning: true, ContextWindow: 1050000, MaxOutputTokens: 128000},
			{Model: "text-embedding-3-small", TTFT: ms(60), Embedding: true, Dimensions: 1536},
			{Model: "omni-moderation-latest", TTFT: ms(40), Moderation: true},
			{Model: "dall-e-2", TTFT: ms(300), Images: true},
			{Model: "dall-e-3", TTFT: ms(400), Images: true},
			{Model: "gpt-image-1", TTFT: ms(500), TokensPerSecond: tps(1000), Images: true},
			{Model: "tts-1", TTFT: ms(200), Speech: true},
			{Model: "gpt-4o-mini-tts", TTFT: ms(250), Speech: true},
			{Model: "whisper-1", TTFT: ms(300), Transcription: true},
			{Model: "gpt-4o-transcribe", TTFT: ms(300), TokensPerSecond: tps(60), Transcription: true},
			{Model: "gpt-3.5-turbo-instruct", TTFT: ms(200), TTFTJitter: ms(60), TokensPerSecond: tps(200), Quality: 0.6, ContextWindow: 4096, MaxOutputTokens: 4096, Completion: true},
			{Model: "gpt-realtime", TTFT: ms(300), TTFTJitter: ms(80), TokensPerSecond: tps(60), Quality: 0.85, Realtime: true},
			{Model: "gpt-4o-mini-realtime-preview", TTFT: ms(250), TTFTJitter: ms(80), TokensPerSecond: tps(90), Quality: 0.75, Realtime: true},
		},
		Azure: {
			{Model: "gpt-4o-mini", TTFT: ms(280), TTFTJitter: ms(90), TokensPerSecond: tps(150), Quality: 0.75, ContextWindow: 128000, MaxOutputTokens: 16384},
			{Model: "dall-e-3", TTFT: ms(450), Images: true},
			{Model: "gpt-image-1", TTFT: ms(550), TokensPerSecond: tps(1000), Images: true},
			{Model: "tts-1", TTFT: ms(220), Speech: true},
			{Model: "whisper-1", TTFT: ms(320), Transcription: true},
			{Model: "gpt-realtime", TTFT: ms(320), TTFTJitter: ms(90), TokensPerSecond: tps(60), Quality: 0.85, Realtime: true},
		},
		Anthropic: {
			{Model: "claude-sonnet-4-5", TTFT: ms(600), TTFTJitter: ms(200), TokensPerSecond: tps(80), Quality: 0.93, ContextWindow: 200000, MaxOutputTokens: 64000},
			{Model: "claude-haiku-4-5", TTFT: ms(300), TTFTJitter: ms(100), TokensPerSecond: tps(140), Quality: 0.8, ContextWindow: 200000, MaxOutputTokens: 64000},
			// Served by the simulator (adaptive thinking only, every effort
			// level), not a demo deployment.
			{Model: "claude-opus-4-7", TTFT: ms(900), TTFTJitter: ms(250), TokensPerSecond: tps(60), Quality: 0.95, ContextWindow: 1000000, MaxOutputTokens: 128000},
			// Generation 5, served by the simulator with the API's rules
			// per model (thinking cannot be off on Opus 5.5, between_tools
			// on Sonnet 5.5, neither forces a tool nor takes sampling).
			{Model: "claude-opus-5-5", TTFT: ms(900), TTFTJitter: ms(250), TokensPerSecond: tps(70), Quality: 0.96, ContextWindow: 1000000, MaxOutputTokens: 128000},
			{Model: "claude-sonnet-5-5", TTFT: ms(600), TTFTJitter: ms(200), TokensPerSecond: tps(90), Quality: 0.94, ContextWindow: 1000000, MaxOutputTokens: 128000},
		},
		Gemini: {
			{Model: "gemini-2.5-pro", TTFT: ms(800), TTFTJitter: ms(250), TokensPerSecond: tps(100), Quality: 0.91, Reasoning: true, ContextWindow: 1048576, MaxOutputTokens: 65536},
			{Model: "gemini-2.5-flash", TTFT: ms(200), TTFTJitter: ms(70), TokensPerSecond: tps(220), Quality: 0.78, ContextWindow: 1048576, MaxOutputTokens: 65536},
			{Model: "gemini-embedding-001", TTFT: ms(50), Embedding: true, Dimensions: 768},
		},
	}
}
