package server

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"switchyard/admin"
	apianthropic "switchyard/api/anthropic"
	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/background"
	"switchyard/api/openai/batch"
	"switchyard/audit"
	"switchyard/budget"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/gateway"
	"switchyard/guard"
	"switchyard/health"
	"switchyard/learn"
	"switchyard/learn/adaptive"
	"switchyard/learn/bandit"
	"switchyard/provider"
	_ "switchyard/provider/all" // every provider kind a config may name
	"switchyard/provider/thinking"
	"switchyard/quality"
	"switchyard/record"
	"switchyard/record/tracing"
	"switchyard/reload"
	"switchyard/state"
	"switchyard/store"
	"switchyard/tenant"
)

// Router is a whole Switchyard built from a validated config: the gateway,
// its recorder and metrics registry, and the HTTP server in front.
type Router struct {
	*Server
	// Gateway is the gateway of the configuration the router started
	// with; Current returns the one serving now.
	Gateway  *gateway.Gateway
	Recorder *record.Recorder
	Registry *prometheus.Registry
	// traces exports the records as spans; nil when traces are off.
	traces *tracing.Sink
	// Writer writes the request log to RouterOptions.Store; nil without
	// one.
	Writer *store.Writer
	// State is the shared state back end (config state:) that budgets
	// are kept in; Close closes it.
	State state.Backend
	// Learner keeps the feedback (ratings and implicit signals) in
	// RouterOptions.Store; nil without one.
	Learner *learn.Learner
	// Adaptive learns the adaptive routes' statistics; nil when no route
	// has adaptive on.
	Adaptive *adaptive.Learner
	// Config applies configuration changes (the admin API, a reload of
	// the file); nil when the router was built without its file
	// (RouterOptions.File).
	Config *reload.Manager
	// Audit is the audit trail: in the store, or in memory without one.
	Audit *audit.Trail
	// Keyring holds the client and admin keys: the file's, of the
	// generation serving (each generation applied puts its own in force),
	// and the managed ones, reloaded from RouterOptions.Store. Keys
	// manages the managed ones, audited in Audit; Limiter holds requests
	// to their keys' and tenants' limits, in every generation.
	Keyring *tenant.Keyring
	Keys    *tenant.Manager
	Limiter *tenant.Limiter

	// gens holds the generation serving; gwOpts build a new one's
	// gateway; tracker, budgets, metrics and quality are shared by all
	// (a configuration applied puts its budgets and health settings in
	// force in them).
	gens   generations
	gwOpts gateway.Options
	// thoughts is the thinking memory every generation's gateway shares;
	// with state.driver redis its shared tier writes until Close.
	thoughts *thinking.Memory
	tracker  *health.Tracker
	budgets  *budget.Budgets
	metrics  *record.Metrics
	quality  *quality.Sink
	// redactor masks the stored bodies; a change replaces it with one that
	// knows the new configuration's keys.
	redactor *atomic.Pointer[guard.Redactor]
	// drift runs the golden sets and the live monitor; nil when the
	// config has no drift section.
	drift *driftParts
	// notify posts budget alerts and scheduled reports to notify.webhook;
	// nil without one.
	notify *notifier
	// pruner deletes the audit events and configuration versions past
	// audit.retention from RouterOptions.Store; nil without one.
	pruner *audit.Pruner
	// stopKeys ends the keyring's reloads, the configuration's following
	// and the pruner; bgDone is closed once they have ended.
	stopKeys context.CancelFunc
	bgDone   chan struct{}
	// background runs the Responses API's background responses; nil
	// without a store keeping them, or with responses.background off.
	background *background.Runner
	// files keeps the Files API's files; nil without a store keeping
	// them, or with batches off.
	files *fileStore
	// batches keeps and runs the Batch API's batches; nil without a store
	// keeping them, or with batches off.
	batches *batchStore
}

