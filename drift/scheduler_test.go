package drift

import (
	"context"
	"sync"
	"testing"
	"time"

	"switchyard/store"
)

// fakeClock drives a Scheduler: each After call is handed to the test,
// which moves the clock and fires it.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan fakeWait
}

type fakeWait struct {
	d  time.Duration
	ch chan time.Time
}

func newFakeClock(start time.Time) *fakeClock {
	return &fakeClock{now: start, waits: make(chan fakeWait, 64)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.waits <- fakeWait{d, ch}
	return ch
}

// fire waits for the scheduler's next wait, moves the clock past it and
// fires it.
func (c *fakeClock) fire(t *testing.T) time.Duration {
	t.Helper()
	select {
	case w := <-c.waits:
		c.mu.Lock()
		c.now = c.now.Add(w.d)
		now := c.now
		c.mu.Unlock()
		w.ch <- now
		return w.d
	case <-time.After(30 * time.Second):
		t.Fatal("the scheduler never waited again")
		return 0
	}
}

// The scheduler respects its daily spending cap: a UTC day's runs never
// cost more than the cap, runs are cut (capped) when the next prompt
// does not fit, and the next day runs again.
func TestSchedulerRespectsDailySpendingCap(t *testing.T) {
	db := openSQLite(t)
	clock := newFakeClock(time.Date(2026, 5, 4, 0, 30, 0, 0, time.UTC))
	asker := &fakeAsker{usd: 0.05, est: 0.1, known: true, answer: func(string, string) (string, error) { return "4", nil }}
	const capUSD = 1.0
	budget := NewBudget(capUSD, 0, clock.Now)
	s := &Scheduler{
		Runner:  &Runner{Asker: asker, Budget: budget, Concurrency: 1, Now: clock.Now},
		Monitor: &Monitor{Store: db, Options: Options{BaselineRuns: 1}},
		Schedules: []Schedule{{Set: mustSet(t, threePrompts+"  - {id: four, category: chat, prompt: hi, expect: {not_refuses: true}}\n"),
			Deployments: []string{"a", "b"}, Interval: 6 * time.Hour, Jitter: time.Hour}},
		Now: clock.Now, After: clock.After, Rand: func() float64 { return 0.5 },
	}
	s.Start()
	// The first run comes at once (nothing stored) plus half the jitter;
	// then every 6 hours (Rand 0.5 is no jitter): 4 runs a day, 8 over
	// two days, each at most 2×4 prompts × $0.05 = $0.40.
	if d := clock.fire(t); d != 30*time.Minute {
		t.Errorf("first wait %v, want 30m", d)
	}
	for range 8 {
		if d := clock.fire(t); d != 6*time.Hour {
			t.Errorf("wait %v, want 6h", d)
		}
	}
	<-clock.waits // the ninth run is done once the scheduler waits again
	s.Close()
	ctx := context.Background()
	runs, err := db.DriftRuns(ctx, store.DriftFilter{Oldest: true, Limit: 100})
	if err != nil || len(runs) != 18 { // 9 runs × 2 deployments
		t.Fatalf("%d runs stored, %v", len(runs), err)
	}
	spent := map[time.Time]float64{}
	capped := map[time.Time]int{}
	for _, r := range runs {
		day := DayOf(r.Started)
		spent[day] += r.CostUSD
		if r.Verdict == VerdictCapped {
			capped[day]++
		}
	}
	if len(spent) != 3 {
		t.Fatalf("runs over %d days, want 3", len(spent))
	}
	for day, usd := range spent {
		if usd > capUSD+1e-9 {
			t.Errorf("%s: spent $%.2f, over the $%.2f cap", day.Format(time.DateOnly), usd, capUSD)
		}
		if usd < capUSD-0.2 && day != DayOf(clock.Now()) {
			t.Errorf("%s: spent only $%.2f of a $%.2f cap", day.Format(time.DateOnly), usd, capUSD)
		}
	}
	day1 := DayOf(runs[0].Started)
	if capped[day1] == 0 {
		t.Errorf("no run was capped on the first day: %v", capped)
	}
	// Each day starts uncapped: its first runs ran whole.
	for _, r := range runs {
		if r.Started.Equal(DayOf(r.Started).Add(30*time.Minute)) && r.Verdict == VerdictCapped {
			t.Errorf("the first run of %s was capped", DayOf(r.Started).Format(time.DateOnly))
		}
	}
	if total := asker.calls["a"] + asker.calls["b"]; float64(total)*0.05 > 3*capUSD {
		t.Errorf("%d prompts asked", total)
	}
}

// A schedule whose set ran recently waits out the rest of its interval.
func TestSchedulerFirstRunFollowsTheStore(t *testing.T) {
	db := openSQLite(t)
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	run := &store.DriftRun{ID: "r1", Set: "three", Deployment: "a", Started: now.Add(-2 * time.Hour), Finished: now.Add(-2 * time.Hour)}
	if err := db.WriteDriftRun(context.Background(), run); err != nil {
		t.Fatal(err)
	}
	s := &Scheduler{Monitor: &Monitor{Store: db}, Now: func() time.Time { return now }, Rand: func() float64 { return 0 }}
	if d := s.firstDelay(context.Background(), &Schedule{Set: mustSet(t, threePrompts), Interval: 6 * time.Hour}); d != 4*time.Hour {
		t.Errorf("first delay %v, want 4h", d)
	}
	if d := s.jittered(time.Hour, 10*time.Minute); d != 50*time.Minute {
		t.Errorf("jittered with Rand 0: %v, want 50m", d)
	}
}
