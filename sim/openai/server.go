// Package openai is the simulated OpenAI API: Chat Completions and the
// Responses API (plain and streamed), Embeddings, Moderations, image generation, speech,
// transcription and translation, and Models, validated as strictly as
// the real API and answering in its exact wire format, with the latency,
// error rate and faults of sim profiles. NewAzure serves the same models on Azure
// OpenAI's routes, authentication and error shapes.
//
// It exists so provider/openai, the gateway and the official SDKs can be
// tested with no keys and no network.
package openai

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// maxBody bounds a request body, as the real API does.
const maxBody = 32 << 20

// server serves one catalog; openai and azure differ in routes, auth and
// some error shapes.
type server struct {
	models   sim.Catalog
	faults   *sim.Faults
	behavior *sim.Behavior
	cache    sim.PromptCache
	azure    bool
	mux      *http.ServeMux
	// files and batches are the Files and Batch APIs' (New only).
	files   fileStore
	batches batchStore
}

// New returns the simulated OpenAI API for models, injecting faults (nil
// means none) and answering through the Behavior of opts, if any. It
// serves POST /v1/chat/completions (refusing the models OpenAI serves only
// on the Responses API), POST /v1/responses (responses.go), POST
// /v1/completions (completions-only models), POST /v1/embeddings, POST
// /v1/moderations, POST /v1/images/generations (streamed too), POST
// /v1/images/edits and /v1/images/variations, POST /v1/audio/speech,
// POST /v1/audio/transcriptions and /v1/audio/translations, GET
// /v1/models,
// GET /v1/models/{model}, DashScope's chat route for Qwen's models (POST
// /compatible-mode/v1/chat/completions, qwen.go), Google's OpenAI
// compatibility route for Gemini's (POST /v1beta/openai/chat/completions,
// google_compat.go), OpenRouter's (POST /api/v1/chat/completions,
// openrouter.go), DeepSeek's (POST /chat/completions) and Groq's (POST
// /openai/v1/chat/completions), which take text content only as a string
// (string_content.go), the Files and Batch APIs a batch needs
// (batches.go), the fault control API at /_sim/faults, the batch
// control API at /_sim/batches and, with
// a Behavior, its control API (sim.Behavior.Mount). Any non-empty bearer
// key is accepted.
func New(models sim.Catalog, faults *sim.Faults, opts ...sim.Option) http.Handler {
	s := newServer(models, faults, false, sim.Apply(opts))
	s.mux.HandleFunc("POST /v1/chat/completions", s.handle(s.bearer, s.chat))
	s.mux.HandleFunc("POST /compatible-mode/v1/chat/completions", s.handle(s.bearer, func(c *call) { c.dashScope = true; s.chat(c) }))
	s.mux.HandleFunc("POST /v1beta/openai/chat/completions", s.handle(s.bearer, func(c *call) { c.googleCompat = true; s.chat(c) }))
	s.mux.HandleFunc("POST /api/v1/chat/completions", s.handle(s.bearer, func(c *call) { c.openRouter = true; s.chat(c) }))
	s.mux.HandleFunc("POST /chat/completions", s.handle(s.bearer, func(c *call) { c.deepSeek = true; s.chat(c) }))
	s.mux.HandleFunc("POST /openai/v1/chat/completions", s.handle(s.bearer, func(c *call) { c.groq = true; s.chat(c) }))
	s.mux.HandleFunc("POST /v1/completions", s.handle(s.bearer, s.completions))
	s.mux.HandleFunc("POST /v1/responses", s.handle(s.bearer, s.responses))
	s.mux.HandleFunc("POST /v1/embeddings", s.handle(s.bearer, s.embeddings))
	s.mux.HandleFunc("POST /v1/moderations", s.handle(s.bearer, s.moderations))
	s.mux.HandleFunc("POST /v1/images/generations", s.handle(s.bearer, s.images))
	s.mux.HandleFunc("POST /v1/audio/speech", s.handle(s.bearer, s.speech))
	s.mux.HandleFunc("POST /v1/audio/transcriptions", s.handle(s.bearer, s.transcriptions))
	s.mux.HandleFunc("POST /v1/audio/translations", s.handle(s.bearer, s.translations))
	s.mux.HandleFunc("GET /v1/models", s.handle(s.bearer, s.listModels))
	s.mux.HandleFunc("GET /v1/realtime", s.realtime)
	s.mux.HandleFunc("GET /v1/models/{model}", s.handle(s.bearer, s.getModel))
	s.mountImageEdits()
	s.mux.HandleFunc("POST /v1/files", s.handle(s.bearer, s.uploadFile))
	s.mux.HandleFunc("GET /v1/files/{file_id}", s.handle(s.bearer, s.getFile))
	s.mux.HandleFunc("GET /v1/files/{file_id}/content", s.handle(s.bearer, s.fileContent))
	s.mux.HandleFunc("POST /v1/batches", s.handle(s.bearer, s.createBatch))
	s.mux.HandleFunc("GET /v1/batches", s.handle(s.bearer, s.listBatches))
	s.mux.HandleFunc("GET /v1/batches/{batch_id}", s.handle(s.bearer, s.getBatch))
	s.mux.HandleFunc("POST /v1/batches/{batch_id}/cancel", s.handle(s.bearer, s.cancelBatch))
	s.mux.Handle("/_sim/batches", &s.batches.book)
	return s
}

