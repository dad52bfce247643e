package anthropic

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// generation is one validated request with its answer.
type generation struct {
	p   *sim.Profile
	req *wire.MessagesRequest
	ask sim.Ask
	id  string
	// The answer as Anthropic content.
	thinking   []wire.ContentBlock // thinking and redacted_thinking blocks, first
	server     []wire.ContentBlock // server tool blocks (raw), after the thinking
	thought    int                 // the output tokens thinking cost
	text       string
	pieces     []string
	cited      []wire.ContentBlock // text blocks citing documents, after the text
	tools      []sim.ToolCall
	stopReason string
	stopSeq    *string
	usage      wire.Usage
	refused    bool // a refusal: no content at all
	details    *wire.StopDetails
	container  json.RawMessage // the code execution container, nil for none
	// compaction is the compaction block the answer begins with when a
	// compact_20260112 edit fired (compact_edit.go), nil otherwise;
	// compactedOnly: the answer is that block alone (a pause).
	compaction    *wire.ContentBlock
	compactedOnly bool
	// managed is the answer's context_management (the applied edits),
	// nil when the request had none.
	managed json.RawMessage
}

// messages serves POST /v1/messages.
func (s *server) messages(w http.ResponseWriter, r *http.Request) {
	req, p, apiErr := s.parse(w, r, false)
	if apiErr != nil {
		writeError(w, apiErr.t, apiErr.msg)
		return
	}
	if len(req.Compaction) > 0 && string(req.Compaction) != "null" {
		s.compact(w, r, req, p)
		return
	}
	edits, apiErr := decodeEdits(req, p, r.Header)
	if apiErr != nil {
		writeError(w, apiErr.t, apiErr.msg)
		return
	}
	g := &generation{p: p, req: req, ask: buildAsk(p, req), id: newID("msg_"), container: container(req, time.Now())}
	if apiErr := s.checkPrefill(g.ask); apiErr != nil {
		writeError(w, apiErr.t, apiErr.msg)
		return
	}
	if s.fastLimited(w, req, p) {
		return
	}
	credit, apiErr := s.credits.redeem(req, p.Model)
	if apiErr != nil {
		writeError(w, apiErr.t, apiErr.msg)
		return
	}
	ft := s.faults.Pick(p.Model, directivePrompt(g.ask)).For(req.Stream)
	if !injectBefore(w, r, ft, p) {
		return
	}
	s.answer(g)
	if ft.Kind == sim.FaultRefusal || strings.Contains(g.ask.Prompt, refusalTestString) {
		g.refuse()
		s.credits.creditRefusal(g)
	} else if serverTurn(g) {
		g.usage.OutputTokens = max(sim.CountTokens(g.text)+8*len(g.server), 1) + g.thought
		g.advisorUsage()
	} else if toolsetTurn(g) {
		g.usage.OutputTokens = 8 + g.thought
	}
	g.usage.OutputTokensDetails = &wire.OutputTokensDetails{ThinkingTokens: min(g.thought, g.usage.OutputTokens)}
	if edits != nil {
		s.applyEdits(g, edits)
	}
	g.usage.FallbackCredit = credit
	s.serveTier(r, w.Header(), g)
	if req.Stream {
		s.stream(w, r, g, ft)
		return
	}
	s.complete(w, r, g, ft)
}

// complete writes g's answer whole, after the time its model would take,
// as fault ft shapes it.
func (s *server) complete(w http.ResponseWriter, r *http.Request, g *generation, ft sim.Fault) {
	delay := g.p.FirstTokenDelay() + g.pieceDelay(g.usage.OutputTokens)
	if ft.Kind == sim.FaultStall {
		delay += ft.Delay
	}
	if !sim.Sleep(r.Context(), delay) {
		return
	}
	body, _ := wire.EncodeResponse(g.response())
	switch ft.Kind {
	case sim.FaultMalformed:
		body = body[:len(body)/2]
	case sim.FaultCut:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		sim.Cut()
	}
	writeJSON(w, body)
}