// RouterOptions tune NewRouter. The zero value is usable.
type RouterOptions struct {
	// Demo accepts any client key.
	Demo bool
	// Logger receives server and request logs; nil means slog.Default().
	Logger *slog.Logger
	// Sinks are extra record sinks (tests use them to observe records).
	Sinks []record.Sink
	// NoRequestLog drops the per-request log line (benchmarks).
	NoRequestLog bool
	// LineLog, when set, is where the per-request log lines go instead of
	// Logger: the lines Logger would write, when it is a slog text (or, if
	// LineLogJSON, JSON) handler on LineLog logging at INFO or below,
	// written once per batch of records (record.LineSink) for a fraction
	// of the CPU. Nil means the lines go through Logger.
	LineLog     io.Writer
	LineLogJSON bool
	// Store is the request log the router records every request to and
	// the admin API reads (/admin/requests, /admin/stats); nil means no
	// request log. The router does not close it: its opener does, after
	// Router.Close has flushed the records.
	Store store.Store
	// Now is the health tracker's clock; nil means time.Now (tests pass a
	// fake to drive breakers and demotion through virtual time).
	Now func() time.Time
	// AdaptiveNow is the adaptive learner's clock, by which its
	// statistics decay (route adaptive.half_life); nil means time.Now
	// (tests pass a fake to run hours of traffic in seconds).
	AdaptiveNow func() time.Time
	// File is the configuration file cfg was read from: with it the
	// router versions its configuration and takes changes through the
	// admin API and reloads of the file (Router.Config). Nil means a
	// configuration built in Go (demo mode, tests): no configuration API.
	File *reload.File
	// Getenv expands ${VAR} in configurations applied later; nil means
	// os.LookupEnv.
	Getenv func(string) (string, bool)
	// DriftAfter replaces time.After in the drift scheduler; nil means
	// time.After (tests pass one that never fires and run the sets
	// themselves with Router.DriftScheduler().RunOnce).
	DriftAfter func(time.Duration) <-chan time.Time
	// Clock is the clock of the request records and of the live drift
	// monitor; nil means time.Now (tests pass one ahead or behind to lay
	// hours of traffic in the request log in seconds).
	Clock func() time.Time
	// KeysInterval is how often the managed keys are reloaded from Store
	// when they changed; zero means tenant.DefaultInterval.
	KeysInterval time.Duration
	// ConfigInterval is how often a router with a File and a Store asks
	// the store for a configuration version newer than its own (another
	// router sharing it applied one) and applies it; zero means
	// reload.DefaultFollowInterval, negative never.
	ConfigInterval time.Duration
	// Replica names the router in the audit trail when it applies a
	// version another router stored ("replica:<Replica>"); empty means
	// the host's name and the process id.
	Replica string
}

// NewRouter wires a Router for cfg, which must have passed Validate.
func NewRouter(cfg *config.Config, opts RouterOptions) (*Router, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if err := sealStore(cfg, opts.Store, log); err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), provider.BadEvents)
	var redactor atomic.Pointer[guard.Redactor]
	rs, err := newRecordSinks(cfg, opts, &redactor, log, reg)
	if err != nil {
		return nil, err
	}
	metrics, qsink, sinks, writer, traces := rs.metrics, rs.quality, rs.sinks, rs.writer, rs.traces
	st, err := openState(&cfg.State, log, reg)
	var (
		srv *Server // a rating waits on the server for the request it names
		lp  learners
	)
	if err == nil {
		lp = newLearners(cfg, opts, st, func(ctx context.Context, id string) error { return srv.settle(ctx, id) }, log, reg)
		sinks = append(sinks, lp.sinks...)
	}
	learned, tuner, learner := lp.learned, lp.tuner, lp.learner
	var keyring *tenant.Keyring
	if err == nil {
		keyring, err = openKeyring(cfg, opts, log)
	}
	rec := record.NewRecorder(0, sinks...)
	rec.Register(reg)
	tracker := newTracker(cfg, opts, log, reg)
	r := &Router{Recorder: rec, Registry: reg, Writer: writer, State: st, Learner: learner, Adaptive: tuner, traces: traces,
		tracker: tracker, metrics: metrics, quality: qsink, redactor: &redactor, Keyring: keyring,
		drift: newDriftParts(reg, opts.Store, log, opts.DriftAfter, opts.Clock)}
	r.drift.onRoute.MayDemote = r.mayDemote
	if err == nil {
		// One limiter for every generation: the requests in flight on a
		// replaced configuration and those on the new one count against
		// the same limits, which each key's grant (in the keyring) states.
		r.Limiter = tenant.NewLimiter(st, tenant.LimiterOptions{Logger: log, Async: cfg.State.Driver == config.StateRedis})
		// Answers are always kept: the quality sink reads them (and the
		// store sink, when bodies are stored).
		r.notify = newNotifier(cfg, opts.Store, st, log, reg)
		r.budgets = budgets(cfg, st, log, reg, r.notify.budgetAlert)
		r.thoughts, err = thinkingMemory(cfg, st, log, reg)
	}
	if err == nil {
		r.gwOpts = gateway.Options{Recorder: rec, Health: tracker, Logger: log, KeepAnswers: true,
			Learned: learned, Demotions: r.drift.demotions(), Limiter: r.Limiter,
			RouteDemotions: r.drift.routeDemotions(), Now: opts.Clock,
			Thinking:    r.thoughts,                    // one memory across configuration changes
			NoResponses: &dispatch.NoResponsesRoutes{}} // one set of marks likewise
		r.Gateway, err = gateway.New(cfg, r.gatewayOptions(cfg))
	}
	if err == nil {
		// Golden runs use the serving gateway's adapters (a configuration
		// change builds the drift scheduler again when it needs to).
		err = r.drift.start(cfg, r.Gateway)
	}
	if err != nil {
		r.closeParts(context.Background())
		return nil, err
	}
	metrics.ObservePrices(r.Gateway.Policy().Deployments())
	r.gens.cur.Store(r.newGeneration(cfg, r.Gateway))
	if err := r.startAdmin(cfg, opts, keyring, learned, log); err != nil {
		r.closeParts(context.Background())
		return nil, err
	}
	r.background = newBackground(cfg, opts.Store, log, reg)
	srv = New(r.serverOptions(cfg, opts, learner, log))
	r.Server = srv
	r.runBackground(opts)
	if r.batches != nil {
		r.batches.runner.Start()
	}
	return r, nil
}

