package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // behind --pprof only: DefaultServeMux is not the router's mux
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/demo"
	"switchyard/drift"
	"switchyard/reload"
	"switchyard/server"
	"switchyard/store/open"
)

func serveCmd(args []string, stdout, stderr io.Writer) int {
	ctx, hurry, stop := shutdownSignals()
	defer stop()
	return runServe(ctx, hurry, args, stdout, stderr)
}

// shutdownSignals returns a context done at the first SIGINT or SIGTERM,
// and a channel closed at the second, which ends the drain at once;
// stop stops listening.
func shutdownSignals() (ctx context.Context, hurry <-chan struct{}, stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	second, done := make(chan struct{}), make(chan struct{})
	go func() {
		for n := 0; n < 2; n++ {
			select {
			case <-sigs:
			case <-done:
				return
			}
			if n == 0 {
				cancel()
			} else {
				close(second)
			}
		}
	}()
	return ctx, second, func() { signal.Stop(sigs); close(done); cancel() }
}

// runServe is serve with its flags, until ctx is done; hurry (nil:
// never) ends the drain at once.
func runServe(ctx context.Context, hurry <-chan struct{}, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve")
	fs.SetOutput(stderr)
	f := newServeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := f.check(); err != nil {
		fmt.Fprintf(stderr, "switchyard serve: %v\n", err)
		return 2
	}
	tuneGC()
	cfg, file, mode, closeSim, err := f.load()
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	defer closeSim()
	logOut := &lockedWriter{w: stderr}
	log := newLogger(logOut, cfg.Server.LogFormat, f.logFormat)
	if f.pprofAddr != "" {
		go func() { log.Warn("pprof server stopped", "err", http.ListenAndServe(f.pprofAddr, nil)) }()
	}
	st, err := open.Open(ctx, &cfg.Store)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: open the request store: %v\n", err)
		return 1
	}
	if st != nil {
		defer st.Close() // after serve has flushed the records into it
	}
	r, err := server.NewRouter(cfg, server.RouterOptions{Demo: f.demo, Logger: log, NoRequestLog: f.quiet,
		LineLog: logOut, LineLogJSON: logJSON(cfg.Server.LogFormat, f.logFormat), Store: st, File: file})
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	for _, w := range cost.Warnings(cfg) {
		log.Warn("cost unknown", "detail", w)
	}
	for _, w := range cfg.AuthWarnings() {
		log.Warn("key without a tenant", "detail", w)
	}
	ls, err := listen(cfg)
	if err != nil {
		r.Close(context.Background())
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	if r.Config != nil && !f.demo { // the demo has no file to read again
		stopReload := reloadOnSignal(ctx, r.Config, f.watch, log)
		defer stopReload()
	}
	return serve(ctx, hurry, r, ls, cfg, mode, log, stdout, stderr)
}

// reloadOnSignal applies the config file again on each SIGHUP and, with
// a watch interval, whenever its bytes change; a file that does not
// validate is refused (logged, audited) and the running configuration
// kept. It returns the function that stops it.
func reloadOnSignal(ctx context.Context, m *reload.Manager, watch time.Duration, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{}, 2)
	go func() {
		defer func() { done <- struct{}{} }()
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				log.Info("config: SIGHUP: reloading the file")
				m.ReloadFile(ctx) // logs and audits what it did
			}
		}
	}()
	if watch > 0 {
		go func() {
			defer func() { done <- struct{}{} }()
			m.Watch(ctx, watch)
		}()
	} else {
		done <- struct{}{}
	}
	return func() {
		signal.Stop(hup)
		cancel()
		<-done
		<-done
	}
}

// demoStorePath is where serve --demo records requests by default.
func demoStorePath() string { return filepath.Join(os.TempDir(), "switchyard-demo.db") }

// listen opens the API listener and, if configured, the admin one.
func listen(cfg *config.Config) (server.Listeners, error) {
	var ls server.Listeners
	var err error
	if ls.API, err = net.Listen("tcp", cfg.Server.Addr); err != nil {
		return ls, fmt.Errorf("listen on %s: %w", cfg.Server.Addr, err)
	}
	if cfg.Server.AdminListen != "" {
		if ls.Admin, err = net.Listen("tcp", cfg.Server.AdminListen); err != nil {
			ls.API.Close()
			return ls, fmt.Errorf("listen on %s (server.admin_listen): %w", cfg.Server.AdminListen, err)
		}
	}
	return ls, nil
}