// countTokens serves POST /v1/messages/count_tokens.
func (s *server) countTokens(w http.ResponseWriter, r *http.Request) {
	req, p, apiErr := s.parse(w, r, true)
	if apiErr != nil {
		writeError(w, apiErr.t, apiErr.msg)
		return
	}
	b, _ := json.Marshal(map[string]int{"input_tokens": buildAsk(p, req).PromptTokens})
	writeJSON(w, b)
}

// parse decodes and validates a request and finds its model; count is set
// for count_tokens.
func (s *server) parse(w http.ResponseWriter, r *http.Request, count bool) (*wire.MessagesRequest, *sim.Profile, *apiError) {
	req, apiErr := decodeRequest(w, r, count)
	if apiErr != nil {
		return nil, nil, apiErr
	}
	p := s.chatModel(req.Model)
	if p == nil {
		return nil, nil, &apiError{wire.NotFoundError, "model: " + req.Model}
	}
	if apiErr := validate(req, p); apiErr != nil {
		return nil, nil, apiErr
	}
	if apiErr := checkBetaFields(req, r.Header); apiErr != nil {
		return nil, nil, apiErr
	}
	if apiErr := checkCompactionFields(req, p, r.Header); apiErr != nil {
		return nil, nil, apiErr
	}
	return req, p, nil
}

// injectBefore applies the faults that strike before any byte of the
// answer; it reports whether the request should go on.
func injectBefore(w http.ResponseWriter, r *http.Request, ft sim.Fault, p *sim.Profile) bool {
	switch ft.Kind {
	case sim.FaultSlow:
		return sim.Sleep(r.Context(), ft.Delay)
	case sim.FaultRateLimit:
		h := w.Header()
		h.Set("retry-after", ft.RetryAfterSeconds())
		h.Set("anthropic-ratelimit-requests-limit", "50")
		h.Set("anthropic-ratelimit-requests-remaining", "0")
		writeError(w, wire.RateLimitError, "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.")
		return false
	case sim.FaultServerError:
		writeError(w, wire.APIError, "Internal server error")
		return false
	case sim.FaultUnavailable, sim.FaultOutage:
		writeError(w, wire.OverloadedError, "Overloaded")
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
		writeError(w, wire.InvalidRequestError, fmt.Sprintf("prompt is too long: %d tokens > %d maximum", p.Window()+1, p.Window()))
		return false
	case sim.FaultContentFilter:
		writeError(w, wire.InvalidRequestError, "Output blocked by content filtering policy")
		return false
	}
	if p.FailsAtRandom() {
		writeError(w, wire.APIError, "Internal server error")
		return false
	}
	return true
}

// answer asks the profile and shapes its answer as Anthropic content.
func (s *server) answer(g *generation) {
	ans := s.behavior.Respond(g.p, g.ask)
	g.text, g.pieces, g.tools = ans.Text, ans.Pieces, ans.ToolCalls
	for i := range g.tools {
		g.tools[i].ID = "toolu_01" + strings.TrimPrefix(g.tools[i].ID, "call_")
	}
	ans.CompletionTokens = addDocumentNote(g, ans.CompletionTokens)
	if !g.ask.JSON && len(g.tools) == 0 {
		var tokens int
		g.cited, tokens = citedBlocks(g.req)
		ans.CompletionTokens += tokens
	}
	g.stopReason = stopReason(ans.Finish)
	if cut, seq, ok := sim.CutAtStop(g.text, g.req.StopSequences); ok {
		g.text, g.pieces, g.stopReason, g.stopSeq, g.cited = cut, sim.Split(cut), wire.StopStopSequence, &seq, nil
		// The model stopped there: what it generated is billed, no more.
		ans.CompletionTokens = len(g.pieces) + ans.ReasoningTokens
	}
	think(g)
	// A Claude model thinks only when asked to: a profile's reasoning
	// tokens are not billed, the thinking is, inside output_tokens, all
	// of it however little is shown (Claude 4's summarized thinking is
	// billed for the full thinking), and output_tokens_details counts it
	// (thinking_tokens, set by the caller).
	output := ans.CompletionTokens - ans.ReasoningTokens + g.thought
	if output < 1 {
		output = 1 // the API never reports zero output tokens
	}
	g.usage = s.inputUsage(g.p, g.req)
	g.usage.OutputTokens = output
}