// learners are the adaptive scorer's learner and the feedback learner,
// with the sinks that feed them.
type learners struct {
	learned func() *bandit.Snapshot
	tuner   *adaptive.Learner
	learner *learn.Learner
	sinks   []record.Sink
}

// newLearners builds the learners; settle waits for the record of the
// request a rating names.
func newLearners(cfg *config.Config, opts RouterOptions, st state.Store, settle func(context.Context, string) error, log *slog.Logger, reg *prometheus.Registry) learners {
	var lp learners
	// The adaptive learner sees a record before the feedback on it.
	tuner, adaptSink := newAdaptive(cfg, opts.Store, st, opts.AdaptiveNow, log, reg)
	if tuner != nil {
		lp.tuner, lp.learned = tuner, tuner.Snapshot
		lp.sinks = append(lp.sinks, adaptSink)
	}
	learner, learnSink := newLearner(cfg, opts.Store, settle, tuner, log, reg)
	lp.learner = learner
	if learnSink != nil {
		lp.sinks = append(lp.sinks, learnSink)
	}
	return lp
}

// recordSinks are the sinks a request's record goes to, with the parts
// of them the router keeps.
type recordSinks struct {
	metrics *record.Metrics
	quality *quality.Sink
	sinks   []record.Sink
	writer  *store.Writer
	traces  *tracing.Sink
}

// newRecordSinks builds the record's sinks: the quality signals first
// (they set rec.Signals for the others), the metrics, the caller's, the
// log line, the traces and the request log's store writer.
func newRecordSinks(cfg *config.Config, opts RouterOptions, redactor *atomic.Pointer[guard.Redactor], log *slog.Logger, reg *prometheus.Registry) (*recordSinks, error) {
	rs := &recordSinks{metrics: record.NewMetricsWith(reg, record.MetricsOptions{TenantLabel: cfg.Telemetry.MetricsTenantLabel})}
	rs.quality = quality.NewSink(quality.SinkOptions{Registerer: reg, Routes: cfg.RouteNames(), Deployments: cfg.DeploymentNames()})
	rs.sinks = append([]record.Sink{rs.quality, rs.metrics}, opts.Sinks...)
	switch {
	case opts.NoRequestLog:
	case opts.LineLog != nil:
		rs.sinks = append(rs.sinks, record.LineSink(opts.LineLog, opts.LineLogJSON))
	default:
		rs.sinks = append(rs.sinks, record.LogSink(log))
	}
	traces, err := newTraceSink(cfg, log)
	if err != nil {
		return nil, err
	}
	if traces != nil {
		rs.traces = traces
		rs.sinks = append(rs.sinks, traces)
	}
	writer, storeSink, err := requestLog(cfg, opts.Store, redactor, log, reg)
	if err != nil {
		if traces != nil {
			traces.Shutdown(context.Background())
		}
		return nil, err
	}
	rs.writer = writer
	if storeSink != nil {
		rs.sinks = append(rs.sinks, storeSink)
	}
	return rs, nil
}

