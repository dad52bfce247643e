package server

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"switchyard/api/openai/batch"
	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/route"
	"switchyard/store"
	wireanthropic "switchyard/wire/anthropic"
	wireopenai "switchyard/wire/openai"
)

// forwarder sends the lines of batches to the providers' own batch APIs
// (batch.Forwarder; docs/batches.md#forwarding): each line routed as a
// live request of the batch's key by the gateway serving now, those whose
// first choice takes provider batches (config.TakesBatches, an adapter
// that is a provider.Batcher) sent per deployment, and each answer
// decoded by the adapter, recorded and priced at the batch price by the
// gateway, and rendered in the shape of the batch's endpoint.
type forwarder struct {
	gens *generations
	// caller is who a batch's requests run as (Server.batchCaller).
	caller func(batch.Owner) (gateway.Caller, error)
	// discount is batches.discount.
	discount float64
	// log hears of the lines whose budget holds fail.
	log *slog.Logger
	// files holds the Files API's files; nil when none is kept. A line
	// naming one of its files by id runs on the router (namesHeldFile).
	files *fileStore
}

var _ batch.Forwarder = (*forwarder)(nil)

// context is ctx as the caller of owner's batch, with a new request id.
func (f *forwarder) context(ctx context.Context, owner batch.Owner) (context.Context, string, error) {
	c, err := f.caller(owner)
	if err != nil {
		return nil, "", err
	}
	id := newRequestID()
	return gateway.WithBatch(gateway.WithCaller(llm.WithRequestID(ctx, id), c), owner.Batch), id, nil
}

// Split implements batch.Forwarder.
func (f *forwarder) Split(ctx context.Context, owner batch.Owner, endpoint string, lines []batch.Line) ([]batch.Group, []batch.Line) {
	g := f.gens.acquire()
	defer g.release()
	var (
		local  []batch.Line
		groups []batch.Group
		at     = map[string]int{}
	)
	for _, l := range lines {
		dep := f.deployment(ctx, g, owner, endpoint, &l)
		if dep == "" {
			local = append(local, l)
			continue
		}
		key := groupKey(g, endpoint, dep, &l)
		i, ok := at[key]
		if !ok {
			i = len(groups)
			at[key] = i
			groups = append(groups, batch.Group{Deployment: dep})
		}
		groups[i].Lines = append(groups[i].Lines, l)
	}
	return groups, local
}

// deployment is the deployment whose provider batch l goes to, "" when
// it runs on the router: a line that does not decode, streams, names a
// file the router holds (namesHeldFile), is refused or guarded as a live
// request, whose first choice does not take provider batches, is sent a
// lowered max_tokens (lowersMaxTokens) or asks a Claude deployment for
// OpenAI's web search (searchesOnClaude).
func (f *forwarder) deployment(ctx context.Context, g *generation, owner batch.Owner, endpoint string, l *batch.Line) string {
	if l.Stream {
		return ""
	}
	req, ok := decodeLine(endpoint, l.Body)
	if !ok || req.chat != nil && req.chat.Fallbacks != nil {
		return "" // a client's refusal fallback runs in the router only
	}
	ctx, _, err := f.context(ctx, owner)
	if err != nil || req.chat != nil && (namesHeldFile(ctx, f.files, req.chat) || editedByRouter(ctx, g, req.chat)) {
		return ""
	}
	hold := f.hold(g, owner, l)
	hold.Takes = func(t *gateway.Target) bool { return takesBatches(g, t) }
	var t *gateway.Target
	var plan *route.Plan
	if req.embed != nil {
		t, err = g.gw.PlanBatchEmbedding(ctx, req.embed, hold)
	} else {
		t, plan, err = g.gw.PlanBatchLine(ctx, req.chat, hold)
	}
	if err != nil || t == nil || !takesBatches(g, t) || lowersMaxTokens(plan) || req.chat != nil && searchesOnClaude(req.chat, t) {
		return ""
	}
	return t.Deployment.Name
}

