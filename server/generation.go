package server

import (
	"context"
	"io"
	"sync"
	"sync/atomic"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/gateway"
	"switchyard/guard"
	"switchyard/learn"
	"switchyard/llm"
	"switchyard/reload"
	"switchyard/route"
	wire "switchyard/wire/openai"
)

// This file swaps configurations in without dropping a request: each
// configuration applied builds a generation (its gateway, model list and
// prices); the API calls the current one, and a request keeps the
// generation it started on until it ends, even when another is swapped
// in meanwhile. A generation replaced is closed once its last request
// ends.

// generation is what one configuration builds.
type generation struct {
	cfg    *config.Config
	gw     *gateway.Gateway
	models []wire.Model
	prices map[string]cost.Pricing
	// savings is what the weekly report's savings read of cfg.
	savings *learn.SavingsPolicy
	// refs counts the calls under way on it; retired reports it replaced,
	// and drained runs once both hold (no call, replaced).
	refs      atomic.Int64
	retired   atomic.Bool
	drainOnce sync.Once
	drained   func()
}

func newGeneration(cfg *config.Config, gw *gateway.Gateway) *generation {
	return &generation{cfg: cfg, gw: gw, models: modelList(gw)(), prices: prices(gw), savings: admin.SavingsPolicyOf(gw.Policy(), cfg)}
}

// savingsPolicy returns what the report's savings read of the
// configuration serving now.
func (r *Router) savingsPolicy() *learn.SavingsPolicy { return r.gens.cur.Load().savings }

// release ends one call on g.
func (g *generation) release() {
	if g.refs.Add(-1) == 0 && g.retired.Load() {
		g.drainOnce.Do(g.drained)
	}
}

// retire marks g replaced: it drains now, or when its last call ends.
func (g *generation) retire() {
	g.retired.Store(true)
	if g.refs.Load() == 0 {
		g.drainOnce.Do(g.drained)
	}
}

// generations holds the current generation.
type generations struct{ cur atomic.Pointer[generation] }

// acquire returns the current generation with a call counted on it; the
// caller releases it. A generation swapped out between the load and the
// count is released and the new one taken, so a call never starts on a
// generation already drained.
func (gs *generations) acquire() *generation {
	for {
		g := gs.cur.Load()
		g.refs.Add(1)
		if gs.cur.Load() == g {
			return g
		}
		g.release()
	}
}

// swap makes next current and retires the one it replaces.
func (gs *generations) swap(next *generation) {
	if old := gs.cur.Swap(next); old != nil {
		old.retire()
	}
}

// liveBackend is the API's backend: each call runs on the current
// generation's gateway, and holds it until the call (a stream: until it
// is closed) ends.
type liveBackend struct{ gens *generations }

func (b liveBackend) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (*llm.Response, error) {
	g := b.gens.acquire()
	defer g.release()
	return g.gw.Chat(ctx, req, ov, served)
}

func (b liveBackend) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error) {
	g := b.gens.acquire()
	s, err := g.gw.Stream(ctx, req, ov, served)
	if err != nil {
		g.release()
		return nil, err
	}
	return &heldStream{Stream: s, g: g}, nil
}

// ContextEditing is gateway.Gateway.ContextEditing on the current
// generation.
func (b liveBackend) ContextEditing(ctx context.Context, req *llm.Request, ov *route.Overrides) (edits, compacts bool) {
	g := b.gens.acquire()
	defer g.release()
	return g.gw.ContextEditing(ctx, req, ov)
}

func (b liveBackend) Embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error) {
	g := b.gens.acquire()
	defer g.release()
	return g.gw.Embed(ctx, req, served)
}

func (b liveBackend) Moderate(ctx context.Context, req *llm.ModerationRequest, served *llm.Served) (*llm.ModerationResponse, error) {
	g := b.gens.acquire()
	defer g.release()
	return g.gw.Moderate(ctx, req, served)
}

func (b liveBackend) GenerateImages(ctx context.Context, req *llm.ImageRequest, served *llm.Served) (*llm.ImageResponse, error) {
	g := b.gens.acquire()
	defer g.release()
	return g.gw.GenerateImages(ctx, req, served)
}

func (b liveBackend) Speak(ctx context.Context, req *llm.SpeechRequest, served *llm.Served) (*llm.AudioStream, error) {
	g := b.gens.acquire()
	a, err := g.gw.Speak(ctx, req, served)
	if err != nil {
		g.release()
		return nil, err
	}
	a.Body = &heldBody{ReadCloser: a.Body, g: g}
	return a, nil
}

func (b liveBackend) Transcribe(ctx context.Context, req *llm.TranscriptionRequest, served *llm.Served) (*llm.TranscriptionResponse, error) {
	g := b.gens.acquire()
	defer g.release()
	return g.gw.Transcribe(ctx, req, served)
}

