package pool

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"switchyard/llm"
)

func TestNew(t *testing.T) {
	f := newFake("x")
	tests := []struct {
		name    string
		members []Member
		opts    Options
		wantErr string
	}{
		{"no members", nil, Options{}, "no members"},
		{"nil provider", []Member{{Name: "k1"}}, Options{}, `member "k1" has no provider`},
		{"negative weight", []Member{{Provider: f, Weight: -1}}, Options{}, `member "pool#1" has negative weight`},
		{"duplicate name", []Member{{Name: "k", Provider: f}, {Name: "k", Provider: f}}, Options{}, `duplicate member name "k"`},
		{"duplicate default name", []Member{{Name: "pool#2", Provider: f}, {Provider: f}}, Options{}, `duplicate member name "pool#2"`},
		{"unknown strategy", []Member{{Provider: f}}, Options{Strategy: "random"}, `unknown strategy "random"`},
		{"negative cooldown", []Member{{Provider: f}}, Options{DefaultCooldown: -1}, "negative cooldown"},
		{"negative max cooldown", []Member{{Provider: f}}, Options{MaxCooldown: -1}, "negative cooldown"},
		{"ok", []Member{{Provider: f}, {Name: "k2", Provider: f, Weight: 3}}, Options{}, ""},
		{"ok weighted", []Member{{Provider: f}}, Options{Strategy: StrategyWeighted}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New("pool", tc.members, tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), `pool "pool": `) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range p.Status() {
				names = append(names, s.Name)
			}
			if len(names) != len(tc.members) || names[0] != "pool#1" {
				t.Errorf("names = %v, want the first defaulted to pool#1", names)
			}
		})
	}
}

// Sequential calls on idle members rotate, so each gets the same share.
func TestLeastInFlightSequentialRoundRobin(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			fs := fakes(n)
			p := newPool(t, members(fs), Options{})
			var got []string
			for range 4 * n {
				name, err := chat(p)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, name)
			}
			for i, f := range fs {
				if c := f.count(); c != 4 {
					t.Errorf("member %s: %d calls, want 4 (order %v)", f.name, c, got)
				}
				if got[i] != f.name {
					t.Errorf("call %d went to %s, want %s (order %v)", i, got[i], f.name, got)
				}
			}
			if fl := inFlight(p); slices.Max(fl) != 0 {
				t.Errorf("in flight after all calls returned: %v", fl)
			}
		})
	}
}

// Calls that are all in flight at once spread exactly evenly.
func TestLeastInFlightConcurrentSpreadsEvenly(t *testing.T) {
	const n, per = 3, 10
	fs := fakes(n)
	var entered sync.WaitGroup
	entered.Add(n * per)
	release := make(chan struct{})
	for _, f := range fs {
		f.hook = func() { entered.Done(); <-release }
	}
	p := newPool(t, members(fs), Options{})
	var done sync.WaitGroup
	for range n * per {
		done.Go(func() {
			if _, err := chat(p); err != nil {
				t.Error(err)
			}
		})
	}
	entered.Wait()
	if got := inFlight(p); !slices.Equal(got, []int{per, per, per}) {
		t.Errorf("in flight with all calls blocked = %v, want %d each", got, per)
	}
	close(release)
	done.Wait()
	if got := calls(fs); !slices.Equal(got, []int64{per, per, per}) {
		t.Errorf("calls = %v, want %d each", got, per)
	}
	if got := inFlight(p); !slices.Equal(got, []int{0, 0, 0}) {
		t.Errorf("in flight after = %v, want 0", got)
	}
}