// lowersMaxTokens reports whether plan's first choice is sent a lower
// max_tokens than the line asks for (route.Candidate.MaxTokens): only the
// router sends it so; a provider batch would be sent the line as it came,
// which the provider refuses.
func lowersMaxTokens(plan *route.Plan) bool {
	return plan != nil && len(plan.Tiers) > 0 && len(plan.Tiers[0].Candidates) > 0 && plan.Tiers[0].Candidates[0].MaxTokens > 0
}

// searchesOnClaude reports whether req asks for OpenAI's web search (the
// Responses API's web_search tools, Chat Completions' web_search_options)
// and t is a Claude deployment: its adapter declares Claude's web search
// tool and turns the search and citations back into the client's shapes
// on the live path only (provider/anthropic lowerWebSearch), so such a
// line runs on the router.
func searchesOnClaude(req *llm.Request, t *gateway.Target) bool {
	_, chat := req.Extra["web_search_options"]
	return (chat || req.OpenAIHosted != nil) && t.Kind == config.KindAnthropic
}

// editedByRouter reports whether the router applies a context edit of
// req itself (context_management: a clearing edit its first choice
// cannot apply, a compaction it cannot do; gateway.ContextEditing), in
// the Anthropic API handler, which only a line run on the router goes
// through.
func editedByRouter(ctx context.Context, g *generation, req *llm.Request) bool {
	if len(req.ContextManagement) == 0 {
		return false
	}
	edits, compacts := g.gw.ContextEditing(ctx, req, nil)
	compact, _ := wireanthropic.CompactEditOf(req.ContextManagement)
	return !edits || compact != nil && !compacts
}

// takesBatches reports whether the line's first choice t takes provider
// batches: declared so, and its adapter has a batch API.
func takesBatches(g *generation, t *gateway.Target) bool {
	if !g.cfg.TakesBatches(t.Deployment.Name) {
		return false
	}
	_, ok := t.Provider.(provider.Batcher)
	return ok
}

// batcher is the provider batch API of the deployment dep in g.
func batcherOf(g *generation, dep string) (provider.Batcher, *gateway.Target, error) {
	t := g.gw.Target(dep)
	if t == nil {
		return nil, nil, fmt.Errorf("batches: the deployment %q of a provider batch is no longer configured", dep)
	}
	b, ok := t.Provider.(provider.Batcher)
	if !ok {
		return nil, nil, fmt.Errorf("batches: the provider of the deployment %q has no batch API", dep)
	}
	return b, t, nil
}

// Submit implements batch.Forwarder: each chat line prepared as the
// dispatcher prepares a live request for the deployment
// (dispatch.Upstream), each embeddings line given its upstream model as
// the gateway gives it, and encoded by its adapter.
func (f *forwarder) Submit(ctx context.Context, owner batch.Owner, endpoint string, grp batch.Group, key string) (string, error) {
	g := f.gens.acquire()
	defer g.release()
	b, t, err := batcherOf(g, grp.Deployment)
	if err != nil {
		return "", fmt.Errorf("%w: %w", batch.ErrNotCreated, err)
	}
	reqs := make([]provider.BatchRequest, 0, len(grp.Lines))
	for _, l := range grp.Lines {
		req, ok := decodeLine(endpoint, l.Body)
		if !ok {
			return "", fmt.Errorf("%w: batches: line %d no longer decodes", batch.ErrNotCreated, l.Number)
		}
		r := provider.BatchRequest{CustomID: batch.ForwardCustomID(key, l.Index)}
		if req.embed != nil {
			up := *req.embed
			up.Model = t.Deployment.Model
			r.Embedding = &up
		} else {
			_, r.Request = f.upstream(ctx, g, owner, t, req.chat)
		}
		reqs = append(reqs, r)
	}
	id, err := b.SubmitBatch(ctx, key, reqs)
	return id, refusedCreation(err)
}

