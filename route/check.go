package route

import (
	"time"

	"switchyard/llm"
	"switchyard/wire/openai"
)

// check decides whether dep may serve the request, in a fixed order: what
// the request carries, the policy's requirements and ceilings (skipped for
// a pin outside a route), the caller's caps, then health. On success it
// returns the candidate with its estimates and score.
func (d *decision) check(dep *Deployment, pinned, inRoute bool) (Candidate, Rejection, bool) {
	f := &d.in.Features
	clamp := d.clampTo(dep, pinned)
	if clamp > 0 { // checked, estimated and scored at the max_tokens it is sent
		lowered := *f
		lowered.MaxTokens = clamp
		f = &lowered
	}
	dropped := d.droppedHosted(dep, f)
	if dropped != 0 { // checked and estimated as it is sent: without them
		f = withoutHosted(f, dropped)
	}
	rej := Rejection{Deployment: dep.Name, By: "request"}
	if r := requestCheck(dep, f); r != "" {
		rej.Reason = r
		requestRejection(&rej, dep, f)
		return Candidate{}, rej, false
	}
	out := d.out
	if dep.MaxOutputTokens > 0 && out > dep.MaxOutputTokens {
		out = dep.MaxOutputTokens
	}
	if clamp > 0 {
		out = min(out, clamp)
	}
	c := Candidate{
		Deployment: dep, Pinned: pinned, MaxTokens: clamp, DroppedHosted: dropped, CostUnknown: dep.PriceUnknown, ResponsesAPI: callsResponses(dep, f),
		EstCostUSD: dep.EstimateUSD(f.PromptTokens, out, ""), // the long-prompt band's prices over its threshold
	}
	c.Clamps = d.in.Features.MaxTokens > 0 && d.clamps(dep, pinned)
	c.TierCostUSD = c.EstCostUSD
	if t, tp := servedTier(dep, f.ServiceTier); tp != nil {
		c.TierCostUSD = dep.EstimateUSD(f.PromptTokens, out, t)
	}
	if g := servedGeo(dep, f) * servedSpeed(dep, f); g != 1 {
		c.EstCostUSD, c.TierCostUSD = c.EstCostUSD*g, c.TierCostUSD*g
	}
	if f.WebSearch && !dep.PriceUnknown && !dep.noWebSearch { // one search, at no tier's, place's or speed's factor (a model without the tool runs none)
		s := dep.SearchUSD()
		c.EstCostUSD, c.TierCostUSD = c.EstCostUSD+s, c.TierCostUSD+s
	}
	if dep.TTFT > 0 && dep.TokensPerSecond > 0 {
		c.EstLatency = dep.TTFT + time.Duration(float64(out)/dep.TokensPerSecond*float64(time.Second))
	}
	if !pinned || inRoute {
		if !d.policyCheck(&c, &rej) {
			return Candidate{}, rej, false
		}
	}
	if !d.callerCheck(&c, &rej) {
		return Candidate{}, rej, false
	}
	if st, ok := d.in.Health[dep.Name]; ok {
		if st.Unavailable {
			return Candidate{}, Rejection{Deployment: dep.Name, Reason: ReasonUnavailable, By: "health", Note: st.Reason, RetryIn: st.RetryIn}, false
		}
		if st.MaxOutputLearned > 0 && f.MaxTokens > st.MaxOutputLearned {
			return Candidate{}, learnedRejection(dep, f, &st), false
		}
		d.healthMarks(&c, st)
	}
	if c.QualityDemoted = d.in.Demotions.reason(dep.Name, d.plan.Explanation.Category); c.QualityDemoted == "" {
		d.routeDemotion(&c)
	}
	c.Predicted = d.quality(dep)
	c.Score = d.p.scorer.Score(ScoreInput{
		Deployment: dep, Features: f, Strategy: d.plan.Explanation.Strategy, OutputTokens: out, EstCostUSD: c.EstCostUSD,
		CostUnknown: c.CostUnknown, Quality: c.Predicted.Quality, Predicted: c.Predicted.Set,
	})
	return c, rej, true
}

