package gateway

import (
	"context"
	"strings"
	"time"

	"switchyard/budget"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/guard"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
	"switchyard/tenant"
	"switchyard/wire/anthropic"
)

// Chat answers a complete (non-streamed) chat request, routed by the
// policy with the caller's overrides (nil for none) and run by the
// dispatcher. It fills served as it goes, so the caller can report where
// the request went even on error. Errors are *llm.Error values.
func (g *Gateway) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (*llm.Response, error) {
	g.resolveModel(req)
	ov = g.resolvePin(ov)
	rec := g.newRecord(ctx, "chat", false)
	g.keepRequest(rec, req)
	log := new(dispatch.Attempts)
	c := cutOnShutdown(ctx)
	var hold budget.Hold
	var ticket *tenant.Ticket
	resp, err := g.chat(c.ctx, req, ov, served, rec, log, &hold, &ticket)
	err = c.err(err)
	c.cancel()
	if err == nil && g.keepAnswers {
		rec.Answer = resp
	}
	g.finish(rec, served, log, err, &hold, ticket)
	return resp, err
}

func (g *Gateway) chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served, rec *record.Record, log *dispatch.Attempts, hold *budget.Hold, ticket **tenant.Ticket) (*llm.Response, error) {
	ov, t, err := g.admit(ctx, req.Model, ov)
	if err != nil {
		return nil, err
	}
	*ticket = t
	if err := g.screen(req, rec, served); err != nil {
		return nil, err
	}
	if ov, err = g.beginBudgets(ctx, req.Model, ov, hold); err != nil {
		return nil, err
	}
	plan, err := g.plan(ctx, req, ov, served, rec)
	if err != nil {
		return nil, err
	}
	fb, err := g.addFallbacks(ctx, req, ov, plan, rec)
	if err != nil {
		return nil, err
	}
	if err := reserveTokens(ctx, t, plan); err != nil {
		return nil, err
	}
	if err := g.reserveBudgets(ctx, hold, plan); err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx, plan.Deadline)
	defer cancel()
	dp := g.dispatchPlan(plan, req)
	dp.Attempts, dp.OnAbandon = log, onAbandon(rec, dp.PromptTokens, req)
	ctx, sent := g.withKeptThinking(ctx, req)
	if fb != nil {
		fb.apply(g, dp, plan, rec, sent)
	}
	resp, err := g.dispatcher.Chat(ctx, sent, dp, served)
	g.summarize(served, plan, rec, sent, log)
	if err != nil {
		return nil, err
	}
	resp.Fallbacks = g.noteFallbacks(fb, served)
	if t := g.byName[served.Deployment]; t != nil {
		u := cost.Usage(dp.PromptTokens, resp)
		served.CostUSD = bill(rec, log.Served(), &t.Deployment, u, true)
		served.CostUnknown = t.Deployment.CostUnknown(u)
	}
	g.finishAnswer(req, resp, rec)
	return resp, nil
}

// finishAnswer gives resp, the complete answer to req, what the gateway
// does to one before the client sees it: the Markdown fence around JSON
// asked for stripped (stripJSONFences), the text and tool calls
// sanitized by the output guard of req's model (sanitizeAnswer), noted
// in rec.
func (g *Gateway) finishAnswer(req *llm.Request, resp *llm.Response, rec *record.Record) {
	if rf := req.ResponseFormat; rf != nil && rf.Type != llm.FormatText {
		stripJSONFences(resp)
	}
	if guard := g.guards.policy(req.Model); guard.output != nil {
		sanitizeAnswer(guard, req, resp, rec)
	}
}

