package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLiveIDs(t *testing.T) {
	var l liveIDs
	if err := l.wait(context.Background(), "req_never"); err != nil {
		t.Errorf("wait for an id never live = %v, want nil at once", err)
	}
	l.add("req_a1")
	l.add("req_b1") // same shard
	done := make(chan error, 2)
	for range 2 {
		go func() { done <- l.wait(context.Background(), "req_a1") }()
	}
	short, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := l.wait(short, "req_a1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait for a live id = %v, want the deadline", err)
	}
	l.remove("req_b1")
	select {
	case err := <-done:
		t.Fatalf("a waiter of req_a1 returned (%v) when req_b1 ended", err)
	default:
	}
	l.remove("req_a1")
	for range 2 {
		if err := <-done; err != nil {
			t.Errorf("wait = %v once the id ended", err)
		}
	}
	id := "req_0123456789abcdef01234567"
	l.add(id)
	l.remove(id)
	if n := testing.AllocsPerRun(100, func() { l.add(id); l.remove(id) }); n != 0 {
		t.Errorf("add and remove allocate %v times, want 0", n)
	}
}

// An id added twice (its request's handler, then its background run)
// stays live until removed twice; its waiters wake once.
func TestLiveIDsTwice(t *testing.T) {
	var l liveIDs
	l.add("req_c1")
	l.add("req_c1")
	done := make(chan error, 1)
	go func() { done <- l.wait(context.Background(), "req_c1") }()
	l.remove("req_c1")
	select {
	case err := <-done:
		t.Fatalf("the waiter returned (%v) after one of two removes", err)
	case <-time.After(20 * time.Millisecond):
	}
	l.remove("req_c1")
	if err := <-done; err != nil {
		t.Errorf("wait = %v once the id ended", err)
	}
	l.remove("req_c1") // once more: nothing
	if err := l.wait(context.Background(), "req_c1"); err != nil {
		t.Errorf("wait after the end = %v", err)
	}
}

func TestSessionHeader(t *testing.T) {
	for _, tt := range []struct {
		values []string
		want   string
		ok     bool
	}{
		{nil, "", false},
		{[]string{"conv-42"}, "conv-42", true},
		{[]string{"a b:c/d"}, "a b:c/d", true},
		{[]string{""}, "", false},
		{[]string{"tab\there"}, "", false},
		{[]string{"naïve"}, "", false},
		{[]string{strings.Repeat("s", maxSession)}, strings.Repeat("s", maxSession), true},
		{[]string{strings.Repeat("s", maxSession+1)}, "", false},
	} {
		h := http.Header{}
		for _, v := range tt.values {
			h.Add("x-switchyard-session", v)
		}
		if got, ok := session(h); got != tt.want || ok != tt.ok {
			t.Errorf("session(%q) = %q, %v; want %q, %v", tt.values, got, ok, tt.want, tt.ok)
		}
	}
}

func BenchmarkLiveIDs(b *testing.B) {
	var l liveIDs
	ids := make([]string, 64)
	for i := range ids {
		ids[i] = newRequestID()
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			id := ids[i%len(ids)]
			l.add(id)
			l.remove(id)
			i++
		}
	})
}