// upstream is the chat line req of owner's batch as it is sent to t's
// provider batch: with the thinking kept for its turn
// (gateway.WithKeptThinking), prepared as the dispatcher prepares a live
// request (dispatch.Upstream); and the context, of the batch's caller,
// whose thinking scope its answer keeps its own in. A caller that is gone
// sends req without kept thinking (its answer will get the caller's
// error).
func (f *forwarder) upstream(ctx context.Context, g *generation, owner batch.Owner, t *gateway.Target, req *llm.Request) (context.Context, *llm.Request) {
	if cctx, _, err := f.context(ctx, owner); err == nil {
		ctx, req = g.gw.WithKeptThinking(cctx, req)
	}
	return ctx, dispatch.Upstream(req, &t.Deployment)
}

// Find implements batch.Forwarder: "" when the deployment's adapter
// cannot find a batch (provider.BatchFinder), or the deployment is no
// longer configured (nothing could poll it: its lines are sent again).
// The adapter is given the custom ids of fw's lines when they carry its
// key (batch.CarriesKey). Several candidates, none taken, are logged.
func (f *forwarder) Find(ctx context.Context, _ batch.Owner, fw store.BatchForward) (string, bool, error) {
	g := f.gens.acquire()
	defer g.release()
	b, _, err := batcherOf(g, fw.Deployment)
	if err != nil {
		return "", false, nil
	}
	finder, ok := b.(provider.BatchFinder)
	if !ok {
		return "", false, nil
	}
	var ids []string
	if batch.CarriesKey(fw.Key) {
		for _, i := range fw.Lines {
			ids = append(ids, batch.ForwardCustomID(fw.Key, i))
		}
	}
	found, err := finder.FindBatch(ctx, fw.Key, fw.Created, ids)
	if err != nil {
		return "", false, err
	}
	if len(found.Candidates) > 0 {
		f.log.Warn("batches: several provider batches in progress could be the one whose id was not kept; none is taken, its lines are sent again", "deployment", fw.Deployment, "candidates", found.Candidates)
	}
	return found.ID, found.Proven, nil
}

// Poll implements batch.Forwarder.
func (f *forwarder) Poll(ctx context.Context, _ batch.Owner, fw store.BatchForward) (bool, error) {
	g := f.gens.acquire()
	defer g.release()
	b, _, err := batcherOf(g, fw.Deployment)
	if err != nil {
		return false, err
	}
	st, err := b.PollBatch(ctx, fw.ID)
	return st.Ended, err
}

// Cancel implements batch.Forwarder.
func (f *forwarder) Cancel(ctx context.Context, _ batch.Owner, fw store.BatchForward) error {
	g := f.gens.acquire()
	defer g.release()
	b, _, err := batcherOf(g, fw.Deployment)
	if err != nil {
		return err
	}
	return b.CancelBatch(ctx, fw.ID)
}

// Results implements batch.Forwarder: each answer given back what the
// adapter changed in its request (provider.Batcher's RestoreAnswer),
// recorded as a request of the batch's key (gateway.RecordBatchLine) and
// rendered as the API
// handler of endpoint renders a live answer.
func (f *forwarder) Results(ctx context.Context, owner batch.Owner, endpoint string, fw store.BatchForward, lines []batch.Line) ([]batch.Outcome, []batch.Line, error) {
	g := f.gens.acquire()
	defer g.release()
	b, t, err := batcherOf(g, fw.Deployment)
	if err != nil {
		return nil, nil, err
	}
	results, err := b.BatchResults(ctx, fw.ID)
	if err != nil {
		return nil, nil, err
	}
	byLine := f.resultsByLine(fw, results)
	var (
		done  []batch.Outcome
		retry []batch.Line
	)
	for i := range lines {
		l := &lines[i]
		r := byLine[l.Index]
		req, ok := decodeLine(endpoint, l.Body)
		if r == nil || !ok || r.Err != nil && r.Err.Retryable || r.Err == nil && !answers(req, r) {
			retry = append(retry, retriedLine(*l, r, t.Deployment, f.batchPrice(g)))
			continue
		}
		if r.Response != nil && req.chat != nil { // the client's names back, as on a live answer
			actx, up := f.upstream(ctx, g, owner, t, req.chat)
			b.RestoreAnswer(actx, up, r.Response)
		}
		res, err := f.render(ctx, g, owner, endpoint, fw.Deployment, l.Index, req, r)
		if err != nil { // the key is gone: the line gets the error a live request would
			retry = append(retry, *l)
			continue
		}
		done = append(done, batch.Outcome{Line: l, Result: res})
	}
	return done, retry, nil
}