func newServer(models sim.Catalog, faults *sim.Faults, azure bool, set sim.Settings) *server {
	if faults == nil {
		faults = new(sim.Faults)
	}
	s := &server{models: models, faults: faults, behavior: set.Behavior, azure: azure, mux: http.NewServeMux()}
	s.mux.Handle("/_sim/faults", faults)
	if set.Behavior != nil {
		set.Behavior.Mount(s.mux)
	}
	s.mux.HandleFunc("/", s.notFound)
	return s
}

// ServeHTTP implements http.Handler.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if s.azure {
		id := newUUID()
		h.Set("Apim-Request-Id", id)
		h.Set("X-Request-Id", id)
		h.Set("X-Ms-Region", "Sim Central")
	} else {
		h.Set("X-Request-Id", "req_"+randHex(32))
		h.Set("Openai-Version", "2020-10-01")
		h.Set("Openai-Organization", "user-sim")
	}
	s.mux.ServeHTTP(w, r)
}

// call is one request being served.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	start time.Time
	// model is the Azure deployment from the path; empty for OpenAI.
	model string
	// dashScope reports a call on DashScope's compatible-mode path
	// (qwen.go).
	dashScope bool
	// googleCompat reports a call on Google's OpenAI compatibility path
	// (google_compat.go).
	googleCompat bool
	// openRouter reports a call on OpenRouter's path (openrouter.go, host_usage.go).
	openRouter bool
	// deepSeek and groq report a call on DeepSeek's path or Groq's
	// (string_content.go).
	deepSeek, groq bool
	// mistral reports a call on the simulated Mistral API (mistral.go).
	mistral bool
}

// handle wraps a handler with an authentication check.
func (s *server) handle(auth func(*call) bool, h func(*call)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w, r: r, start: time.Now()}
		if auth(c) {
			h(c)
		}
	}
}

// bearer checks OpenAI's Authorization: Bearer KEY.
func (s *server) bearer(c *call) bool {
	auth := c.r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(auth, "Bearer ")
	if ok && strings.TrimSpace(key) != "" {
		return true
	}
	c.fail(http.StatusUnauthorized, apiError{
		Message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
		Type:    "invalid_request_error",
	})
	return false
}

// notFound answers an unknown route the way the real API does.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, start: time.Now()}
	if s.azure {
		c.azureFail(http.StatusNotFound, "404", "Resource not found")
		return
	}
	c.fail(http.StatusNotFound, apiError{
		Message: fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path),
		Type:    "invalid_request_error",
	})
}

// apiError is OpenAI's error object; empty Param and Code encode as null.
type apiError struct {
	Message string
	Type    string
	Param   string
	Code    string
}

func (e apiError) MarshalJSON() ([]byte, error) {
	type body struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	}
	b := body{Message: e.Message, Type: e.Type}
	if e.Param != "" {
		b.Param = &e.Param
	}
	if e.Code != "" {
		b.Code = &e.Code
	}
	return json.Marshal(map[string]body{"error": b})
}

// header sets the headers every answer carries and writes the status.
func (c *call) header(status int, contentType string) {
	h := c.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Openai-Processing-Ms", strconv.FormatInt(time.Since(c.start).Milliseconds(), 10))
	c.w.WriteHeader(status)
}

// writeJSON answers status with the JSON body.
func (c *call) writeJSON(status int, body []byte) {
	c.header(status, "application/json")
	c.w.Write(body)
}

// fail answers with an OpenAI error object.
func (c *call) fail(status int, e apiError) {
	b, _ := json.Marshal(e)
	c.writeJSON(status, append(b, '\n'))
}

// failLLM answers with an *llm.Error as the wire codec shapes it.
func (c *call) failLLM(e *llm.Error) {
	c.writeJSON(e.HTTPStatus(), append(wire.AppendError(nil, e), '\n'))
}

// azureFail answers with Azure's own {"error":{"code","message"}} shape.
func (c *call) azureFail(status int, code, msg string) {
	b, _ := json.Marshal(map[string]map[string]string{"error": {"code": code, "message": msg}})
	c.writeJSON(status, append(b, '\n'))
}

// readBody reads the request body, answering 413 when it is too large.
func (c *call) readBody() ([]byte, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, maxBody))
	if err != nil {
		c.fail(http.StatusRequestEntityTooLarge, apiError{
			Message: fmt.Sprintf("Request body too large (over %d bytes) or unreadable.", maxBody),
			Type:    "invalid_request_error",
		})
		return nil, false
	}
	return data, true
}

// profile finds the model, answering 404 as the API does when it is
// unknown.
func (s *server) profile(c *call, model string) (*sim.Profile, bool) {
	if p, ok := s.models[model]; ok {
		return p, true
	}
	if s.azure {
		c.azureFail(http.StatusNotFound, "DeploymentNotFound", "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.")
		return nil, false
	}
	c.fail(http.StatusNotFound, apiError{
		Message: fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", model),
		Type:    "invalid_request_error",
		Code:    "model_not_found",
	})
	return nil, false
}

func randHex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rand.IntN(16)]
	}
	return string(b)
}

func newUUID() string {
	h := randHex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// newID returns a fresh response id such as "chatcmpl-…".
func newID(prefix string) string { return prefix + randAlnum(29) }

func randAlnum(n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[rand.IntN(len(chars))]
	}
	return string(b)
}
