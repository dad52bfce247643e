package gemini

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// generation is one validated request with its answer.
type generation struct {
	p     *sim.Profile
	req   *wire.GenerateContentRequest
	ask   sim.Ask
	ans   sim.Answer
	n     int // candidates
	usage wire.UsageMetadata
	id    string
	// lps are the answer's token log probabilities, once a fragment
	// needed them (logprobsResult).
	lps []sim.TokenLogprob
}

func (s *server) generate(w http.ResponseWriter, r *http.Request, p *sim.Profile, stream bool) {
	alt := r.URL.Query().Get("alt")
	if stream && alt != "" && alt != "sse" && alt != "json" {
		writeError(w, http.StatusBadRequest, "Invalid value at 'alt': "+alt+" (use sse or json)")
		return
	}
	var req wire.GenerateContentRequest
	if !decode(w, r, &req) {
		return
	}
	if msg := validate(&req, p); msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	g := &generation{p: p, req: &req, ask: buildAsk(p, &req), n: 1, id: responseID()}
	if cc := req.GenerationConfig; cc != nil && cc.CandidateCount != nil {
		g.n = *cc.CandidateCount
	}
	ft := s.faults.Pick(p.Model, g.ask.Prompt).For(stream)
	if !injectBefore(w, r, ft, p) {
		return
	}
	if ft.Kind == sim.FaultRefusal {
		g.blocked(w, stream, alt == "sse")
		return
	}
	g.ans = s.behavior.Respond(p, g.ask)
	if usesGoogleSearch(&req) {
		g.ans = groundedAnswer(g.ans)
	}
	if cc := req.GenerationConfig; cc != nil {
		g.ans = g.ans.Stop(cc.StopSequences)
	}
	g.usage = s.usage(g)
	if !sim.Sleep(r.Context(), p.FirstTokenDelay()) {
		return
	}
	if stream {
		s.stream(w, r, g, ft, alt == "sse")
		return
	}
	if ft.Kind == sim.FaultMalformed {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.Write([]byte(`{"candidates": [{"content": {"parts": [{"text": "Hel`))
		return
	}
	writeJSON(w, http.StatusOK, g.response(0, len(g.ans.Pieces), true, true, g.usage))
}

// internalError is the message of Gemini's 500 (INTERNAL).
const internalError = "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"