// resultsByLine maps the results of fw to the indexes of the lines
// whose custom ids they carry; a result whose custom id is not one of
// fw's lines' (another's batch, found unproven) answers none, logged.
func (f *forwarder) resultsByLine(fw store.BatchForward, results []provider.BatchResult) map[int]*provider.BatchResult {
	out := make(map[int]*provider.BatchResult, len(results))
	foreign := 0
	for i := range results {
		index, ok := batch.ForwardLineIndex(fw.Key, results[i].CustomID)
		if !ok {
			foreign++
			continue
		}
		out[index] = &results[i]
	}
	if foreign > 0 {
		f.log.Warn("batches: a provider batch answered requests whose custom ids are not its lines'; they answer none", "provider_batch", fw.ID, "results", foreign)
	}
	return out
}

// render records the answer r to req, line index of owner's batch,
// settling its budget hold, and returns it as the line's result, in
// endpoint's shape.
func (f *forwarder) render(ctx context.Context, g *generation, owner batch.Owner, endpoint, dep string, index int, req lineRequest, r *provider.BatchResult) (batch.Result, error) {
	ctx, id, err := f.context(context.WithoutCancel(ctx), owner)
	if err != nil {
		return batch.Result{}, err
	}
	var answerErr error
	answer := r.Response
	if r.Err != nil {
		answerErr = r.Err
		if r.Usage != nil { // what the failed answer used, billed
			answer = &llm.Response{Usage: r.Usage}
		}
	}
	price, hold := f.batchPrice(g), batch.HoldID(owner.Batch, index)
	if req.embed != nil {
		return f.renderEmbedding(ctx, g, id, dep, hold, req.embed, r, price), nil
	}
	served := g.gw.RecordBatchLine(ctx, req.chat, dep, hold, price, answer, answerErr)
	if r.Err != nil {
		res := errorResult(endpoint, r.Err)
		res.RequestID, res.CostUSD = id, served.CostUSD
		return res, nil
	}
	cost := ""
	if !served.CostUnknown {
		cost = strconv.FormatFloat(llm.RoundUSD(served.CostUSD), 'f', -1, 64)
	}
	var body []byte
	switch endpoint {
	case batch.MessagesEndpoint:
		body = wireanthropic.AppendResponse(nil, r.Response, wireanthropic.MessageID(r.Response.ID, id))
	case completionsEndpoint:
		body = appendCompletion(req.completion, id, &served, r.Response, cost)
	default:
		body = wireopenai.AppendChatResponseCost(nil, r.Response, cost)
	}
	return batch.Result{Status: 200, RequestID: id, CostUSD: served.CostUSD, Body: body}, nil
}

// newForwarder returns the forwarder of cfg's batches section, nil when
// it forwards nothing; files holds the Files API's files (nil: none).
func newForwarder(cfg *config.Config, gens *generations, caller func(batch.Owner) (gateway.Caller, error), files *fileStore, log *slog.Logger) batch.Forwarder {
	if !cfg.Batches.Forwards() {
		return nil
	}
	return &forwarder{gens: gens, caller: caller, discount: cfg.Batches.BatchDiscount(), log: log, files: files}
}