// serve runs r on ln until ctx is done (SIGTERM or SIGINT), then drains
// within the configured bound (or until hurry is closed: a second signal) and flushes the request records and the
// request log (within the shutdown timeout, at least 5 s). It says
// "stopped cleanly" only when every request finished within the drain and
// every record was flushed; a drain that had to cut requests still exits 0
// (it did what shutdown_timeout asks), a listener failure exits 1.
func serve(ctx context.Context, hurry <-chan struct{}, r *server.Router, ls server.Listeners, cfg *config.Config, mode serveMode, log *slog.Logger, stdout, stderr io.Writer) int {
	banner(stdout, ls, r, mode, cfg)
	served := make(chan struct{})
	defer close(served)
	go func() {
		select {
		case <-hurry:
			r.Hurry()
		case <-served:
		}
	}()
	stopTraffic, err := startTraffic(ctx, ls, mode, log)
	if err != nil {
		r.Close(context.Background())
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	err = r.Serve(ctx, ls, cfg.Server.ShutdownTimeout)
	stopTraffic() // the router has drained: cancel what is left of the traffic, wait for it
	fctx, cancel := context.WithTimeout(context.Background(), max(5*time.Second, cfg.Server.ShutdownTimeout))
	defer cancel()
	cerr := r.Close(fctx)
	if cerr != nil {
		var rows int64 // the request log's rows the writer dropped (its bound, the flush's deadline)
		if r.Writer != nil {
			rows = r.Writer.Dropped()
		}
		log.Warn("the shutdown did not finish cleanly", "err", cerr, "records_dropped", r.Recorder.Dropped(), "rows_dropped", rows)
	}
	switch {
	case err != nil && !errors.Is(err, server.ErrDrainTimeout):
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	case err != nil:
		log.Warn("stopped; requests were cut at the end of the drain", "err", err)
	case cerr != nil:
		log.Warn("stopped; some request records were lost")
	default:
		log.Info("stopped cleanly")
	}
	return 0
}

func banner(w io.Writer, ls server.Listeners, r *server.Router, mode serveMode, cfg *config.Config) {
	demoMode := mode.demo
	addr := ls.API.Addr().String()
	var routes, deps []string
	for _, m := range r.Gateway.Models() {
		if m.AliasOf != "" {
			continue
		}
		if m.Route {
			routes = append(routes, m.ID)
		} else {
			deps = append(deps, m.ID)
		}
	}
	fmt.Fprintf(w, "Switchyard listening on http://%s (OpenAI-compatible API at http://%s/v1)\n", addr, addr)
	if demoMode {
		fmt.Fprintln(w, "Demo mode: simulated OpenAI, Azure, Anthropic and Gemini providers; no keys or network needed. Any API key (or none) is accepted, and /metrics and /admin/ are open to every client.")
	} else if !r.Keyring.Enabled() {
		fmt.Fprintln(w, "Warning: auth.keys is empty and the store holds no managed key (switchyard keys create), so any client can call this router.")
	}
	fmt.Fprintln(w, opsLine(ls, demoMode, r.Keyring.AdminsEnabled()))
	if cfg.Server.DashboardOn() {
		fmt.Fprintln(w, dashboardLine(ls, demoMode))
	}
	fmt.Fprintln(w, storeLine(r, cfg))
	if r.Config != nil {
		_, _, v := r.Config.Current()
		if demoMode {
			fmt.Fprintf(w, "Config:      the demo's, version %d; GET /admin/config shows it, PUT /admin/config (?dry_run=1) changes it (docs/admin-api.md)\n", v)
		} else {
			fmt.Fprintf(w, "Config:      %s, version %d; SIGHUP or PUT /admin/config applies a change (docs/admin-api.md)\n", cfg.File(), v)
		}
	}
	fmt.Fprintf(w, "Routes:      %s\n", strings.Join(routes, ", "))
	fmt.Fprintf(w, "Deployments: %s\n", strings.Join(deps, ", "))
	if demoMode && cfg.Routes[demo.LearnedRoute] != nil {
		fmt.Fprintln(w, demo.LearnedHint(cfg.Providers["openai"].BaseURL, len(mode.items)+len(demo.GoldenEntries(drift.Starter()))))
	}
	if demoMode {
		showcaseBanner(w, cfg, cfg.Providers["openai"].BaseURL)
	}
	trafficBanner(w, ls, mode)
	fmt.Fprintf(w, "Try:\n  curl -s http://%s/v1/chat/completions -H 'Content-Type: application/json' -H 'Authorization: Bearer demo' -d '{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}'\n", addr)
	if f, ok := w.(*os.File); ok {
		f.Sync()
	}
}

// storeLine says where requests are recorded.
func storeLine(r *server.Router, cfg *config.Config) string {
	if r.Writer == nil && cfg.Store.Enabled() { // a router built without its store (tests)
		return "Requests:    not recorded"
	}
	line := "Requests:    " + open.Describe(&cfg.Store)
	if cfg.Responses.StoreOn() && cfg.Store.Enabled() {
		// The request log's note on bodies does not cover the Responses
		// API's stored conversations, which are kept as sent.
		line += "; Responses API conversations created with store: true are kept as sent for " +
			retentionText(cfg.Responses.Retention) + keptHow(&cfg.Responses) + " (responses.store; docs/responses.md)"
	}
	return line
}

// keptHow says how the stored conversations are kept besides as sent:
// encrypted at rest, masked.
func keptHow(r *config.Responses) string {
	var out string
	if r.Encryption.Key != "" {
		out += ", encrypted at rest (responses.encryption)"
	}
	switch r.Redact {
	case config.RedactSecrets:
		out += ", keys and tokens masked (responses.redact)"
	case config.RedactAll:
		out += ", secrets and personal data masked (responses.redact)"
	}
	return out
}

// retentionText says a stored response's retention: the configured one,
// or the default.
func retentionText(d time.Duration) string {
	if d <= 0 {
		d = config.DefaultResponsesRetention
	}
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + " days"
	}
	return d.String()
}