func (b liveBackend) EditImages(ctx context.Context, req *llm.ImageEditRequest, served *llm.Served) (*llm.ImageResponse, error) {
	g := b.gens.acquire()
	defer g.release()
	return g.gw.EditImages(ctx, req, served)
}

func (b liveBackend) StreamMedia(ctx context.Context, req *llm.MediaStreamRequest, served *llm.Served) (llm.EventStream, error) {
	g := b.gens.acquire()
	s, err := g.gw.StreamMedia(ctx, req, served)
	if err != nil {
		g.release()
		return nil, err
	}
	return &heldEvents{EventStream: s, g: g}, nil
}

func (b liveBackend) Route(ctx context.Context, req *llm.Request, ov *route.Overrides) (*route.Plan, error) {
	g := b.gens.acquire()
	defer g.release()
	return g.gw.Route(ctx, req, ov)
}

// heldStream holds its generation until it is closed.
type heldStream struct {
	llm.Stream
	g    *generation
	once sync.Once
}

func (s *heldStream) Close() error {
	err := s.Stream.Close()
	s.once.Do(s.g.release)
	return err
}

// Ready forwards llm.Readier.
func (s *heldStream) Ready() bool { return llm.Ready(s.Stream) }

var _ llm.Aborter = (*heldStream)(nil)

// Abort forwards llm.Aborter, then releases the generation as Close.
func (s *heldStream) Abort(reason error) error {
	err := llm.Abort(s.Stream, reason)
	s.once.Do(s.g.release)
	return err
}

// heldEvents holds its generation until it is closed (a streamed media
// answer relayed as it arrives).
type heldEvents struct {
	llm.EventStream
	g    *generation
	once sync.Once
}

func (s *heldEvents) Close() error {
	err := s.EventStream.Close()
	s.once.Do(s.g.release)
	return err
}

// heldBody holds its generation until it is closed (speech audio
// relayed as it arrives).
type heldBody struct {
	io.ReadCloser
	g    *generation
	once sync.Once
}

func (b *heldBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.g.release)
	return err
}

// newGeneration is the generation of cfg served by gw; once replaced
// and drained, its gateway is closed and the health tracker forgets the
// deployments the serving configuration no longer has.
func (r *Router) newGeneration(cfg *config.Config, gw *gateway.Gateway) *generation {
	g := newGeneration(cfg, gw)
	g.drained = func() {
		gw.Close()
		r.tracker.Retain(r.gens.cur.Load().cfg.DeploymentNames())
	}
	return g
}

// gatewayOptions are the options of cfg's gateway: the router's, with
// its budgets when cfg has some (a gateway without skips every check).
func (r *Router) gatewayOptions(cfg *config.Config) gateway.Options {
	o := r.gwOpts
	if len(cfg.Budgets) > 0 {
		o.Budgets = r.budgets
	}
	return o
}

// prepare builds cfg's gateway aside (reload.Options.Prepare).
func (r *Router) prepare(cfg *config.Config) (reload.Prepared, error) {
	red, err := bodyRedactor(cfg)
	if err != nil {
		return nil, err
	}
	gw, err := gateway.New(cfg, r.gatewayOptions(cfg))
	if err != nil {
		return nil, err
	}
	dc, err := r.drift.prepare(cfg, gw)
	if err != nil {
		gw.Close()
		return nil, err
	}
	return &prepared{r: r, g: r.newGeneration(cfg, gw), red: red, drift: dc}, nil
}

// prepared is a configuration's generation, built and not yet serving,
// with the redactor of its keys and its drift section.
type prepared struct {
	r     *Router
	g     *generation
	red   *guard.Redactor
	drift *driftChange
}

// Commit swaps the generation in: new requests use it, with the keys,
// budgets and health settings of its configuration; those in flight
// finish on the one they started on (against the budgets they reserved
// with). Then the drift section applies (golden runs use the new
// gateway's adapters).
func (p *prepared) Commit() {
	cfg := p.g.cfg
	p.r.budgets.Update(cfg.Budgets)
	p.r.tracker.SetConfig(gateway.HealthConfig(cfg.Resilience.Health))
	p.r.metrics.ObservePrices(p.g.gw.Policy().Deployments())
	p.r.quality.SetNames(cfg.RouteNames(), cfg.DeploymentNames())
	p.r.redactor.Store(p.red)
	p.r.Keyring.SetConfig(cfg)
	p.r.gens.swap(p.g)
	p.g.gw.RetainNoResponses()
	p.drift.commitLogged()
}

// Discard closes the unused generation's gateway.
func (p *prepared) Discard() { p.g.gw.Close() }