// A member with fewer calls in flight wins over round-robin order.
func TestLeastInFlightPrefersIdleMember(t *testing.T) {
	fs := fakes(3)
	p := newPool(t, members(fs), Options{})
	var open []llm.Stream
	for range 6 {
		s, err := p.Stream(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, s)
	}
	if got := inFlight(p); !slices.Equal(got, []int{2, 2, 2}) {
		t.Fatalf("in flight = %v, want 2 each", got)
	}
	for _, s := range open {
		if s.(*stream).m.name == "b" {
			s.Close()
		}
	}
	for range 3 {
		if name, _ := chat(p); name != "b" {
			t.Errorf("call went to %s, want the idle member b", name)
		}
	}
	for _, s := range open {
		s.Close()
	}
	if got := inFlight(p); !slices.Equal(got, []int{0, 0, 0}) {
		t.Errorf("in flight after closing = %v, want 0", got)
	}
}

func TestWeightedSplit(t *testing.T) {
	const picks = 10_000
	tests := []struct {
		name    string
		weights []int
		want    []float64
	}{
		{"equal", []int{1, 1}, []float64{0.5, 0.5}},
		{"1:2:7", []int{1, 2, 7}, []float64{0.1, 0.2, 0.7}},
		{"zero means one", []int{0, 3}, []float64{0.25, 0.75}},
		{"large", []int{1000, 9000}, []float64{0.1, 0.9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := fakes(len(tc.weights))
			rng := rand.New(rand.NewPCG(1, 2))
			p := newPool(t, members(fs, tc.weights...), Options{Strategy: StrategyWeighted, Rand: rng.Uint64})
			for range picks {
				if _, err := chat(p); err != nil {
					t.Fatal(err)
				}
			}
			for i, f := range fs {
				share := float64(f.count()) / picks
				if math.Abs(share-tc.want[i]) > 0.02 {
					t.Errorf("member %s: share %.3f, want %.2f±0.02", f.name, share, tc.want[i])
				}
			}
		})
	}
}

// A member that does not embed is never picked for Embed.
func TestEmbed(t *testing.T) {
	t.Run("no member embeds", func(t *testing.T) {
		fs := fakes(2)
		p := newPool(t, members(fs), Options{})
		_, err := p.Embed(context.Background(), &llm.EmbeddingRequest{Input: []string{"x"}})
		var le *llm.Error
		if !errors.As(err, &le) || le.Kind != llm.KindInvalidRequest || !strings.Contains(le.Message, `"pool"`) {
			t.Fatalf("err = %#v, want a KindInvalidRequest naming the pool", err)
		}
		if got := calls(fs); slices.Max(got) != 0 {
			t.Errorf("members called: %v", got)
		}
	})
	for _, strategy := range []Strategy{StrategyLeastInFlight, StrategyWeighted} {
		t.Run(string(strategy), func(t *testing.T) {
			fs := fakes(4)
			ms := members(fs)
			ms[1].Provider, ms[3].Provider = embedFake{fs[1]}, embedFake{fs[3]}
			p := newPool(t, ms, Options{Strategy: strategy, Rand: rand.New(rand.NewPCG(3, 4)).Uint64})
			for range 100 {
				resp, err := p.Embed(context.Background(), &llm.EmbeddingRequest{Input: []string{"x"}})
				if err != nil {
					t.Fatal(err)
				}
				if resp.Model != "b" && resp.Model != "d" {
					t.Fatalf("embed went to %s, which does not embed", resp.Model)
				}
			}
			got := calls(fs)
			if got[0] != 0 || got[2] != 0 || got[1] < 30 || got[3] < 30 {
				t.Errorf("calls = %v, want embeds split between b and d only", got)
			}
			if strategy == StrategyLeastInFlight && got[1] != got[3] {
				t.Errorf("calls = %v, want an even split", got)
			}
		})
	}
}

// A panicking member must not leave its call counted in flight.
func TestPanicReleases(t *testing.T) {
	fs := fakes(1)
	fs[0].hook = func() { panic("boom") }
	p := newPool(t, members(fs), Options{})
	for _, call := range []func(){
		func() { p.Stream(context.Background(), req) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			call()
		}()
	}
	if got := inFlight(p); got[0] != 0 {
		t.Errorf("in flight after panics = %v, want 0", got)
	}
}
