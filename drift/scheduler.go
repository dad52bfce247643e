package drift

import (
	"context"
	"log/slog"
	"maps"
	"math/rand/v2"
	"sync"
	"time"

	"switchyard/store"
)

// Schedule is how often one golden set runs, against which deployments.
type Schedule struct {
	Set         *Set
	Deployments []string
	// Interval is the time between runs, Jitter the most a run comes
	// earlier or later, at random, so that runs do not fall in step with
	// anything periodic.
	Interval, Jitter time.Duration
	// Prompts per deployment and run; zero means all the set's.
	Prompts int
}

// Scheduler runs golden sets on their schedules and the live monitor on
// its interval, in the background, until Close.
type Scheduler struct {
	Runner    *Runner
	Monitor   *Monitor
	Schedules []Schedule
	// Live, when not nil, checks live traffic every LiveInterval.
	Live         *Live
	LiveInterval time.Duration
	// Log receives failures; nil means slog.Default().
	Log *slog.Logger
	// Now is the clock; nil means time.Now. After returns a channel that
	// receives once d has passed; nil means time.After. Rand returns a
	// float in [0,1); nil means math/rand/v2. Tests replace them.
	Now   func() time.Time
	After func(d time.Duration) <-chan time.Time
	Rand  func() float64
	// Ran holds, by set name, the start of each set's last run known
	// before Start: a scheduler replacing another (a configuration
	// change) takes the other's LastRuns, so that without a store to read
	// them from it does not run the sets again at once.
	Ran map[string]time.Time

	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	last   map[string]time.Time // set name → its last run's start
}

// Start starts one goroutine per schedule (and one for the live monitor).
// The first run of a set comes one interval after its last stored run
// (at once when that is past, or when none is stored), give or take the
// jitter.
func (s *Scheduler) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	for i := range s.Schedules {
		s.wg.Go(func() { s.loop(ctx, i) })
	}
	if s.Live != nil && s.LiveInterval > 0 {
		s.wg.Go(func() { s.liveLoop(ctx) })
	}
}

// Close stops the schedules and waits for runs in progress to end (their
// requests are cancelled).
func (s *Scheduler) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

func (s *Scheduler) loop(ctx context.Context, i int) {
	sc := &s.Schedules[i]
	delay := s.firstDelay(ctx, sc)
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.after(delay):
		}
		if err := s.RunOnce(ctx, i); err != nil && ctx.Err() == nil {
			s.logger().Warn("drift run failed", "set", sc.Set.Name, "err", err)
		}
		delay = s.jittered(sc.Interval, sc.Jitter)
	}
}

// RunOnce runs schedule i now: its set against its deployments, compared
// and acted on by the monitor.
func (s *Scheduler) RunOnce(ctx context.Context, i int) error {
	sc := &s.Schedules[i]
	start := s.now()
	s.mu.Lock()
	if s.last == nil {
		s.last = map[string]time.Time{}
	}
	s.last[sc.Set.Name] = start
	s.mu.Unlock()
	runs, err := s.Runner.Run(ctx, RunSpec{Set: sc.Set, Deployments: sc.Deployments, Prompts: sc.Prompts, Seed: uint64(start.UnixNano())})
	if err != nil {
		return err
	}
	return s.Monitor.Observe(ctx, runs)
}

// LastRuns returns, by set name, the start of each set's last run: those
// it ran, else those of Ran.
func (s *Scheduler) LastRuns() map[string]time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := maps.Clone(s.Ran)
	if out == nil {
		out = map[string]time.Time{}
	}
	maps.Copy(out, s.last)
	return out
}

// firstDelay is the wait before a schedule's first run: one interval
// after the set's last run, stored or in Ran, the later of them.
func (s *Scheduler) firstDelay(ctx context.Context, sc *Schedule) time.Duration {
	last := s.Ran[sc.Set.Name]
	if st := s.Monitor.Store; st != nil {
		runs, err := st.DriftRuns(ctx, store.DriftFilter{Set: sc.Set.Name, Limit: 1})
		if err == nil && len(runs) > 0 && runs[0].Started.After(last) {
			last = runs[0].Started
		}
	}
	wait := time.Duration(0)
	if !last.IsZero() {
		wait = max(last.Add(sc.Interval).Sub(s.now()), 0)
	}
	return wait + time.Duration(s.rand()*float64(sc.Jitter))
}

// jittered returns d moved by up to ±j at random, at least a second.
func (s *Scheduler) jittered(d, j time.Duration) time.Duration {
	return max(d+time.Duration((2*s.rand()-1)*float64(j)), time.Second)
}

func (s *Scheduler) liveLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.after(s.jittered(s.LiveInterval, s.LiveInterval/10)):
		}
		if err := s.Live.Check(ctx); err != nil && ctx.Err() == nil {
			s.logger().Warn("drift live check failed", "err", err)
		}
	}
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Scheduler) after(d time.Duration) <-chan time.Time {
	if s.After != nil {
		return s.After(d)
	}
	return time.After(d)
}

func (s *Scheduler) rand() float64 {
	if s.Rand != nil {
		return s.Rand()
	}
	return rand.Float64()
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