// serverOptions are the options of the router's HTTP server.
func (r *Router) serverOptions(cfg *config.Config, opts RouterOptions, learner *learn.Learner, log *slog.Logger) Options {
	serving := func() *config.Config { return r.gens.cur.Load().cfg }
	content := newStoredContent(serving, log, r.Registry)
	r.files = newFileStore(opts.Store, cfg, serving, content)
	r.batches = newBatches(cfg, opts.Store, serving, func(ctx context.Context, o batch.Owner, url string, body []byte) batch.Result {
		return r.Server.dispatchLine(ctx, o, url, body)
	}, newForwarder(cfg, &r.gens, func(o batch.Owner) (gateway.Caller, error) { return r.Server.batchCaller(o) }, r.files, log), func() int { return r.Server.inflight.count() }, log, r.Registry)
	reasoning, err := reasoningSealers(&cfg.Responses.Encryption, log)
	if err != nil { // the keys validated before (sealStore): none is sealed, none opens
		log.Error("responses: reasoning items' keys", "err", err)
	}
	responses := newResponseStore(opts.Store, serving, log, r.Registry, content)
	api := &apiopenai.Handler{Backend: liveBackend{&r.gens}, Models: r.visibleModels, ResolveModel: r.resolveModel,
		MaxBodyBytes:   cfg.Server.MaxBodyBytes,
		MaxAudioBytes:  cfg.Server.MaxAudioBytes,
		MaxImageBytes:  cfg.Server.MaxImageBytes,
		MaxAnswerBytes: int(cfg.Server.MaxAnswerBytes),
		Responses:      responsesAPI(responses, opts.Store),
		Conversations:  newConversationStore(opts.Store, serving, log, r.Registry, content),
		Chats:          newChatStore(opts.Store, serving, log, r.Registry, content),
		Files:          fileAPI(r.files),
		Uploads:        uploadAPI(newUploadStore(opts.Store, r.files)),
		Batches:        batchAPI(r.batches),
		Background:     r.background, CountTokens: cost.PromptTokens, Logger: log, Reasoning: reasoning,
		StoreTimeout: cfg.Store.Timeout,
		Realtime: apiopenai.RealtimeLimits{Idle: cfg.Server.Realtime.IdleTimeout, MaxMessage: cfg.Server.Realtime.MaxMessageBytes,
			Connect: cfg.Server.Realtime.ConnectTimeout, Keepalive: cfg.Server.Realtime.Keepalive, MaxStreams: cfg.Server.Realtime.MaxStreams}}
	anthropic := &apianthropic.Handler{CountTokens: cost.PromptTokens, MaxBodyBytes: cfg.Server.MaxBodyBytes, MaxAnswerBytes: int(cfg.Server.MaxAnswerBytes), Models: r.visibleModelIDs,
		ResolveModel: r.resolveModel, ModelLimits: r.modelLimits, Batches: messageBatchAPI(r.batches), Compactions: reasoning, ContextEditing: liveBackend{&r.gens}.ContextEditing,
		Threads: threadsAPI(responses), StoreTimeout: cfg.Store.Timeout}
	return Options{
		API: api, Anthropic: anthropic, Keyring: r.Keyring, AnyKey: opts.Demo,
		LocalHosts: listenHosts(cfg.Server.Addr, cfg.Server.AdminListen), TrustedOrigins: cfg.Server.TrustedOrigins,
		SeparateOps: cfg.Server.AdminListen != "", ShutdownDelay: cfg.Server.ShutdownDelay,
		RequestTimeout: cfg.Server.RequestTimeout, Gatherer: r.Registry, Registerer: r.Registry, Recorder: r.Recorder, Logger: log,
		Admin: &admin.Handler{Health: r.tracker, Store: opts.Store, Logger: log, Lambda: new(cfg.Learn.LambdaOr()),
			RefusalWeight: new(cfg.Learn.Signals[config.SignalRefusal]),
			CurrentPrices: func() map[string]cost.Pricing { return r.gens.cur.Load().prices }, Config: r.Config, Audit: r.Audit,
			Savings: r.savingsPolicy, Keys: r.Keys, Drift: r.drift.demoter, Budgets: r.budgets, KeyTenants: r.Keyring.Tenants,
			StoreTimeouts: storeTimeouts(cfg)},
		Dashboard:     cfg.Server.DashboardOn(),
		Limits:        LimitsFrom(&cfg.Server),
		TenantMetrics: cfg.Telemetry.MetricsTenantLabel, // scoped admin keys may not read other tenants' series
		Feedback:      learner,
		Audit:         r.Audit,
		Background:    r.background,
	}
}