// injectBefore applies the faults that strike before any byte of the
// answer; it reports whether the request should go on.
func injectBefore(w http.ResponseWriter, r *http.Request, ft sim.Fault, p *sim.Profile) bool {
	switch ft.Kind {
	case sim.FaultSlow:
		if !sim.Sleep(r.Context(), ft.Delay) {
			return false
		}
	case sim.FaultRateLimit:
		w.Header().Set("Retry-After", ft.RetryAfterSeconds())
		writeError(w, http.StatusTooManyRequests, "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
			map[string]string{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": ft.RetryAfterSeconds() + "s"})
		return false
	case sim.FaultServerError:
		writeError(w, http.StatusInternalServerError, internalError)
		return false
	case sim.FaultUnavailable, sim.FaultOutage:
		writeError(w, http.StatusServiceUnavailable, "The model is overloaded. Please try again later.")
		return false
	case sim.FaultReset:
		sim.Reset(w)
		return false
	case sim.FaultHang:
		<-r.Context().Done()
		return false
	case sim.FaultHTML:
		sim.WriteHTML(w)
		return false
	case sim.FaultContextLength:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("The input token count (%d) exceeds the maximum number of tokens allowed (%d).", p.Window()+1, p.Window()))
		return false
	}
	if p.FailsAtRandom() {
		writeError(w, http.StatusInternalServerError, internalError)
		return false
	}
	return true
}

// buildAsk extracts the wire-neutral question from a request.
func buildAsk(p *sim.Profile, req *wire.GenerateContentRequest) sim.Ask {
	a := sim.Ask{Model: p.Model, System: systemText(req), PromptTokens: sim.CountTokens(promptText(req, len(req.Contents)))}
	for i := len(req.Contents) - 1; i >= 0 && a.Prompt == ""; i-- {
		c := &req.Contents[i]
		if c.Role == wire.RoleModel {
			continue
		}
		var prompt strings.Builder
		for _, part := range c.Parts {
			prompt.WriteString(part.Text)
		}
		a.Prompt = prompt.String()
	}
	last := &req.Contents[len(req.Contents)-1]
	var result strings.Builder
	for _, part := range last.Parts {
		if fr := part.FunctionResponse; fr != nil && last.Role != wire.RoleModel {
			a.HasToolResult = true
			result.Write(fr.Response)
		}
	}
	a.ToolResult = result.String()
	for _, t := range req.Tools {
		for _, d := range t.FunctionDeclarations {
			params := d.ParametersJSONSchema
			if len(params) == 0 {
				params = wire.OpenAPIToJSONSchema(d.Parameters)
			}
			a.Tools = append(a.Tools, sim.ToolSpec{Name: d.Name, Parameters: params})
		}
	}
	if tc := req.ToolConfig; tc != nil && tc.FunctionCallingConfig != nil {
		fc := tc.FunctionCallingConfig
		a.ToolsNone = fc.Mode == wire.ModeNone
		a.ToolsRequired = fc.Mode == wire.ModeAny
		if a.ToolsRequired && len(fc.AllowedFunctionNames) == 1 {
			a.ForceTool = fc.AllowedFunctionNames[0]
		}
		if len(fc.AllowedFunctionNames) > 0 { // ANY or VALIDATED: calls of these alone
			allowed := make(map[string]bool, len(fc.AllowedFunctionNames))
			for _, n := range fc.AllowedFunctionNames {
				allowed[n] = true
			}
			a.Tools = slices.DeleteFunc(a.Tools, func(t sim.ToolSpec) bool { return !allowed[t.Name] })
		}
	}
	if gc := req.GenerationConfig; gc != nil {
		a.JSON = gc.ResponseMIMEType == wire.MIMEJSON
		a.Schema = gc.ResponseJSONSchema
		if len(a.Schema) == 0 && len(gc.ResponseSchema) > 0 {
			a.Schema = wire.OpenAPIToJSONSchema(gc.ResponseSchema)
		}
		if gc.MaxOutputTokens != nil {
			a.MaxTokens = *gc.MaxOutputTokens
		}
	}
	return a
}

func systemText(req *wire.GenerateContentRequest) string {
	if req.SystemInstruction == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range req.SystemInstruction.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// promptText serializes the system instruction, tools and the first n
// contents: what the model reads, for counting and for the prompt cache.
func promptText(req *wire.GenerateContentRequest, n int) string {
	var b strings.Builder
	b.WriteString(systemText(req))
	if len(req.Tools) > 0 {
		t, _ := json.Marshal(req.Tools)
		b.Write(t)
	}
	for _, c := range req.Contents[:n] {
		b.WriteString("\n" + c.Role + ": ")
		for _, p := range c.Parts {
			if p.Text != "" {
				b.WriteString(p.Text)
				continue
			}
			j, _ := json.Marshal(p)
			b.Write(j)
		}
	}
	return b.String()
}

// usage counts the request's tokens. Implicit caching: a prompt whose
// history prefix (all but the last turn), or whole text, was seen before
// reads it from the cache, once it is at least sim.MinCachedTokens long.
func (s *server) usage(g *generation) wire.UsageMetadata {
	full := promptText(g.req, len(g.req.Contents))
	prefix := promptText(g.req, len(g.req.Contents)-1)
	cached := max(s.cache.Lookup(g.p.Model, full, g.ask.PromptTokens),
		s.cache.Lookup(g.p.Model, prefix, sim.CountTokens(prefix)))
	thoughts := g.spendThoughts() * g.n
	cands := (g.ans.CompletionTokens - g.ans.ReasoningTokens) * g.n
	u := wire.UsageMetadata{
		PromptTokenCount: g.ask.PromptTokens, CandidatesTokenCount: cands, ThoughtsTokenCount: thoughts,
		CachedContentTokenCount: cached, TotalTokenCount: g.ask.PromptTokens + cands + thoughts,
		PromptTokensDetails: []wire.ModalityTokenCount{{Modality: "TEXT", TokenCount: g.ask.PromptTokens}},
	}
	if cached > 0 {
		u.CacheTokensDetails = []wire.ModalityTokenCount{{Modality: "TEXT", TokenCount: cached}}
	}
	return u
}

// response builds a (fragment of a) response holding the answer text's
// pieces from to to (and their logprobsResult when asked for); first adds
// the thought summary if asked for, final the function calls and the
// finish reason.
func (g *generation) response(from, to int, first, final bool, u wire.UsageMetadata) *wire.GenerateContentResponse {
	out := &wire.GenerateContentResponse{UsageMetadata: &u, ModelVersion: g.p.Model, ResponseID: g.id}
	var parts []wire.Part
	if t, ok := g.thought(); ok && first {
		parts = append(parts, t)
	}
	parts = append(parts, g.parts(g.ans.Pieces[from:to], final)...)
	lr := g.logprobsResult(from, to)
	for i := 0; i < g.n; i++ {
		c := wire.Candidate{Index: i, Content: &wire.Content{Role: wire.RoleModel, Parts: parts}, LogprobsResult: lr}
		if final {
			c.FinishReason = wire.FinishReasonFromLLM(llm.FinishReason(g.ans.Finish))
			if usesGoogleSearch(g.req) && len(g.ans.ToolCalls) == 0 {
				c.Grounding = grounding(g.ask.Prompt)
			}
		}
		out.Candidates = append(out.Candidates, c)
	}
	return out
}

func (g *generation) parts(pieces []string, final bool) []wire.Part {
	var parts []wire.Part
	if text := strings.Join(pieces, ""); text != "" {
		parts = append(parts, wire.Part{Text: text})
	}
	if !final {
		return parts
	}
	for i, tc := range g.ans.ToolCalls {
		p := wire.Part{FunctionCall: &wire.FunctionCall{Name: tc.Name, Args: json.RawMessage(tc.Arguments)}}
		if i == 0 && g.p.Reasoning {
			p.ThoughtSignature = CallSignature(tc.Name, tc.Arguments)
		}
		parts = append(parts, p)
	}
	return parts
}

// thought is the summary part sent first when includeThoughts is set on a
// reasoning model.
func (g *generation) thought() (wire.Part, bool) {
	gc := g.req.GenerationConfig
	if !g.p.Reasoning || gc == nil || gc.ThinkingConfig == nil || !gc.ThinkingConfig.IncludeThoughts {
		return wire.Part{}, false
	}
	return wire.Part{Text: "**Considering the question**\n\nI should answer briefly and directly.", Thought: true}, true
}

// responseID returns an id shaped like the API's (22 base64url characters).
func responseID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CallSignature is the thoughtSignature the simulator attaches to a
// reasoning model's first function call: opaque base64 as the API's, but
// a function of the call, so that a test can tell the model's own
// signature came back on it.
func CallSignature(name, args string) string {
	m := hmac.New(sha256.New, []byte("switchyard-sim-gemini-thought-signature"))
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write([]byte(args))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// countTokens answers models.countTokens ({contents} or
// {generateContentRequest}).
func (s *server) countTokens(w http.ResponseWriter, r *http.Request, p *sim.Profile) {
	var req struct {
		Contents               []wire.Content               `json:"contents"`
		GenerateContentRequest *wire.GenerateContentRequest `json:"generateContentRequest"`
	}
	if !decode(w, r, &req) {
		return
	}
	gr := req.GenerateContentRequest
	if gr == nil {
		gr = &wire.GenerateContentRequest{Contents: req.Contents}
	}
	if len(gr.Contents) == 0 {
		writeError(w, http.StatusBadRequest, "* CountTokensRequest.contents: contents is not specified\n")
		return
	}
	writeJSON(w, http.StatusOK, wire.CountTokensResponse{TotalTokens: sim.CountTokens(promptText(gr, len(gr.Contents)))})
}

// stallDelay is how long a stall fault with no delay holds the stream.
const stallDelay = 30 * time.Second

// blocked answers as Gemini does a prompt its safety filters block: no
// candidates, promptFeedback.blockReason SAFETY with the ratings, and the
// prompt's tokens (one fragment when streamed).
func (g *generation) blocked(w http.ResponseWriter, stream, useSSE bool) {
	ratings := []wire.SafetyRating{
		{Category: "HARM_CATEGORY_SEXUALLY_EXPLICIT", Probability: "NEGLIGIBLE"},
		{Category: "HARM_CATEGORY_HATE_SPEECH", Probability: "NEGLIGIBLE"},
		{Category: "HARM_CATEGORY_HARASSMENT", Probability: "NEGLIGIBLE"},
		{Category: "HARM_CATEGORY_DANGEROUS_CONTENT", Probability: "HIGH", Blocked: true},
	}
	resp := &wire.GenerateContentResponse{
		PromptFeedback: &wire.PromptFeedback{BlockReason: "SAFETY", SafetyRatings: ratings},
		UsageMetadata:  &wire.UsageMetadata{PromptTokenCount: g.ask.PromptTokens, TotalTokenCount: g.ask.PromptTokens},
		ModelVersion:   g.p.Model, ResponseID: g.id,
	}
	if !stream {
		writeJSON(w, http.StatusOK, resp)
		return
	}
	f := &framer{w: w, sse: useSSE}
	f.start()
	f.write(resp)
	f.end()
}
