package bench

import (
	"testing"
	"time"
)

func TestNewSchedule(t *testing.T) {
	ms := time.Millisecond
	s, err := NewSchedule(10*ms, 100*ms, 150*ms, 250*ms)
	if err != nil {
		t.Fatal(err)
	}
	want := []Phase{
		{Router, true, 0, 100 * ms}, {Direct, true, 100 * ms, 200 * ms},
		{Direct, true, 200 * ms, 250 * ms}, {Router, true, 250 * ms, 300 * ms},
		{Router, false, 300 * ms, 400 * ms}, {Direct, false, 400 * ms, 500 * ms},
		{Direct, false, 500 * ms, 600 * ms}, {Router, false, 600 * ms, 700 * ms},
		{Router, false, 700 * ms, 750 * ms}, {Direct, false, 750 * ms, 800 * ms},
	}
	if len(s.Phases) != len(want) {
		t.Fatalf("got %d phases %+v, want %d", len(s.Phases), s.Phases, len(want))
	}
	for i := range want {
		if s.Phases[i] != want[i] {
			t.Errorf("phase %d = %+v, want %+v", i, s.Phases[i], want[i])
		}
	}
	if got := s.Length(); got != 800*ms {
		t.Errorf("Length = %v, want 800ms", got)
	}
	for _, tg := range []Target{Router, Direct} {
		if got := s.Measured(tg); got != 250*ms {
			t.Errorf("Measured(%s) = %v, want 250ms", tg, got)
		}
	}
	if len(s.Slots) != 80 {
		t.Fatalf("got %d slots, want 80", len(s.Slots))
	}
	counts := map[Target]int{}
	for i, sl := range s.Slots {
		if sl.At != time.Duration(i)*10*ms {
			t.Fatalf("slot %d at %v, want %v", i, sl.At, time.Duration(i)*10*ms)
		}
		p := s.Phases[sl.Phase]
		if sl.At < p.Start || sl.At >= p.End {
			t.Fatalf("slot %d at %v outside its phase %+v", i, sl.At, p)
		}
		if !p.Warmup {
			counts[p.Target]++
		}
	}
	if counts[Router] != 25 || counts[Direct] != 25 {
		t.Errorf("measured slots per target = %v, want 25 each", counts)
	}
}

func TestNewScheduleUneven(t *testing.T) {
	// An interval that does not divide the phase: every slot still lands
	// in the phase covering its time, and the cadence never breaks.
	s, err := NewSchedule(3*time.Millisecond, 10*time.Millisecond, 0, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.Phases[0].Warmup {
		t.Error("no warm-up asked, got a warm-up phase")
	}
	if got, want := len(s.Slots), 34; got != want { // ceil(100ms / 3ms)
		t.Errorf("got %d slots, want %d", got, want)
	}
	for i, sl := range s.Slots {
		p := s.Phases[sl.Phase]
		if sl.At < p.Start || sl.At >= p.End {
			t.Fatalf("slot %d at %v outside its phase %+v", i, sl.At, p)
		}
	}
}

func TestNewScheduleInvalid(t *testing.T) {
	ms := time.Millisecond
	for _, c := range [][4]time.Duration{{0, ms, 0, ms}, {ms, 0, 0, ms}, {ms, ms, -ms, ms}, {ms, ms, 0, 0}} {
		if _, err := NewSchedule(c[0], c[1], c[2], c[3]); err == nil {
			t.Errorf("NewSchedule%v: no error", c)
		}
	}
}
