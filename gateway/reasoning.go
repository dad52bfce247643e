package gateway

import (
	"context"
	"slices"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider/thinking"
	"switchyard/route"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
	"switchyard/wire/openai"
	"switchyard/wire/responses"
)

// withReasoning returns d with capability reasoning when a deployment of
// provider p thinks by its model id though its configuration does not say
// so (route.ReasonsOn): OpenAI's o-series and GPT-5, Claude models that
// take extended thinking, Gemini 2.5 and 3, Qwen's thinking models on a
// host that takes their thinking switch. The dispatcher
// sends a request's reasoning controls only to a deployment with the
// capability (a non-reasoning OpenAI model refuses reasoning_effort); any
// other model, an OpenAI-compatible server's included, must declare it.
func withReasoning(d llm.Deployment, p *config.Provider) llm.Deployment {
	if d.Has(llm.CapReasoning) {
		return d
	}
	if route.ReasonsOn(p, d.ModelID()) {
		d.Capabilities = append(slices.Clip(d.Capabilities), llm.CapReasoning)
	}
	return d
}

// droppedControls names what of req the adapter of target t leaves out
// because its model would refuse it: the reasoning controls for a model
// that cannot reason ("reasoning", as the dispatcher strips them; not
// for effort none, which asks no reasoning), an
// Anthropic client's effort where it reaches no dial (effortNamed), an
// OpenAI reasoning model's fixed sampling hints (openai.FixedSampling),
// what Claude's thinking does not take (anthropic.ReasoningDrops), and the
// web_search_options a Claude model without the web search tool is not
// sent (anthropic.SearchLeftOut), the
// reasoning effort a Gemini 3 model gets as another level
// (gemini.DroppedReasoning) and the penalties Gemini 2.5 and later refuse
// (gemini.DroppedPenalties), what
// a deployment called on the Responses API (its api, or for this request
// by openai.CallsResponses) has no place for
// (responses.UpstreamDropped), and
// the unmodeled fields another kind answers without (extraDropped), and
// the explicit prompt caching its model does not take (cacheDropped), and
// the fast mode it does not serve (speedDropped), and the task budget
// its model does not take (taskBudgetDropped), nor the compact edit
// (compactEditDropped); nil for none or no target.
func droppedControls(t *Target, req *llm.Request) []string {
	if t == nil {
		return nil
	}
	r := *req
	var out []string
	if t.Deployment.EffortDial {
		r.Reasoning = req.DialReasoning() // as the dispatcher sends it
	}
	if r.Reasoning != nil && !t.Deployment.Has(llm.CapReasoning) {
		r.Reasoning = nil // as the dispatcher sends it
		if req.Reasoning != nil && req.Reasoning.Effort != llm.EffortNone {
			out = append(out, "reasoning") // none asked no reasoning: nothing is lost
		}
	}
	r.Model, r.BaseModel, r.ReasoningEfforts = t.Deployment.Model, t.Deployment.BaseModel, t.Deployment.ReasoningEfforts
	switch t.Kind {
	case config.KindOpenAI, config.KindAzure:
		out = append(out, openai.FixedSampling(t.Deployment.ModelID(), &r)...)
		if t.Deployment.API == llm.APIResponses || t.Deployment.APIByModel && openai.CallsResponses(&r) {
			out = append(out, responses.UpstreamDropped(&r)...)
		}
	case config.KindAnthropic:
		out = append(out, anthropic.ReasoningDrops(&r)...)
		if anthropic.SearchLeftOut(&r) { // a model without the web search tool
			out = append(out, "web_search_options")
		}
	case config.KindGemini:
		out = append(out, gemini.DroppedReasoning(&r)...)
		out = append(out, gemini.DroppedPenalties(&r)...)
		out = append(out, gemini.DroppedWebSearch(&r)...)
	}
	out = append(out, cacheDropped(t.Kind, t.Deployment.ModelID(), req)...)
	out = append(out, speedDropped(t.Kind, t.Deployment.ModelID(), req)...)
	out = append(out, taskBudgetDropped(t.Kind, t.Deployment.ModelID(), req)...)
	out = append(out, compactEditDropped(t.Kind, t.Deployment.ModelID(), req)...)
	out = effortNamed(t, req, out)
	return append(out, extraDropped(t.Kind, t.ServiceTier, req)...)
}

// WithKeptThinking is withKeptThinking, for a chat request the caller
// in ctx sends outside Chat and Stream: a batch line forwarded to a
// provider batch, sent with the thinking kept for its turn, whose answer
// keeps its own in ctx's scope (provider.Batcher's RestoreAnswer).
func (g *Gateway) WithKeptThinking(ctx context.Context, req *llm.Request) (context.Context, *llm.Request) {
	return g.withKeptThinking(ctx, req)
}

// withKeptThinking returns ctx carrying the caller's tenant as the scope
// in which an adapter keeps the thinking behind its answer's tool calls
// (Claude's thinking, Gemini's signatures), and req with what is kept for
// its current turn put back (thinking.Memory.Restore), for a client that
// could not send it back; otherwise req itself. A request with neither
// reasoning nor tools is returned as it is: nothing is kept for it.
func (g *Gateway) withKeptThinking(ctx context.Context, req *llm.Request) (context.Context, *llm.Request) {
	if req.Reasoning == nil && len(req.Tools) == 0 {
		return ctx, req
	}
	scope := CallerFrom(ctx).Tenant
	ctx = thinking.WithScope(ctx, scope)
	if msgs, ok := g.thoughts.Restore(ctx, scope, req.Messages); ok {
		r := *req
		r.Messages = msgs
		return ctx, &r
	}
	return ctx, req
}
