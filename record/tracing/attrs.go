package tracing

import (
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"switchyard/record"
	"switchyard/route"
	"switchyard/store"
)

// The attribute keys of the spans; docs/telemetry.md lists them. Every
// value comes from the record's routing and accounting fields, never from
// message content.
const (
	keyRequestID    = "switchyard.request_id"
	keyEndpoint     = "switchyard.endpoint"
	keyRoute        = "switchyard.route"
	keyPinned       = "switchyard.pinned"
	keyCategory     = "switchyard.category"
	keyConfidence   = "switchyard.confidence"
	keyDeployment   = "switchyard.deployment"
	keyProvider     = "switchyard.provider"
	keyModel        = "gen_ai.response.model"
	keyTier         = "switchyard.tier"
	keyStatus       = "http.response.status_code"
	keyErrorKind    = "switchyard.error_kind"
	keyStreamFailed = "switchyard.stream_failed"
	keyStream       = "switchyard.stream"
	keyAttempts     = "switchyard.attempts"
	keyInputTokens  = "gen_ai.usage.input_tokens"
	keyOutputTokens = "gen_ai.usage.output_tokens"
	keyCost         = "switchyard.cost_usd"
	keyEstimated    = "switchyard.usage_estimated"
	keyServedCost   = "switchyard.served_cost_usd"
	keyCostUnknown  = "switchyard.cost_unknown"
	keyTTFT         = "switchyard.ttft_ms"
	keyTenant       = "switchyard.tenant"
	keyKeyName      = "switchyard.key_name"
	keyResumedFrom  = "switchyard.resumed_from"
	keyResumeMode   = "switchyard.resume_mode"
	keyPolicy       = "switchyard.plan.policy"
	keyStrategy     = "switchyard.plan.strategy"
	keyScorer       = "switchyard.plan.scorer"
	keyCatSource    = "switchyard.plan.category_source"
	keyRules        = "switchyard.plan.rules"
	keySplit        = "switchyard.plan.split"
	keyCandidates   = "switchyard.plan.candidates"
	keyRejected     = "switchyard.plan.rejected"
	keyOutcome      = "switchyard.outcome"
	keyHedge        = "switchyard.hedge"
	keyResumed      = "switchyard.resumed"
)

// spanName names a request span by its endpoint and route ("chat auto"),
// both from bounded sets.
func spanName(r *record.Record) string {
	if r.Route == "" {
		return r.Endpoint
	}
	return r.Endpoint + " " + r.Route
}

// requestAttrs returns the request span's attributes; empty and zero
// values are left out.
func requestAttrs(r *record.Record) []attribute.KeyValue {
	a := make([]attribute.KeyValue, 0, 32)
	str := func(k, v string) {
		if v != "" {
			a = append(a, attribute.String(k, v))
		}
	}
	str(keyRequestID, r.RequestID)
	str(keyEndpoint, r.Endpoint)
	str(keyRoute, r.Route)
	str(keyPinned, r.Pinned)
	if r.Category != "" {
		a = append(a, attribute.String(keyCategory, string(r.Category)), attribute.Float64(keyConfidence, r.Confidence))
	}
	str(keyDeployment, r.Deployment)
	str(keyProvider, r.Provider)
	str(keyModel, r.Model)
	if r.Tier > 0 {
		a = append(a, attribute.Int(keyTier, r.Tier))
	}
	a = append(a, attribute.Int(keyStatus, r.Status), attribute.Bool(keyStream, r.Stream), attribute.Int(keyAttempts, r.Attempts))
	str(keyErrorKind, string(r.ErrorKind))
	if r.StreamFailed {
		a = append(a, attribute.Bool(keyStreamFailed, true))
	}
	a = append(a, usageAttrs(r.Usage.PromptTokens, r.Usage.CompletionTokens, r.CostUSD)...)
	if r.UsageEstimated() {
		a = append(a, attribute.Bool(keyEstimated, true))
	}
	a = append(a, attribute.Float64(keyServedCost, r.ServedCostUSD))
	if r.CostUnknown {
		a = append(a, attribute.Bool(keyCostUnknown, true))
	}
	if r.TTFT > 0 {
		a = append(a, attribute.Float64(keyTTFT, float64(r.TTFT.Microseconds())/1000))
	}
	str(keyTenant, r.Tenant)
	str(keyKeyName, r.Caller)
	str(keyResumedFrom, r.ResumedFrom)
	str(keyResumeMode, r.ResumeMode)
	if r.Plan != nil {
		a = append(a, planAttrs(r.Plan)...)
	}
	return a
}