// requestRejection fills in rej, a rejection by requestCheck, with what
// its reason measures: the request's figure and dep's limit, the param,
// or a note.
func requestRejection(rej *Rejection, dep *Deployment, f *Features) {
	switch r := rej.Reason; {
	case r == ReasonCapability:
		rej.Capability = dep.caps.missing(needCaps(f.Needs))
	case r == ReasonContextWindow:
		rej.Got, rej.Limit = float64(f.PromptTokens), float64(dep.ContextWindow)
	case r == ReasonMaxOutput:
		rej.Got, rej.Limit = float64(f.MaxTokens), float64(dep.MaxOutputTokens)
	case r == ReasonStopSequences:
		rej.Got, rej.Limit = float64(f.StopSequences), float64(dep.maxStop)
	case r == ReasonChoices:
		rej.Got, rej.Limit = float64(f.Choices), float64(maxChoicesFor(dep, f))
	case r == ReasonTemperature:
		rej.Got, rej.Limit = f.Temperature, dep.maxTemperature
	case r == ReasonHostedTools:
		rej.Param = f.HostedParam
		if dep.hosted != 0 { // it serves some: name the others
			rej.Note = unservedHosted(dep, f).String()
		}
	case r == ReasonOtherParts:
		rej.Param = otherPartsParam(dep, f)
	case r == ReasonWebSearchModel:
		rej.Param, rej.Note = f.HostedParam, dep.ModelID()
	case r == ReasonToolsEffort:
		rej.Param, rej.Note = "reasoning_effort", dep.ModelID()
	case r == ReasonParam:
		rej.Param, rej.Note = refusedParam(dep, f), dep.Model
	case r == ReasonNotChat && dep.completions:
		rej.Note = NoteCompletionsOnly
	}
}

// needCaps maps request needs to the capabilities that satisfy them;
// json_mode is also met by json_schema, which requestCheck handles.
func needCaps(n Needs) capMask {
	var m capMask
	if n&NeedTools != 0 {
		m |= capBit(llm.CapTools)
	}
	if n&NeedJSONSchema != 0 {
		m |= capBit(llm.CapJSONSchema)
	}
	if n&NeedJSONMode != 0 {
		m |= capBit(llm.CapJSONMode)
	}
	if n&NeedVision != 0 {
		m |= capBit(llm.CapVision)
	}
	if n&NeedLogprobs != 0 {
		m |= capBit(llm.CapLogprobs)
	}
	return m
}

// requestCheck says why dep cannot take the request as it is, or "".
func requestCheck(dep *Deployment, f *Features) Reason {
	if !dep.chat && !(dep.completions && f.Needs&NeedCompletion != 0) {
		return ReasonNotChat
	}
	need := needCaps(f.Needs)
	if f.Needs&NeedJSONMode != 0 && dep.caps&capBit(llm.CapJSONSchema) != 0 {
		need &^= capBit(llm.CapJSONMode)
	}
	if dep.caps&need != need {
		return ReasonCapability
	}
	if dep.ContextWindow > 0 && f.PromptTokens > dep.ContextWindow {
		return ReasonContextWindow
	}
	if dep.MaxOutputTokens > 0 && f.MaxTokens > dep.MaxOutputTokens {
		return ReasonMaxOutput // every provider refuses it
	}
	if dep.maxStop > 0 && f.StopSequences > dep.maxStop {
		return ReasonStopSequences
	}
	if dep.refusesBlankStop && f.BlankStop {
		return ReasonBlankStop
	}
	if n := maxChoicesFor(dep, f); n > 0 && f.Choices > n {
		return ReasonChoices
	}
	if dep.maxTemperature > 0 && f.Temperature > dep.maxTemperature {
		return ReasonTemperature
	}
	if r := carriedCheck(dep, f); r != "" {
		return r
	}
	if f.Needs&NeedUSInference != 0 && !dep.usInference {
		return ReasonInferenceGeo
	}
	if f.Needs&NeedUserProfileBilling != 0 && !dep.serverTools { // a Claude API deployment
		return ReasonUserProfileBilling
	}
	if refusedParam(dep, f) != "" {
		return ReasonParam
	}
	return ""
}

// carriedCheck says why dep cannot take what the request carries —
// audio, content parts, files by id, documents by URL, server, hosted and
// function tools — or "". On the Responses API (callsResponses) there is
// no audio and no other part, but files (by id, or by their bytes on
// OpenAI's: takesFileData) go as input_file.
func carriedCheck(dep *Deployment, f *Features) Reason {
	resp := callsResponses(dep, f)
	switch {
	case f.Needs&NeedAudio != 0 && (!dep.audio || resp):
		return ReasonAudio
	case f.Needs&NeedFileID != 0 && !dep.openAI:
		return ReasonFileID // before content parts: the file id is why, wherever it stands
	case f.Needs&NeedOtherParts != 0 && (!dep.otherParts || resp):
		return ReasonOtherParts
	case f.Needs&NeedFileData != 0 && !takesFileData(dep, resp):
		return ReasonOtherParts
	case f.Needs&NeedDocumentURL != 0 && !dep.documentURL && !(resp && dep.responsesFiles):
		return ReasonDocumentURL // OpenAI's Responses API fetches an input_file's file_url
	case f.Needs&NeedServerTools != 0 && !dep.serverTools:
		return ReasonServerTools
	case f.Needs&NeedClaudeWebSearch != 0 && dep.noWebSearch:
		return ReasonWebSearchModel
	case f.Needs&NeedHostedTools != 0 && unservedHosted(dep, f) != 0:
		if dep.noWebSearch && unservedHosted(dep, f) == llm.HostedWebSearch {
			return ReasonWebSearchModel
		}
		return ReasonHostedTools
	case !resp && toolsRefused(dep, f):
		return ReasonToolsEffort
	}
	return ""
}