func stopReason(finish string) string {
	switch finish {
	case "length":
		return wire.StopMaxTokens
	case "tool_calls":
		return wire.StopToolUse
	}
	return wire.StopEndTurn
}

// refusalTestString is the prompt Anthropic documents for testing refusal
// handling: the API answers it with stop_reason "refusal".
const refusalTestString = "ANTHROPIC_MAGIC_STRING_TRIGGER_REFUSAL_1FAEFB6177B4672DEE07F9D3AFC62588CCD2631EDCF22E8CCC1FB35B501C9C86"

// The stop_details of the simulator's refusals: the example of
// Anthropic's documentation.
const (
	refusalCategory    = "cyber"
	refusalExplanation = "This request was declined because it could enable cyber harm."
)

// refuse turns the answer into a refusal: no content, stop_reason
// "refusal", the output tokens of nothing but billed input.
func (g *generation) refuse() {
	g.text, g.pieces, g.tools, g.thinking, g.stopSeq, g.cited, g.server = "", nil, nil, nil, nil, nil, nil
	g.stopReason, g.refused, g.thought = wire.StopRefusal, true, 0
	category, explanation := refusalCategory, refusalExplanation
	g.details = &wire.StopDetails{Type: wire.StopRefusal, Category: &category, Explanation: &explanation}
	g.usage.OutputTokens = 1
}

// content returns the answer's content blocks, complete.
func (g *generation) content() []wire.ContentBlock {
	if g.refused {
		return []wire.ContentBlock{}
	}
	var out []wire.ContentBlock
	if g.compaction != nil {
		out = append(out, *g.compaction)
		if g.compactedOnly {
			return out
		}
	}
	out = append(out, g.thinking...)
	out = append(out, g.server...)
	if g.text != "" || len(g.tools) == 0 {
		out = append(out, wire.ContentBlock{Type: wire.BlockText, Text: g.text})
		out = append(out, g.cited...)
	}
	for _, tc := range g.tools {
		out = append(out, wire.ContentBlock{Type: wire.BlockToolUse, ID: tc.ID, Name: tc.Name, Input: json.RawMessage(tc.Arguments)})
	}
	return out
}

// response is the complete (non-streamed) message.
func (g *generation) response() *wire.MessagesResponse {
	reason := g.stopReason
	return &wire.MessagesResponse{
		ID: g.id, Model: g.p.Model, Content: g.content(),
		StopReason: &reason, StopSequence: g.stopSeq, StopDetails: g.details, Usage: g.usage, Container: g.containerMember(),
		ContextManagement: g.managed,
	}
}

// containerMember is the container member of the message and of
// message_delta: the code execution container, else null. The API writes
// the member always (the spec's Message and anthropic-sdk-go's require it).
func (g *generation) containerMember() json.RawMessage {
	if g.container == nil {
		return json.RawMessage("null")
	}
	return g.container
}

func firstLine(s string, n int) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// checkBetaFields refuses a beta field sent without its anthropic-beta
// header, as the API does (it does not know the field then):
// context_management needs wire.ContextManagementBeta.
func checkBetaFields(req *wire.MessagesRequest, h http.Header) *apiError {
	if len(req.ContextManagement) == 0 || string(req.ContextManagement) == "null" {
		return nil
	}
	for _, v := range h.Values("anthropic-beta") {
		for _, b := range strings.Split(v, ",") {
			if strings.TrimSpace(b) == wire.ContextManagementBeta {
				return nil
			}
		}
	}
	return invalid("context_management: Extra inputs are not permitted")
}