func usageAttrs(in, out int, cost float64) []attribute.KeyValue {
	return []attribute.KeyValue{
		attribute.Int(keyInputTokens, in), attribute.Int(keyOutputTokens, out), attribute.Float64(keyCost, cost),
	}
}

// planAttrs returns the routing decision in compact form: which policy
// and strategy decided, the candidates by tier and the rejected ones.
func planAttrs(p *route.Plan) []attribute.KeyValue {
	e := &p.Explanation
	a := []attribute.KeyValue{
		attribute.String(keyPolicy, e.Policy),
		attribute.String(keyStrategy, string(e.Strategy)),
		attribute.String(keyCandidates, candidates(p)),
	}
	if e.Scorer != "" {
		a = append(a, attribute.String(keyScorer, e.Scorer))
	}
	if e.CategorySource != "" {
		a = append(a, attribute.String(keyCatSource, e.CategorySource))
	}
	if len(e.Rules) > 0 {
		a = append(a, attribute.StringSlice(keyRules, e.Rules))
	}
	if e.Split != "" {
		a = append(a, attribute.String(keySplit, e.Split))
	}
	if len(e.Rejected) > 0 {
		a = append(a, attribute.String(keyRejected, rejected(e.Rejected)))
	}
	return a
}

// candidates renders a plan's tiers as "a,b;c": deployments in the order
// they are tried, tiers separated by ";".
func candidates(p *route.Plan) string {
	var b strings.Builder
	for i := range p.Tiers {
		if i > 0 {
			b.WriteByte(';')
		}
		for j, c := range p.Tiers[i].Candidates {
			if j > 0 {
				b.WriteByte(',')
			}
			if c.Deployment != nil {
				b.WriteString(c.Deployment.Name)
			}
		}
	}
	return b.String()
}

// rejected renders the rejected candidates as "x:max_cost,y:capability".
func rejected(rs []route.Rejection) string {
	var b strings.Builder
	for i := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(rs[i].Deployment)
		b.WriteByte(':')
		b.WriteString(string(rs[i].Reason))
	}
	return b.String()
}

// requestStatus is the request span's status: an error for a 5xx or a
// stream cut after its first byte (a 4xx is the client's, as OpenTelemetry's
// conventions for server spans have it).
func requestStatus(r *record.Record) (codes.Code, string) {
	if r.Status >= 500 || r.StreamFailed {
		return codes.Error, string(r.ErrorKind)
	}
	return codes.Unset, ""
}

func attemptAttrs(at *record.Attempt) []attribute.KeyValue {
	a := []attribute.KeyValue{
		attribute.String(keyDeployment, at.Deployment),
		attribute.Int(keyTier, at.Tier),
		attribute.String(keyOutcome, at.Outcome),
	}
	if at.ErrorKind != "" {
		a = append(a, attribute.String(keyErrorKind, string(at.ErrorKind)))
	}
	if at.TTFT > 0 {
		a = append(a, attribute.Float64(keyTTFT, float64(at.TTFT.Microseconds())/1000))
	}
	a = append(a, usageAttrs(at.Usage.PromptTokens, at.Usage.CompletionTokens, at.CostUSD)...)
	if at.Usage.Estimated {
		a = append(a, attribute.Bool(keyEstimated, true))
	}
	if at.CostUnknown {
		a = append(a, attribute.Bool(keyCostUnknown, true))
	}
	return append(a, attribute.Bool(keyHedge, at.Hedge), attribute.Bool(keyResumed, at.Resumed))
}

// attemptStatus is an error for an attempt that failed, timed out or was
// cut; one canceled (a hedge lost, the client left) is not an error.
func attemptStatus(a *record.Attempt) (codes.Code, string) {
	switch a.Outcome {
	case store.OutcomeError, store.OutcomeTimeout, store.OutcomeCut:
		return codes.Error, a.Outcome + ": " + string(a.ErrorKind)
	}
	return codes.Unset, ""
}