// plan decides and notes the decision in served and rec.
func (g *Gateway) plan(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served, rec *record.Record) (*route.Plan, error) {
	plan, err := g.decide(ctx, req, ov, rec.Guard)
	if plan == nil {
		return nil, err
	}
	if plan.Pinned == "" || g.policy.IsRoute(req.Model) {
		served.Route = plan.Route
	}
	note(rec, plan) // a refusal too: its route, category and rejections
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// summarize fills the compact routing summary once the dispatcher has
// said which deployment (and tier) served, naming the deployments of log
// that refused the request for what they are (declined=, Attempts.
// Declined) and the sampling hints of req that deployment's adapter
// dropped (droppedControls).
func (g *Gateway) summarize(served *llm.Served, plan *route.Plan, rec *record.Record, req *llm.Request, log *dispatch.Attempts) {
	served.PromptTokens = plan.Explanation.Features.PromptTokens
	if served.Deployment == "" {
		return
	}
	tier := served.Tier - 1
	if tier < 0 {
		tier = 0
	}
	served.Summary = plan.SummaryServed(tier, served)
	if declined := log.Declined(); declined != "" {
		served.Summary += "; declined=" + declined
	}
	dropped := append(hostedDropped(plan, served.Deployment), droppedControls(g.byName[served.Deployment], req)...)
	if len(dropped) > 0 {
		served.Summary += "; dropped=" + strings.Join(dropped, ",")
	}
	rec.Tier = served.Tier
}

func withDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

// stripJSONFences removes the Markdown code fence some models wrap JSON in
// when asked for JSON output (guard.StripJSONFence), so the content parses
// as asked. Streamed answers are relayed as they come.
func stripJSONFences(resp *llm.Response) {
	for i := range resp.Choices {
		if m := &resp.Choices[i].Message; len(m.Content) == 1 {
			m.Content[0].Text = guard.StripJSONFence(m.Content[0].Text)
		}
	}
}

// Stream starts a streamed chat, routed like Chat. Failures before the
// first chunk fail over to the next candidate; after it, a failure ends
// the stream with an error. The caller must Close the stream; the
// request is recorded then.
func (g *Gateway) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error) {
	g.resolveModel(req)
	ov = g.resolvePin(ov)
	rec := g.newRecord(ctx, "chat", true)
	g.keepRequest(rec, req)
	s := &servedStream{g: g, rec: rec, served: served, includeUsage: req.IncludeUsage}
	if wantsJSON(req) {
		s.fence = new(fenceStripper)
	}
	if p := g.guards.policy(req.Model); p.output != nil {
		s.guard = newAnswerGuard(p, req) // nil when it would do nothing
	}
	c := cutOnShutdown(ctx)
	if err := g.stream(c.ctx, req, ov, s); err != nil {
		err = c.err(err)
		c.cancel()
		g.finish(rec, served, &s.log, err, &s.budget, s.ticket)
		return nil, err
	}
	s.cut = c
	if g.keepAnswers {
		s.answer = &llm.Accumulator{MaxText: maxKeptAnswer, MaxParts: g.keptParts()}
	}
	return s, nil
}

// maxKeptAnswer bounds the text of a streamed answer a record keeps (in
// Record.Answer, for the quality signals and the request log's body, which
// keeps less): a stream is relayed however long it is, and the router's
// memory must not grow with it.
const maxKeptAnswer = 1 << 20

// keptParts bounds what a record keeps of a streamed answer beside its
// text (audio, hosted tool items such as generated images, citations,
// signatures): server.max_answer_bytes, the limit of an answer held
// whole, or its default.
func (g *Gateway) keptParts() int {
	if g.maxAnswerBytes > 0 {
		return g.maxAnswerBytes
	}
	return dispatch.DefaultMaxAnswerBytes
}

// stream plans req and starts the dispatcher's stream into s.
func (g *Gateway) stream(ctx context.Context, req *llm.Request, ov *route.Overrides, s *servedStream) error {
	ov, t, err := g.admit(ctx, req.Model, ov)
	if err != nil {
		return err
	}
	s.ticket = t
	if err := g.screen(req, s.rec, s.served); err != nil {
		return err
	}
	if ov, err = g.beginBudgets(ctx, req.Model, ov, &s.budget); err != nil {
		return err
	}
	plan, err := g.plan(ctx, req, ov, s.served, s.rec)
	if err != nil {
		return err
	}
	fb, err := g.addFallbacks(ctx, req, ov, plan, s.rec)
	if err != nil {
		return err
	}
	if err := reserveTokens(ctx, t, plan); err != nil {
		return err
	}
	if err := g.reserveBudgets(ctx, &s.budget, plan); err != nil {
		return err
	}
	ctx, cancel := withDeadline(ctx, plan.Deadline)
	dp := g.dispatchPlan(plan, req)
	dp.Attempts = &s.log
	if dp.HedgeAfter > 0 || dp.HedgeQuantile > 0 || dp.RefusalFallback {
		// a hedge that lost with a chunk in hand, a refusal passed over
		dp.OnAbandon = onAbandon(s.rec, dp.PromptTokens, req)
	}
	ctx, sent := g.withKeptThinking(ctx, req)
	if fb != nil {
		fb.apply(g, dp, plan, s.rec, sent)
	}
	ds, err := g.dispatcher.Stream(ctx, sent, dp, s.served)
	g.summarize(s.served, plan, s.rec, sent, &s.log)
	if err != nil {
		cancel()
		return err
	}
	g.noteFallbacks(fb, s.served)
	s.inner, s.target, s.firstAt, s.cancel, s.prompt = ds, ds.Deployment(), g.now(), cancel, dp.PromptTokens
	s.advisor = anthropic.AdvisorModel(req.Tools)
	return nil
}
