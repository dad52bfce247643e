package quality

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"switchyard/llm"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestLengthsNeedHistory(t *testing.T) {
	var l Lengths
	for i := range MinLengthHistory - 1 {
		l.Observe("d", llm.CategoryCode, 100)
		if r := l.Ratio("d", llm.CategoryCode, 200); r != 0 {
			t.Fatalf("ratio %v after %d answers, want 0 before %d", r, i+1, MinLengthHistory)
		}
	}
	l.Observe("d", llm.CategoryCode, 100)
	if r := l.Ratio("d", llm.CategoryCode, 200); !near(r, 2) {
		t.Fatalf("ratio %v, want 2", r)
	}
	if r := l.Ratio("d", llm.CategoryCode, 0); r != 0 {
		t.Fatalf("ratio of an empty answer %v, want 0", r)
	}
	if r := l.Ratio("d", llm.CategoryChat, 200); r != 0 {
		t.Fatalf("another category borrowed the history: %v", r)
	}
	if r := l.Ratio("e", llm.CategoryCode, 200); r != 0 {
		t.Fatalf("another deployment borrowed the history: %v", r)
	}
}

// The usual length is a geometric mean at first, then a weighted one that
// follows a change and is moved little by one outlier.
func TestLengthsUsual(t *testing.T) {
	var l Lengths
	for i := range MinLengthHistory {
		if i%2 == 0 {
			l.Observe("d", "", 100)
		} else {
			l.Observe("d", "", 400)
		}
	}
	if u, ok := l.Usual("d", ""); !ok || !near(u, 200) {
		t.Fatalf("usual %v %v, want the geometric mean 200", u, ok)
	}
	l.Observe("d", "", 1_000_000)
	if u, _ := l.Usual("d", ""); u > 260 {
		t.Fatalf("one outlier moved the usual length to %v", u)
	}
	for range 500 {
		l.Observe("d", "", 1000)
	}
	if u, _ := l.Usual("d", ""); math.Abs(u-1000) > 10 {
		t.Fatalf("usual %v after the deployment changed to 1000", u)
	}
	l.Observe("d", "", 0) // ignored
	l.Observe("d", "", -5)
	if u, _ := l.Usual("d", ""); math.Abs(u-1000) > 10 {
		t.Fatalf("empty answers moved the usual length to %v", u)
	}
}

func TestLengthsBounded(t *testing.T) {
	var l Lengths
	for i := range maxLengthKeys + 10 {
		l.Observe(fmt.Sprint("d", i), "", 10)
	}
	if n := len(l.byKey); n != maxLengthKeys {
		t.Fatalf("%d pairs tracked, want the bound %d", n, maxLengthKeys)
	}
	for range MinLengthHistory {
		l.Observe("d0", "", 10)
	}
	if _, ok := l.Usual("d0", ""); !ok {
		t.Fatal("a tracked pair stopped learning at the bound")
	}
}

func TestLengthsConcurrent(t *testing.T) {
	var l Lengths
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				l.Observe("d", llm.CategoryChat, 50)
				l.Ratio("d", llm.CategoryChat, 100)
			}
		}()
	}
	wg.Wait()
	if r := l.Ratio("d", llm.CategoryChat, 100); !near(r, 2) {
		t.Fatalf("ratio %v, want 2", r)
	}
}
