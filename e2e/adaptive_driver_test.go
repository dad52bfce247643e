package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
	"switchyard/server"
	"switchyard/sim/workload"
	"switchyard/store/sqlite"
)

// This file drives the adaptive routing acceptance test: a router with a
// request store (feedback needs one) in front of the simulators, a
// virtual clock for the adaptive learner, a seeded workload sent through
// the official SDK, each answer rated by a simulated user over
// POST /v1/feedback.

// virtualClock is the adaptive learner's clock: it moves only when the
// test advances it, so hours of traffic run in seconds.
type virtualClock struct{ ns atomic.Int64 }

func newVirtualClock() *virtualClock {
	c := &virtualClock{}
	c.ns.Store(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *virtualClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *virtualClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// recordsByID keeps the records of the requests, by request id.
type recordsByID struct {
	mu   sync.Mutex
	recs map[string]*record.Record
}

func (r *recordsByID) Consume(rec *record.Record) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.recs == nil {
		r.recs = map[string]*record.Record{}
	}
	r.recs[rec.RequestID] = rec
}

// wait returns the record of id, polling until it arrives (5 s at most);
// it has rc hand the sinks the queued records at once (Sync) rather than
// wait for the recorder's interval.
func (r *recordsByID) wait(t *testing.T, rc *record.Recorder, id string) *record.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		r.mu.Lock()
		rec := r.recs[id]
		r.mu.Unlock()
		if rec != nil {
			return rec
		}
		if err := rc.Sync(ctx); err != nil {
			t.Fatalf("no record of %s: %v", id, err)
		}
		time.Sleep(time.Millisecond)
	}
}

// answer is what one request of the workload got.
type answer struct {
	item       *workload.Item
	id         string
	deployment string
	// greedy is the deployment the adaptive scorer's estimates put first
	// (empty for a route that is not adaptive); explored reports an
	// exploration draw.
	greedy   string
	explored bool
	// unscored says why the adaptive scorer did not choose between the
	// two deployments ("" when it did): one was demoted (latency spikes,
	// quality monitoring), rate limited, or out of the plan (its breaker
	// open). Then the static ranking alone put the other first, and what
	// it served says nothing of what the scorer learned.
	unscored string
	// failedOver reports an answer from another deployment than the
	// plan's first.
	failedOver bool
	costUSD    float64
	// right is the noiseless checker's verdict (workload.Right).
	right bool
}

// driver sends workload items through a router and, when rater is set,
// rates every answer as the simulated user would, at once or late
// requests later, then lets the learner apply the rating before the next
// request (Flush), so that a run depends on the seeds and not on timing.
type driver struct {
	t     *testing.T
	e     *env
	clock *virtualClock
	recs  *recordsByID
	rater *workload.Rater
	// every is the virtual time between two requests.
	every time.Duration
	// late is how many requests later a rating is posted: the rating of
	// a request goes out once late more requests were answered (0: at
	// once). unrated holds the ratings not yet posted, oldest first.
	late    int
	unrated []pendingRating
}

// pendingRating is a rating the simulated user has yet to post.
type pendingRating struct {
	id     string
	rating workload.Rating
}

// newAdaptiveEnv starts simulators and a router recording to a fresh
// SQLite store, the adaptive learner on clock; edit adjusts the demo
// configuration.
func newAdaptiveEnv(t *testing.T, clock *virtualClock, edit func(*config.Config)) (*env, *recordsByID) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), freshSQLitePath(t))
	closing(t, st, err)
	recs := &recordsByID{}
	e := newEnvWith(t, func(c *config.Config) {
		// What is measured is where the scorer sends requests, not the
		// tier timeouts: on a loaded machine a simulator's first token
		// can pass the default 800 ms, and a timeout would fail the
		// request over (or, on the last tier, answer 504) for no
		// reason the test is about.
		for _, dep := range []string{dearDep, cheapDep} {
			c.Deployments[dep].TTFTTimeout = 15 * time.Second
		}
		// Nor latency demotion: the simulators answer in well under a
		// millisecond, so the tracker's baseline is tiny, and on a
		// loaded machine (-race, tests side by side) three window
		// buckets whose median time to first token passes 50 ms (and
		// three times that baseline) demote a deployment. The
		// scorer then has one candidate and the other serves everything
		// until the demoted one has passed its recovery probes (tens of
		// seconds, hundreds of requests): gpt-4o demoted sends code and
		// reasoning to gpt-4o-mini whatever was learned. No number of
		// spikes demotes here; the driver counts any request the scorer
		// did not choose for (answer.unscored).
		c.Resilience.Health.SpikeCount = math.MaxInt32
		if edit != nil {
			edit(c)
		}
	}, server.RouterOptions{Store: st, AdaptiveNow: clock.Now, Sinks: []record.Sink{recs}})
	return e, recs
}

