package drift

import (
	"context"
	"time"

	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/llm"
)

// Asker sends golden prompts to deployments. Implementations must be
// safe for concurrent use.
type Asker interface {
	// Ask sends req to deployment and returns the answer with its cost
	// and latency, or the failure (an *llm.Error when the deployment
	// failed).
	Ask(ctx context.Context, deployment string, req *llm.Request) (Reply, error)
	// Estimate returns the most req can cost on deployment (its prompt
	// and its max tokens at the deployment's prices), and false when the
	// deployment's price is unknown.
	Estimate(deployment string, req *llm.Request) (usd float64, known bool)
}

// Reply is a deployment's answer to a golden prompt.
type Reply struct {
	Response *llm.Response
	CostUSD  float64
	Latency  time.Duration
}

// DispatchAsker asks deployments through the router's own path: the
// dispatcher runs a plan of one target (retries, timeouts and stream
// assembly as for any request) with the provider adapters the router
// uses.
type DispatchAsker struct {
	// Targets are the deployments by name.
	Targets map[string]*dispatch.Target
	// Dispatcher runs the plans. Give it no health tracker (as
	// NewDispatchAsker does) to keep golden traffic out of the breakers
	// and latency baselines that route live traffic.
	Dispatcher *dispatch.Dispatcher
	// TTFTTimeout bounds the wait for a first token; zero means only ctx.
	TTFTTimeout time.Duration
	// Now is the clock of latencies; nil means time.Now.
	Now func() time.Time
}

// NewDispatchAsker returns an asker of targets with a dispatcher of its
// own that feeds no health tracker. maxAnswerBytes bounds an answer it
// holds whole, as the router's dispatcher does (server.max_answer_bytes;
// zero means dispatch.DefaultMaxAnswerBytes): a deployment that answers
// more fails the prompt with code answer_too_large.
func NewDispatchAsker(targets map[string]*dispatch.Target, maxAnswerBytes int) *DispatchAsker {
	return &DispatchAsker{Targets: targets, Dispatcher: dispatch.New(dispatch.Options{MaxAnswerBytes: maxAnswerBytes}), TTFTTimeout: 60 * time.Second}
}

// Ask implements Asker.
func (a *DispatchAsker) Ask(ctx context.Context, deployment string, req *llm.Request) (Reply, error) {
	t := a.Targets[deployment]
	if t == nil {
		return Reply{}, llm.Errorf(llm.KindNotFound, "drift: no deployment %q", deployment)
	}
	now := a.Now
	if now == nil {
		now = time.Now
	}
	prompt := cost.PromptTokens(req)
	plan := &dispatch.Plan{
		Tiers:        []dispatch.Tier{{Targets: []*dispatch.Target{t}, TTFTTimeout: a.TTFTTimeout}},
		PromptTokens: prompt, Pinned: deployment,
	}
	start := now()
	var served llm.Served
	resp, err := a.Dispatcher.Chat(ctx, req, plan, &served)
	rep := Reply{Response: resp, Latency: now().Sub(start)}
	if err != nil {
		return rep, err
	}
	rep.CostUSD = t.Deployment.Cost(cost.Usage(prompt, resp))
	return rep, nil
}

// Estimate implements Asker.
func (a *DispatchAsker) Estimate(deployment string, req *llm.Request) (float64, bool) {
	t := a.Targets[deployment]
	if t == nil || t.Deployment.PriceUnknown {
		return 0, false
	}
	out := DefaultMaxTokens
	if req.MaxTokens != nil {
		out = *req.MaxTokens
	}
	return t.Deployment.Cost(llm.Usage{PromptTokens: cost.PromptTokens(req), CompletionTokens: out}), true
}
