// Package gemini is the simulated Gemini API: generateContent,
// streamGenerateContent, countTokens, embedContent, batchEmbedContents and
// models.list/get under /v1beta (and /v1), answering from sim profiles and
// validating requests the way the real API does, with its error shape
// {"error":{"code","message","status","details"}}.
//
// Authentication follows the real API: the key comes from the
// x-goog-api-key header or the ?key= query parameter. A missing key is 403
// PERMISSION_DENIED; a key starting with "invalid" stands for a revoked or
// mistyped key and is 400 INVALID_ARGUMENT with reason API_KEY_INVALID;
// any other key is accepted.
//
// streamGenerateContent with ?alt=sse answers Server-Sent Events framed as
// the real API does ("data: {...}\r\n\r\n", one GenerateContentResponse
// fragment per event, usageMetadata in every one, finishReason in the
// last). Without alt (or with alt=json) it streams a JSON array of the
// same fragments, as the real API does for clients that do not ask for SSE.
//
// Faults come from sim.Faults (control API at /_sim/faults, or directives
// such as "[[sim:cut]]" in the last user text).
package gemini

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// maxBody is the request size limit of the real API (20 MB inline data).
const maxBody = 20 << 20

type server struct {
	models   sim.Catalog
	faults   *sim.Faults
	behavior *sim.Behavior
	cache    sim.PromptCache
}

// New returns the simulated Gemini API serving the models of the catalog
// with the given faults (nil means none), answering through the Behavior
// of opts, if any (whose control API it then serves too). The handler is
// safe for concurrent use.
func New(models sim.Catalog, faults *sim.Faults, opts ...sim.Option) http.Handler {
	if faults == nil {
		faults = &sim.Faults{}
	}
	set := sim.Apply(opts)
	s := &server{models: models, faults: faults, behavior: set.Behavior}
	mux := http.NewServeMux()
	for _, v := range []string{"/v1beta", "/v1"} {
		mux.HandleFunc("GET "+v+"/models", s.authed(s.listModels))
		mux.HandleFunc("GET "+v+"/models/{model}", s.authed(s.getModel))
		mux.HandleFunc("POST "+v+"/models/{call}", s.authed(s.call))
	}
	mux.Handle("/_sim/faults", faults)
	if set.Behavior != nil {
		set.Behavior.Mount(mux)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Requested entity was not found.")
	})
	return mux
}

// authed checks the API key before h runs.
func (s *server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("x-goog-api-key")
		if key == "" {
			key = r.URL.Query().Get("key")
		}
		switch {
		case key == "":
			writeError(w, http.StatusForbidden, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")
		case strings.HasPrefix(key, "invalid"):
			writeError(w, http.StatusBadRequest, "API key not valid. Please pass a valid API key.",
				map[string]any{
					"@type":    "type.googleapis.com/google.rpc.ErrorInfo",
					"reason":   wire.ReasonAPIKeyInvalid,
					"domain":   "googleapis.com",
					"metadata": map[string]string{"service": "generativelanguage.googleapis.com"},
				})
		default:
			h(w, r)
		}
	}
}

// call dispatches POST models/{model}:{method}.
func (s *server) call(w http.ResponseWriter, r *http.Request) {
	call := r.PathValue("call")
	i := strings.LastIndexByte(call, ':')
	if i < 0 {
		writeError(w, http.StatusNotFound, "Requested entity was not found.")
		return
	}
	model, method := call[:i], call[i+1:]
	chat := method == "generateContent" || method == "streamGenerateContent" || method == "countTokens"
	embed := method == "embedContent" || method == "batchEmbedContents"
	if !chat && !embed {
		writeError(w, http.StatusNotFound, "Method not found: "+method)
		return
	}
	p := s.models[model]
	if p == nil || p.Embedding != embed {
		writeError(w, http.StatusNotFound, "models/"+model+" is not found for API version v1beta, or is not supported for "+
			method+". Call ListModels to see the list of available models and their supported methods.")
		return
	}
	switch method {
	case "generateContent":
		s.generate(w, r, p, false)
	case "streamGenerateContent":
		s.generate(w, r, p, true)
	case "countTokens":
		s.countTokens(w, r, p)
	case "embedContent":
		s.embedOne(w, r, p)
	default:
		s.embedBatch(w, r, p)
	}
}

func (s *server) listModels(w http.ResponseWriter, r *http.Request) {
	names := make([]string, 0, len(s.models))
	for name := range s.models {
		names = append(names, name)
	}
	sort.Strings(names)
	out := wire.ListModelsResponse{Models: make([]wire.Model, 0, len(names))}
	for _, name := range names {
		out.Models = append(out.Models, modelInfo(s.models[name]))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) getModel(w http.ResponseWriter, r *http.Request) {
	p := s.models[strings.TrimPrefix(r.PathValue("model"), "models/")]
	if p == nil {
		writeError(w, http.StatusNotFound, "models/"+r.PathValue("model")+" is not found for API version v1beta.")
		return
	}
	writeJSON(w, http.StatusOK, modelInfo(p))
}

func modelInfo(p *sim.Profile) wire.Model {
	m := wire.Model{
		Name: "models/" + p.Model, BaseModelID: p.Model, Version: "001",
		DisplayName: displayName(p.Model), InputTokenLimit: p.Window(),
	}
	if p.Embedding {
		m.SupportedGenerationMethods = []string{"embedContent", "batchEmbedContents"}
		return m
	}
	temp, maxTemp, topP, topK := 1.0, 2.0, 0.95, 64
	m.OutputTokenLimit = p.MaxOutput()
	m.SupportedGenerationMethods = []string{"generateContent", "countTokens", "createCachedContent", "batchGenerateContent"}
	m.Temperature, m.MaxTemperature, m.TopP, m.TopK = &temp, &maxTemp, &topP, &topK
	m.Thinking = p.Reasoning
	return m
}

// displayName turns "gemini-2.5-flash" into "Gemini 2.5 Flash".
func displayName(id string) string {
	words := strings.Split(id, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// decode reads a JSON body into v, answering 400 as the API does when it
// cannot.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		msg := "Invalid JSON payload received. " + err.Error()
		if _, tooBig := err.(*http.MaxBytesError); tooBig {
			msg = "Request payload size exceeds the limit: 20971520 bytes."
		}
		writeError(w, http.StatusBadRequest, msg)
		return false
	}
	return true
}

// writeJSON writes v pretty-printed, as the real API answers unary calls.
func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

// writeError writes the API's error shape for code, with typed details.
func writeError(w http.ResponseWriter, code int, msg string, details ...any) {
	e := wire.NewError(code, msg)
	for _, d := range details {
		b, _ := json.Marshal(d)
		e.Error.Details = append(e.Error.Details, b)
	}
	writeJSON(w, code, e)
}