// ask sends it to model (a route or a deployment) and, with a rater,
// rates the answer.
func (d *driver) ask(ctx context.Context, model string, it *workload.Item) answer {
	d.t.Helper()
	d.clock.Advance(d.every)
	var hdr httpHeader
	c, err := d.e.Client.Chat.Completions.New(ctx, userChat(model, it.Prompt), option.WithResponseInto(&hdr.resp))
	if err != nil {
		d.t.Fatalf("%s %q: %v", model, it.Prompt, err)
	}
	a := answer{item: it, id: hdr.resp.Header.Get("x-switchyard-request-id"), deployment: hdr.resp.Header.Get("x-switchyard-deployment")}
	if a.costUSD, err = strconv.ParseFloat(hdr.resp.Header.Get("x-switchyard-cost-usd"), 64); err != nil || a.costUSD <= 0 {
		d.t.Fatalf("%s: x-switchyard-cost-usd %q", a.id, hdr.resp.Header.Get("x-switchyard-cost-usd"))
	}
	text := ""
	if len(c.Choices) > 0 {
		text = c.Choices[0].Message.Content
	}
	a.right = workload.Right(text, it.Expected)
	if rec := d.recs.wait(d.t, d.e.Router.Recorder, a.id); rec.Plan != nil {
		a.greedy, a.explored = rec.Plan.Explanation.Adaptive.Greedy, rec.Plan.Explanation.Adaptive.Explored
		a.failedOver = a.deployment != rec.Plan.First()
		// With one candidate left the scorer does not run at all.
		if x := &rec.Plan.Explanation; model == learnedRoute && (x.Scorer != route.ScorerAdaptive || x.Adaptive.Arms < 2) {
			a.unscored = unscoredWhy(rec.Plan)
		}
	}
	if d.rater != nil {
		d.unrated = append(d.unrated, pendingRating{a.id, d.rater.Rate(text, it.Expected)})
		for len(d.unrated) > d.late {
			d.rate(ctx, d.unrated[0].id, d.unrated[0].rating)
			d.unrated = d.unrated[1:]
		}
	}
	return a
}

// unscoredWhy says why the adaptive scorer of plan p had one arm, or did
// not run: the state of each deployment of the route in the plan, or its
// absence.
func unscoredWhy(p *route.Plan) string {
	var why []string
	for _, dep := range []string{dearDep, cheapDep} {
		state := "not in the plan (breaker open?)"
		for i := range p.Tiers {
			for _, c := range p.Tiers[i].Candidates {
				switch {
				case c.Deployment.Name != dep:
					continue
				case c.Demoted:
					state = "demoted by health (latency spikes)"
				case c.QualityDemoted != "":
					state = "demoted by quality monitoring"
				case !c.RateLimitedUntil.IsZero():
					state = "rate limited"
				default:
					state = "healthy"
				}
			}
		}
		why = append(why, dep+" "+state)
	}
	return strings.Join(why, ", ")
}

// rate posts the rating to /v1/feedback through the SDK and waits until
// the adaptive learner, if any, has applied it.
func (d *driver) rate(ctx context.Context, id string, g workload.Rating) {
	d.t.Helper()
	var hdr httpHeader
	if err := d.e.Client.Post(ctx, "feedback", g.Body(id), nil, option.WithResponseInto(&hdr.resp)); err != nil {
		d.t.Fatalf("feedback on %s: %v", id, err)
	}
	if hdr.resp.StatusCode != http.StatusNoContent {
		d.t.Fatalf("feedback on %s: %d", id, hdr.resp.StatusCode)
	}
	if d.e.Router.Adaptive == nil { // no adaptive route: nothing learns
		return
	}
	if err := d.e.Router.Adaptive.Flush(ctx); err != nil {
		d.t.Fatal(err)
	}
}

// run sends items to model in order.
func (d *driver) run(ctx context.Context, model string, items []workload.Item) []answer {
	d.t.Helper()
	out := make([]answer, len(items))
	for i := range items {
		out[i] = d.ask(ctx, model, &items[i])
	}
	return out
}

// simControl posts body to the simulators' control endpoint path
// (/_sim/accuracy, /_sim/drift, /_sim/seed), as an operator would.
func simControl(t *testing.T, e *env, path, body string) {
	t.Helper()
	resp, err := http.Post("http://"+e.SimAddr+path, "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST %s %s: %d", path, body, resp.StatusCode)
	}
}

// tally sums a run: its cost, how many answers were right, and, per
// category, how many went to each deployment.
type tally struct {
	n, right int
	costUSD  float64
	served   map[llm.Category]map[string]int
	// unscored counts the requests the scorer did not choose for, by
	// why; failedOver those another deployment than the plan's first
	// answered.
	unscored   map[string]int
	failedOver int
}

func tallyOf(answers []answer) tally {
	s := tally{served: map[llm.Category]map[string]int{}, unscored: map[string]int{}}
	for _, a := range answers {
		s.n++
		if a.unscored != "" {
			s.unscored[a.unscored]++
		}
		if a.failedOver {
			s.failedOver++
		}
		s.costUSD += a.costUSD
		if a.right {
			s.right++
		}
		if s.served[a.item.Category] == nil {
			s.served[a.item.Category] = map[string]int{}
		}
		s.served[a.item.Category][a.deployment]++
	}
	return s
}

func (s tally) quality() float64 { return float64(s.right) / float64(s.n) }

// share returns the share of cat's requests that dep served.
func (s tally) share(cat llm.Category, dep string) float64 {
	total := 0
	for _, n := range s.served[cat] {
		total += n
	}
	if total == 0 {
		return 0
	}
	return float64(s.served[cat][dep]) / float64(total)
}

// cheapShares lists the share of each category other than the weak ones
// and driftCategory that gpt-4o-mini served.
func (s tally) cheapShares() string {
	out := ""
	for _, c := range llm.Categories {
		if !weak(c) && c != driftCategory {
			out += fmt.Sprintf(" %s %.1f%%", c, 100*s.share(c, cheapDep))
		}
	}
	return "to " + cheapDep + ":" + out
}

func (s tally) String() string {
	out := fmt.Sprintf("%d requests, quality %.4f, cost $%.6f", s.n, s.quality(), s.costUSD)
	for why, n := range s.unscored {
		out += fmt.Sprintf("; %d not the scorer's choice: %s", n, why)
	}
	if s.failedOver > 0 {
		out += fmt.Sprintf("; %d failed over", s.failedOver)
	}
	return out
}
