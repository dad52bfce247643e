package openai

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// NewAzure returns the simulated Azure OpenAI API for models, where each
// model id is also a deployment name, injecting faults (nil means none).
// It serves POST /openai/deployments/{deployment}/chat/completions,
// …/embeddings, …/images/generations, …/images/edits, …/audio/speech,
// …/audio/transcriptions and …/audio/translations (api-version query required: 404 "Resource not found"
// without it, as Azure answers, 400 for a malformed one), the v1 routes
// POST /openai/v1/chat/completions, /openai/v1/responses (the hosted
// tools Azure serves run as on OpenAI's; any other is refused:
// azureHostedRefusal), /openai/v1/embeddings and GET
// /openai/v1/models (model in the body, api-version optional), and
// /_sim/faults (and the Behavior's control API when one is given). Any
// non-empty api-key header (or bearer token) is accepted; an unknown
// deployment is 404 DeploymentNotFound.
func NewAzure(models sim.Catalog, faults *sim.Faults, opts ...sim.Option) http.Handler {
	s := newServer(models, faults, true, sim.Apply(opts))
	s.mux.HandleFunc("POST /openai/deployments/{deployment}/chat/completions", s.handle(s.azureDeployment, s.chat))
	s.mux.HandleFunc("POST /openai/deployments/{deployment}/completions", s.handle(s.azureDeployment, s.completions))
	s.mux.HandleFunc("POST /openai/deployments/{deployment}/embeddings", s.handle(s.azureDeployment, s.embeddings))
	s.mux.HandleFunc("POST /openai/deployments/{deployment}/images/generations", s.handle(s.azureDeployment, s.images))
	s.mux.HandleFunc("POST /openai/deployments/{deployment}/audio/speech", s.handle(s.azureDeployment, s.speech))
	s.mux.HandleFunc("POST /openai/deployments/{deployment}/audio/transcriptions", s.handle(s.azureDeployment, s.transcriptions))
	s.mux.HandleFunc("POST /openai/deployments/{deployment}/audio/translations", s.handle(s.azureDeployment, s.translations))
	s.mux.HandleFunc("POST /openai/v1/chat/completions", s.handle(s.azureV1, s.chat))
	s.mux.HandleFunc("POST /openai/v1/responses", s.handle(s.azureV1, s.responses))
	s.mux.HandleFunc("POST /openai/v1/embeddings", s.handle(s.azureV1, s.embeddings))
	s.mux.HandleFunc("GET /openai/v1/models", s.handle(s.azureV1, s.listModels))
	s.mux.HandleFunc("GET /openai/realtime", s.azureRealtime)
	s.mux.HandleFunc("GET /openai/v1/realtime", s.azureRealtime)
	s.mountImageEdits()
	return s
}

// apiVersion matches the dated api-versions Azure publishes.
var apiVersion = regexp.MustCompile(`^20\d\d-\d\d-\d\d(-preview)?$`)

// azureDeployment checks a deployment route: api-version, then the key;
// the deployment named in the path becomes the call's model.
func (s *server) azureDeployment(c *call) bool {
	v := c.r.URL.Query().Get("api-version")
	if v == "" {
		c.azureFail(http.StatusNotFound, "404", "Resource not found")
		return false
	}
	if !apiVersion.MatchString(v) {
		c.azureFail(http.StatusBadRequest, "BadRequest", "API version not supported")
		return false
	}
	if !s.azureKey(c) {
		return false
	}
	c.model = c.r.PathValue("deployment")
	if c.model == "" {
		c.azureFail(http.StatusNotFound, "404", "Resource not found")
		return false
	}
	return true
}

// azureV1 checks a v1 route, where api-version is optional.
func (s *server) azureV1(c *call) bool {
	switch v := c.r.URL.Query().Get("api-version"); v {
	case "", "preview", "latest", "v1":
	default:
		c.azureFail(http.StatusBadRequest, "BadRequest", "API version not supported")
		return false
	}
	return s.azureKey(c)
}

// azureKey accepts an api-key header or an Entra ID bearer token.
func (s *server) azureKey(c *call) bool {
	if strings.TrimSpace(c.r.Header.Get("Api-Key")) != "" {
		return true
	}
	if tok, ok := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer "); ok && strings.TrimSpace(tok) != "" {
		return true
	}
	c.azureFail(http.StatusUnauthorized, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.")
	return false
}

// azureHostedRefusal is Azure's refusal of a hosted tool its v1
// Responses API does not serve (wire/openai.AzureHostedTools: the
// computer tool of later models, say); nil when it serves every one req
// declares. The message is the one Azure was reported to answer for an
// unsupported hosted tool ("Hosted tool 'web_search_preview' is not
// supported", before Azure served web search); the param, pointing at the
// tool, is the sim's own.
func azureHostedRefusal(req *llm.Request) *apiError {
	if req.OpenAIHosted == nil {
		return nil
	}
	for i, raw := range req.OpenAIHosted.Tools {
		var t struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(raw, &t)
		if llm.HostedKindOf(t.Type)&^wire.AzureHostedTools != 0 {
			return &apiError{Message: "Hosted tool '" + t.Type + "' is not supported.", Type: "invalid_request_error", Param: "tools[" + strconv.Itoa(i) + "].type"}
		}
	}
	return nil
}