// dashboardLine says where the web dashboard is (docs/dashboard.md).
func dashboardLine(ls server.Listeners, demoMode bool) string {
	addr := ls.API.Addr().String()
	if ls.Admin != nil {
		addr = ls.Admin.Addr().String()
	}
	how := "sign in with an admin key"
	if demoMode {
		how = "no key needed in demo mode"
	}
	return "Dashboard:   http://" + addr + "/ui/ (" + how + "; docs/dashboard.md)"
}

// opsLine says where the operational endpoints are and who may read them;
// admins reports that an admin key exists (the file's or a managed one).
func opsLine(ls server.Listeners, demoMode, admins bool) string {
	where := "on the API listener"
	if ls.Admin != nil {
		where = "only on http://" + ls.Admin.Addr().String()
	}
	who := "to admin keys (auth.admin_keys, or managed ones)"
	switch {
	case demoMode:
		who = "to everyone (demo mode)"
	case !admins:
		who = "to clients on this host only, as no admin key exists (auth.admin_keys is empty, and no managed one was made)"
	}
	return "Operational endpoints (/metrics, /admin/): " + where + ", open " + who + "."
}

// defaultGCPercent is the collector's target when GOGC is not set. Each
// request leaves a few tens of KB of garbage, so Go's default (100)
// collects several times a second at 1,000 req/s and each cycle's marking
// competes with requests for the CPU. 400 was chosen while the live heap
// was a few MB; with the request log, feedback detection and adaptive
// statistics it is ~17 MB under load, and 400 let the heap grow to ~85 MB
// (peak RSS 110–121 MB, over the 100 MB goal). 200 keeps the peak at
// 84–97 MB at the same CPU per request, within noise. Measured in
// docs/benchmarks.md.
const defaultGCPercent = 200

// tuneGC sets the collector's target to defaultGCPercent unless the GOGC
// environment variable chooses one.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
}
