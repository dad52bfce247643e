package drift

import (
	"context"
	"log/slog"
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

	cancel context.CancelFunc
	wg     sync.WaitGroup
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
	runs, err := s.Runner.Run(ctx, RunSpec{Set: sc.Set, Deployments: sc.Deployments, Prompts: sc.Prompts, Seed: uint64(s.now().UnixNano())})
	if err != nil {
		return err
	}
	return s.Monitor.Observe(ctx, runs)
}

// firstDelay is the wait before a schedule's first run.
func (s *Scheduler) firstDelay(ctx context.Context, sc *Schedule) time.Duration {
	wait := time.Duration(0)
	if st := s.Monitor.Store; st != nil {
		last, err := st.DriftRuns(ctx, store.DriftFilter{Set: sc.Set.Name, Limit: 1})
		if err == nil && len(last) > 0 {
			wait = max(last[0].Started.Add(sc.Interval).Sub(s.now()), 0)
		}
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