// callsResponses reports whether dep is called on the Responses API for
// the request, as its adapter decides (provider/openai's UsesResponses):
// its api says so (or its model is served only there), or its api is
// auto on an upstream with a /responses route and the request is one
// only that API serves — hosted tools, the ultrafast tier, a file other
// than a PDF by its bytes (NeedFileData; openai.FilesNeedResponses),
// function tools its model refuses on Chat Completions at the request's
// effort.
func callsResponses(dep *Deployment, f *Features) bool {
	if dep.responses {
		return true
	}
	return dep.autoResponses && (f.Needs&(NeedHostedTools|NeedFileData) != 0 || f.ServiceTier == llm.TierUltrafast || toolsRefused(dep, f))
}

// maxChoicesFor is the most choices (n) dep returns for the request: one
// on the Responses API (callsResponses), else its wire format's bound;
// zero for none known.
func maxChoicesFor(dep *Deployment, f *Features) int {
	if callsResponses(dep, f) {
		return 1
	}
	return dep.maxChoices
}

// refusedParam is the parameter of the request that dep's model refuses
// and that cannot be dropped without changing the answer's meaning: stop
// or logprobs, for OpenAI's reasoning models at the effort sent
// (openai.RefusesStop, openai.RefusesLogprobs), whatever the deployment
// declares, stop on a deployment called on the Responses API
// (callsResponses), and response_format beside tools the model may call
// on Gemini before 3 (NeedJSONWithTools); "" for none.
func refusedParam(dep *Deployment, f *Features) string {
	if dep.geminiPre3 && f.Needs&NeedJSONWithTools != 0 {
		return ParamJSONWithTools
	}
	if !dep.openAI || f.StopSequences == 0 && f.Needs&NeedLogprobs == 0 {
		return ""
	}
	if f.StopSequences > 0 && callsResponses(dep, f) { // the Responses API has no stop
		return "stop"
	}
	var r *llm.Reasoning
	if f.Effort != "" {
		r = &llm.Reasoning{Effort: f.Effort}
	}
	switch {
	case f.StopSequences > 0 && openai.RefusesStop(dep.ModelID(), dep.ReasoningEfforts, r):
		return "stop"
	case f.Needs&NeedLogprobs != 0 && openai.RefusesLogprobs(dep.ModelID(), dep.ReasoningEfforts, r):
		return "logprobs"
	}
	return ""
}

// policyCheck applies the route's, the category's and the rules'
// requirements and ceilings.
func (d *decision) policyCheck(c *Candidate, rej *Rejection) bool {
	dep, ps := c.Deployment, d.ps
	rej.By = ps.name
	if m := dep.caps.missing(ps.require); m != "" {
		rej.Reason, rej.Capability = ReasonRequired, m
		return false
	}
	if d.r != nil && d.matched != 0 {
		for i := range d.r.rules {
			rule := &d.r.rules[i]
			if d.matched&(1<<i) == 0 {
				continue
			}
			if m := dep.caps.missing(rule.require); m != "" {
				rej.Reason, rej.Capability, rej.By = ReasonRequired, m, "rule "+rule.name
				return false
			}
			if indexOf(rule.exclude, dep.Index) != noPref {
				rej.Reason, rej.By = ReasonExcluded, "rule "+rule.name
				return false
			}
		}
	}
	in, out := dep.ListPrices(d.in.Features.PromptTokens) // the long-prompt band's over its threshold
	switch {
	case dep.PriceUnknown && (ps.maxPrice.Input > 0 || ps.maxPrice.Output > 0):
		rej.Reason, rej.Note = ReasonPriceUnknown, "max_price"
	case dep.PriceUnknown && ps.maxCost > 0:
		rej.Reason, rej.Note = ReasonPriceUnknown, "max_cost_per_request"
	case ps.maxPrice.Input > 0 && in > ps.maxPrice.Input:
		rej.Reason, rej.Note, rej.Got, rej.Limit = ReasonPrice, "input", in, ps.maxPrice.Input
	case ps.maxPrice.Output > 0 && out > ps.maxPrice.Output:
		rej.Reason, rej.Note, rej.Got, rej.Limit = ReasonPrice, "output", out, ps.maxPrice.Output
	case ps.maxCost > 0 && c.TierCostUSD > ps.maxCost:
		rej.Reason, rej.Got, rej.Limit, rej.Note = ReasonCost, c.TierCostUSD, ps.maxCost, d.tierNote(dep)
	case ps.budget.TTFT > 0 && dep.TTFT > ps.budget.TTFT:
		rej.Reason, rej.Note, rej.Got, rej.Limit = ReasonLatency, "ttft", msf(dep.TTFT), msf(ps.budget.TTFT)
	case ps.budget.Total > 0 && c.EstLatency > ps.budget.Total:
		rej.Reason, rej.Note, rej.Got, rej.Limit = ReasonLatency, "total", msf(c.EstLatency), msf(ps.budget.Total)
	default:
		return true
	}
	return false
}

