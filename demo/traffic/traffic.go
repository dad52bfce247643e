// Package traffic sends simulated users' traffic to a running router,
// strictly as a client of its /v1 API: seeded questions of every category
// (package sim/workload) to a mix of routes, some streamed, some
// conversations continued and some wrong answers asked again (so that the
// router sees implicit signals), and a share of the answers rated through
// POST /v1/feedback by a simulated user (workload.Rater): thumbs up when
// the answer states the expected answer, down otherwise, one rating in
// ten the other way.
//
// `switchyard serve --demo --traffic RATE` runs it against its own
// listener, and `switchyard load` against any router in front of the
// simulators. What the router records of it — the request log, the
// feedback, the scores, the report's savings, the adaptive route's
// estimates — is what the router measured; nothing is written to the
// router any other way.
package traffic

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/sim/workload"
)

// Bounds of the traffic.
const (
	// MaxRate is the most visits a second Start accepts.
	MaxRate = 50
	// maxInFlight bounds the visits under way: a tick that finds that
	// many is skipped (counted in Stats.Skipped), so a slow router is not
	// buried under goroutines.
	maxInFlight = 256
	// DefaultReportEvery is how often, at most, failures are logged.
	DefaultReportEvery = 30 * time.Second
	// ratingNoise is the share of ratings the wrong way.
	ratingNoise = 0.1
)

// Options says where and how to send traffic.
type Options struct {
	// URL is the router's address, e.g. http://127.0.0.1:8080 (its API
	// is under /v1).
	URL string
	// Key is the client key sent as a bearer token; "" sends none.
	Key string
	// Rate is the visits started per second, in (0, MaxRate]. A visit
	// is one to four requests and their ratings.
	Rate float64
	// Seed makes the visits and the ratings' noise.
	Seed uint64
	// Items are the questions asked, with their answers; the simulators
	// must know them (workload.Register) for the answers to be right at
	// the models' accuracy.
	Items []workload.Item
	// Mix is what the users do; the zero Mix means DemoMix.
	Mix Mix
	// Logger gets the failures (at most one line per ReportEvery) and a
	// summary when the traffic stops; nil logs nothing.
	Logger *slog.Logger
	// ReportEvery is how often failures are logged at most; zero means
	// DefaultReportEvery.
	ReportEvery time.Duration
}

// Stats counts what the traffic did. Requests counts the chat and
// embeddings requests answered; Failed the requests and ratings that
// failed; Skipped the visits not started because maxInFlight were under
// way.
type Stats struct {
	Visits, Requests, Streamed, Ratings, FollowUps, Retries, Embeddings, Failed, Skipped int64
}

// Generator is traffic being sent. Its methods are safe for concurrent
// use.
type Generator struct {
	o       Options
	planner *Planner
	rater   *workload.Rater
	client  *client
	// cancel stops the calls under way (Stop).
	cancel context.CancelFunc
	done   chan struct{}
	visits sync.WaitGroup
	stats  counters
	log    *failureLog
}

// counters are Stats, counted atomically.
type counters struct {
	visits, requests, streamed, ratings, followUps, retries, embeddings, failed, skipped atomic.Int64
}

// Start starts sending o's traffic and returns at once. It starts no new
// visit once ctx is done, and leaves the visits under way be: a router
// shutting down gracefully answers them. Stop ends everything. Start
// fails for a rate outside (0, MaxRate], no URL, no items or a mix that
// does not Check.
func Start(ctx context.Context, o Options) (*Generator, error) {
	if !(o.Rate > 0 && o.Rate <= MaxRate) {
		return nil, fmt.Errorf("traffic: rate %v is not in (0, %d] visits a second", o.Rate, MaxRate)
	}
	if o.URL == "" {
		return nil, errors.New("traffic: no router URL")
	}
	if o.Mix.Routes == nil {
		o.Mix = DemoMix()
	}
	if o.ReportEvery <= 0 {
		o.ReportEvery = DefaultReportEvery
	}
	planner, err := NewPlanner(o.Seed, o.Items, o.Mix)
	if err != nil {
		return nil, err
	}
	rater, err := workload.NewRater(o.Seed, ratingNoise)
	if err != nil {
		return nil, err
	}
	transport := &http.Transport{MaxIdleConnsPerHost: maxInFlight, IdleConnTimeout: 30 * time.Second}
	calls, cancel := context.WithCancel(context.WithoutCancel(ctx))
	g := &Generator{
		o: o, planner: planner, rater: rater, cancel: cancel, done: make(chan struct{}),
		client: &client{http: &http.Client{Transport: transport}, base: o.URL, key: o.Key},
		log:    &failureLog{logger: o.Logger, every: o.ReportEvery},
	}
	go func() {
		defer close(g.done)
		g.pace(ctx, calls)
		g.visits.Wait()
		transport.CloseIdleConnections()
	}()
	return g, nil
}

// pace starts a visit every 1/Rate seconds until ctx is done; the
// visits' calls run under calls.
func (g *Generator) pace(ctx, calls context.Context) {
	tick := time.NewTicker(time.Duration(float64(time.Second) / g.o.Rate))
	defer tick.Stop()
	inFlight := make(chan struct{}, maxInFlight)
	for {
		select {
		case <-ctx.Done():
			return
		case <-calls.Done():
			return
		case <-tick.C:
		}
		select {
		case inFlight <- struct{}{}:
		default:
			g.stats.skipped.Add(1)
			continue
		}
		v := g.planner.Next()
		g.stats.visits.Add(1)
		g.visits.Add(1)
		go func() {
			defer func() { <-inFlight; g.visits.Done() }()
			g.visit(ctx, calls, &v)
		}()
	}
}

// Stop ends the traffic: it starts no more visits, cancels the calls
// under way, waits until every goroutine it started has returned, logs a
// summary and returns the counts. It may be called more than once.
func (g *Generator) Stop() Stats {
	g.cancel()
	<-g.done
	s := g.Stats()
	if g.o.Logger != nil {
		g.o.Logger.Info("traffic stopped", "visits", s.Visits, "requests", s.Requests, "streamed", s.Streamed,
			"ratings", s.Ratings, "follow_ups", s.FollowUps, "retries", s.Retries, "embeddings", s.Embeddings,
			"failed", s.Failed, "skipped", s.Skipped)
	}
	return s
}

// Stats returns the counts so far.
func (g *Generator) Stats() Stats {
	c := &g.stats
	return Stats{
		Visits: c.visits.Load(), Requests: c.requests.Load(), Streamed: c.streamed.Load(), Ratings: c.ratings.Load(),
		FollowUps: c.followUps.Load(), Retries: c.retries.Load(), Embeddings: c.embeddings.Load(),
		Failed: c.failed.Load(), Skipped: c.skipped.Load(),
	}
}

// failureLog logs failures at most once per interval: the first at once,
// then how many there were since with the last one's error.
type failureLog struct {
	logger *slog.Logger
	every  time.Duration
	mu     sync.Mutex
	last   time.Time
	since  int
}

func (f *failureLog) failed(err error) {
	if f.logger == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.since++
	if now := time.Now(); f.last.IsZero() || now.Sub(f.last) >= f.every {
		f.logger.Warn("traffic: requests failed", "failures", f.since, "since", f.sinceText(now), "last_error", err.Error())
		f.last, f.since = now, 0
	}
}

func (f *failureLog) sinceText(now time.Time) string {
	if f.last.IsZero() {
		return "start"
	}
	return now.Sub(f.last).Round(time.Second).String() + " ago"
}