// callerCheck applies the caller's own caps and a spent soft budget's
// price ceiling.
func (d *decision) callerCheck(c *Candidate, rej *Rejection) bool {
	ov := &d.in.Overrides
	in, out := c.Deployment.ListPrices(d.in.Features.PromptTokens) // the long-prompt band's over its threshold
	if ov.Excluder != nil {
		if by := ov.Excluder.ExcludedBy(c.Deployment.Name); by != "" {
			rej.Reason, rej.By = ReasonExcluded, by
			return false
		}
	}
	switch {
	case ov.MaxCostUSD > 0 && c.CostUnknown:
		rej.Reason, rej.By = ReasonPriceUnknown, HeaderMaxCost
	case ov.UnknownCostBy != "" && c.CostUnknown:
		rej.Reason, rej.By, rej.Note = ReasonPriceUnknown, ov.UnknownCostBy, NoteBudgetUSD
	case (ov.MaxInputPricePerM > 0 || ov.MaxOutputPricePerM > 0) && c.CostUnknown:
		rej.Reason, rej.By, rej.Note = ReasonPriceUnknown, ov.CeilingBy, NoteBudgetCeiling
	case ov.MaxCostUSD > 0 && c.TierCostUSD > ov.MaxCostUSD:
		rej.Reason, rej.By, rej.Got, rej.Limit, rej.Note = ReasonCost, HeaderMaxCost, c.TierCostUSD, ov.MaxCostUSD, d.tierNote(c.Deployment)
	case ov.LatencyBudget > 0 && c.EstLatency > ov.LatencyBudget:
		rej.Reason, rej.By, rej.Note, rej.Got, rej.Limit = ReasonLatency, HeaderLatencyBudget, "total", msf(c.EstLatency), msf(ov.LatencyBudget)
	case ov.MaxInputPricePerM > 0 && in > ov.MaxInputPricePerM:
		rej.Reason, rej.By, rej.Note, rej.Got, rej.Limit = ReasonPrice, ov.CeilingBy, "input", in, ov.MaxInputPricePerM
	case ov.MaxOutputPricePerM > 0 && out > ov.MaxOutputPricePerM:
		rej.Reason, rej.By, rej.Note, rej.Got, rej.Limit = ReasonPrice, ov.CeilingBy, "output", out, ov.MaxOutputPricePerM
	default:
		return true
	}
	return false
}

func msf(d time.Duration) float64 { return float64(d.Milliseconds()) }

// healthMarks copies onto c what health says of its deployment that
// orders or explains it: demoted, a rate limit window, and the flex or
// fast window that concerns the request (a flex request, one for fast
// mode).
func (d *decision) healthMarks(c *Candidate, st Status) {
	c.Demoted, c.RateLimitedUntil = st.Demoted, st.RateLimitedUntil
	if d.in.Features.ServiceTier == llm.TierFlex {
		c.FlexUnavailableUntil = st.FlexUnavailableUntil
	}
	if d.in.Features.Speed == llm.SpeedFast {
		c.FastUnavailableUntil = st.FastUnavailableUntil
	}
}

// ByRefusal is the By of a max_output rejection by the output limit
// learned from the deployment's own refusal (Status.MaxOutputLearned);
// its Note is when the refusal came (RFC 3339, UTC).
const ByRefusal = "refusal"

// learnedFor is how long the gateway remembers a learned output limit
// (health.OutputLimitMemory), in words.
const learnedFor = "an hour"

// learnedRejection rejects dep, whose refusal stated st's output limit,
// for the request's larger max_tokens.
func learnedRejection(dep *Deployment, f *Features, st *Status) Rejection {
	return Rejection{
		Deployment: dep.Name, Reason: ReasonMaxOutput, By: ByRefusal, Got: float64(f.MaxTokens),
		Limit: float64(st.MaxOutputLearned), Note: st.MaxOutputLearnedAt.UTC().Format(time.RFC3339),
	}
}

// ParamJSONWithTools is the param of a rejection for a JSON answer beside
// tools the model may call (NeedJSONWithTools), which Gemini before 3
// refuses.
const ParamJSONWithTools = "response_format"
