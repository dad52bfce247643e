package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPickRules(t *testing.T) {
	past, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	tests := []struct {
		name   string
		rules  []Fault
		model  string
		prompt string
		want   FaultKind
	}{
		{"no rules", nil, "m", "hi", FaultNone},
		{"any model", []Fault{{Kind: FaultServerError}}, "m", "hi", FaultServerError},
		{"model matches", []Fault{{Kind: FaultReset, Model: "m"}}, "m", "hi", FaultReset},
		{"other model", []Fault{{Kind: FaultReset, Model: "other"}}, "m", "hi", FaultNone},
		{"first matching rule wins", []Fault{{Kind: FaultCut, Model: "other"}, {Kind: FaultStall, Model: "m"}, {Kind: FaultSlow}}, "m", "hi", FaultStall},
		{"rate 1 always", []Fault{{Kind: FaultCut, Rate: 1}}, "m", "hi", FaultCut},
		{"window open", []Fault{{Kind: FaultOutage, From: past, Until: future}}, "m", "hi", FaultOutage},
		{"window not started", []Fault{{Kind: FaultOutage, From: future}}, "m", "hi", FaultNone},
		{"window over", []Fault{{Kind: FaultOutage, Until: past}}, "m", "hi", FaultNone},
		{"open start", []Fault{{Kind: FaultOutage, Until: future}}, "m", "hi", FaultOutage},
		{"open end", []Fault{{Kind: FaultOutage, From: past}}, "m", "hi", FaultOutage},
		{"directive beats rules", []Fault{{Kind: FaultServerError}}, "m", "please [[sim:cut]] now", FaultCut},
		{"directive without rules", nil, "m", "[[sim:malformed]]", FaultMalformed},
		{"wrapper-specific directive kind", nil, "m", "[[sim:content_filter]]", "content_filter"},
		{"malformed directive ignored", []Fault{{Kind: FaultSlow}}, "m", "[[sim:Cut]] [sim:cut] [[sim:]]", FaultSlow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f Faults
			for _, r := range tt.rules {
				f.Add(r)
			}
			if got := f.Pick(tt.model, tt.prompt); got.Kind != tt.want {
				t.Fatalf("Pick = %q, want %q", got.Kind, tt.want)
			}
		})
	}
}

func TestPickDirectiveArguments(t *testing.T) {
	tests := []struct {
		prompt     string
		kind       FaultKind
		delay      time.Duration
		retryAfter string
	}{
		{"[[sim:cut]]", FaultCut, 0, "1"},
		{"[[sim:slow=2s]]", FaultSlow, 2 * time.Second, "2"},
		{"[[sim:stall=150ms]]", FaultStall, 150 * time.Millisecond, "1"},
		{"[[sim:slow=1m30s]]", FaultSlow, 90 * time.Second, "90"},
		{"[[sim:rate_limit=3]]", FaultRateLimit, 0, "3"},
		{"[[sim:rate_limit=2.5s]]", FaultRateLimit, 2500 * time.Millisecond, "3"},
		{"[[sim:rate_limit]]", FaultRateLimit, 0, "1"},
		{"[[sim:rate_limit=x]]", FaultRateLimit, 0, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.prompt, func(t *testing.T) {
			var f Faults
			got := f.Pick("m", "text "+tt.prompt+" more")
			if got.Kind != tt.kind || got.Delay != tt.delay || got.RetryAfterSeconds() != tt.retryAfter {
				t.Fatalf("Pick = %+v (retry after %s), want %s delay %v retry after %s",
					got, got.RetryAfterSeconds(), tt.kind, tt.delay, tt.retryAfter)
			}
		})
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1", -time.Second: "1", time.Millisecond: "1", time.Second: "1",
		1500 * time.Millisecond: "2", 3 * time.Second: "3", time.Minute: "60",
	} {
		if got := (Fault{RetryAfter: d}).RetryAfterSeconds(); got != want {
			t.Errorf("RetryAfterSeconds(%v) = %s, want %s", d, got, want)
		}
	}
}

func TestPickCount(t *testing.T) {
	var f Faults
	f.Add(Fault{Kind: FaultRateLimit, Model: "m", Count: 3})
	f.Add(Fault{Kind: FaultServerError, Model: "m", Count: 1})
	f.Add(Fault{Kind: FaultSlow, Model: "other", Count: 1})
	want := []struct {
		kind  FaultKind
		count int
	}{{FaultRateLimit, 3}, {FaultRateLimit, 2}, {FaultRateLimit, 1}, {FaultServerError, 1}, {FaultNone, 0}, {FaultNone, 0}}
	for i, w := range want {
		got := f.Pick("m", "hi")
		if got.Kind != w.kind || got.Count != w.count {
			t.Fatalf("pick %d = %s count %d, want %s count %d", i, got.Kind, got.Count, w.kind, w.count)
		}
	}
	// Spent rules are gone; the other model's is untouched.
	if l := f.List(); len(l) != 1 || l[0].Model != "other" || l[0].Count != 1 {
		t.Fatalf("List = %+v", l)
	}
	// A directive does not spend a rule.
	f.Pick("other", "[[sim:cut]]")
	if l := f.List(); len(l) != 1 {
		t.Fatalf("a directive consumed a rule: %+v", l)
	}
}

func TestPickCountConcurrent(t *testing.T) {
	var f Faults
	f.Add(Fault{Kind: FaultReset, Count: 50})
	var hits atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if f.Pick("m", "").Kind == FaultReset {
					hits.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if hits.Load() != 50 {
		t.Fatalf("a Count 50 rule hit %d times", hits.Load())
	}
}

func TestPickRate(t *testing.T) {
	const draws = 20000
	for _, rate := range []float64{0.1, 0.5, 0.9} {
		var f Faults
		f.Add(Fault{Kind: FaultServerError, Rate: rate})
		hits := 0
		for range draws {
			if f.Pick("m", "").Kind == FaultServerError {
				hits++
			}
		}
		// The standard deviation is at most 0.5·√20000 ≈ 71 hits: a ±600
		// band fails about never.
		if want := rate * draws; float64(hits) < want-600 || float64(hits) > want+600 {
			t.Errorf("rate %v hit %d of %d draws", rate, hits, draws)
		}
	}
	// Rate and Count together: only hits spend the count.
	var f Faults
	f.Add(Fault{Kind: FaultCut, Rate: 0.5, Count: 10})
	hits := 0
	for range draws {
		if f.Pick("m", "").Kind == FaultCut {
			hits++
		}
	}
	if hits != 10 {
		t.Fatalf("rate 0.5 count 10 hit %d times", hits)
	}
}

func TestClear(t *testing.T) {
	var f Faults
	f.Add(Fault{Kind: FaultCut, Model: "a"})
	f.Add(Fault{Kind: FaultCut, Model: "b"})
	f.Add(Fault{Kind: FaultCut, Model: "a"})
	f.Clear("a")
	if l := f.List(); len(l) != 1 || l[0].Model != "b" {
		t.Fatalf("after Clear(a): %+v", l)
	}
	f.Clear("")
	if l := f.List(); len(l) != 0 {
		t.Fatalf("after Clear(): %+v", l)
	}
	// List returns copies.
	f.Add(Fault{Kind: FaultCut, Count: 2})
	l := f.List()
	l[0].Count = 99
	if f.List()[0].Count != 2 {
		t.Fatal("List exposes the rules")
	}
}

func TestFaultsHTTP(t *testing.T) {
	type step struct {
		method, target, body string
		status               int
		want                 string // substring of the response body
	}
	tests := []struct {
		name  string
		steps []step
		list  string // the final GET
	}{
		{"empty list", nil, `[]`},
		{"add and list", []step{
			{"POST", "/_sim/faults", `{"kind":"rate_limit","model":"gpt-sim","count":3,"retry_after":"2s"}`, 204, ""},
			{"POST", "/_sim/faults", `{"kind":"slow","rate":0.5,"delay":"250ms"}`, 204, ""},
		}, `[{"kind":"rate_limit","model":"gpt-sim","count":3,"retry_after":2000000000},{"kind":"slow","rate":0.5,"delay":250000000}]`},
		{"nanoseconds accepted", []step{
			{"POST", "/_sim/faults", `{"kind":"stall","delay":1000000}`, 204, ""},
		}, `[{"kind":"stall","delay":1000000}]`},
		{"window", []step{
			{"POST", "/_sim/faults", `{"kind":"outage","from":"2026-01-01T00:00:00Z","until":"2026-01-02T00:00:00Z"}`, 204, ""},
		}, `[{"kind":"outage","from":"2026-01-01T00:00:00Z","until":"2026-01-02T00:00:00Z"}]`},
		{"error event and html", []step{
			{"POST", "/_sim/faults", `{"kind":"error_event","after":4}`, 204, ""},
			{"POST", "/_sim/faults", `{"kind":"html","count":1}`, 204, ""},
		}, `[{"kind":"error_event","after":4},{"kind":"html","count":1}]`},
		{"bad kind", []step{{"POST", "/_sim/faults", `{"kind":"explode"}`, 400, `unknown fault kind "explode"`}}, `[]`},
		{"missing kind", []step{{"POST", "/_sim/faults", `{"model":"m"}`, 400, "unknown fault kind"}}, `[]`},
		{"bad JSON", []step{{"POST", "/_sim/faults", `{"kind":`, 400, "bad fault"}}, `[]`},
		{"bad delay", []step{{"POST", "/_sim/faults", `{"kind":"slow","delay":"soon"}`, 400, "bad fault"}}, `[]`},
		{"bad delay type", []step{{"POST", "/_sim/faults", `{"kind":"slow","delay":true}`, 400, "bad fault"}}, `[]`},
		{"negative delay", []step{{"POST", "/_sim/faults", `{"kind":"slow","delay":"-1s"}`, 400, "negative"}}, `[]`},
		{"rate over 1", []step{{"POST", "/_sim/faults", `{"kind":"cut","rate":2}`, 400, "rate"}}, `[]`},
		{"negative count", []step{{"POST", "/_sim/faults", `{"kind":"cut","count":-1}`, 400, "count"}}, `[]`},
		{"body too large", []step{{"POST", "/_sim/faults", `{"kind":"cut","model":"` + strings.Repeat("m", 1<<16) + `"}`, 400, "bad fault"}}, `[]`},
		{"delete one model", []step{
			{"POST", "/_sim/faults", `{"kind":"cut","model":"a"}`, 204, ""},
			{"POST", "/_sim/faults", `{"kind":"reset","model":"b"}`, 204, ""},
			{"DELETE", "/_sim/faults?model=a", "", 204, ""},
		}, `[{"kind":"reset","model":"b"}]`},
		{"delete all", []step{
			{"POST", "/_sim/faults", `{"kind":"cut","model":"a"}`, 204, ""},
			{"DELETE", "/_sim/faults", "", 204, ""},
		}, `[]`},
		{"method not allowed", []step{{"PUT", "/_sim/faults", `{}`, 405, "method not allowed"}}, `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := new(Faults)
			for _, s := range tt.steps {
				w := httptest.NewRecorder()
				f.ServeHTTP(w, httptest.NewRequest(s.method, s.target, strings.NewReader(s.body)))
				if w.Code != s.status || !strings.Contains(w.Body.String(), s.want) {
					t.Fatalf("%s %s: %d %q, want %d containing %q", s.method, s.target, w.Code, w.Body, s.status, s.want)
				}
				if w.Code == 405 && w.Header().Get("Allow") != "GET, POST, DELETE" {
					t.Errorf("Allow = %q", w.Header().Get("Allow"))
				}
			}
			w := httptest.NewRecorder()
			f.ServeHTTP(w, httptest.NewRequest("GET", "/_sim/faults", nil))
			if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("GET: %d %s", w.Code, w.Header().Get("Content-Type"))
			}
			if got := strings.TrimSpace(w.Body.String()); got != tt.list {
				t.Fatalf("GET = %s\nwant  %s", got, tt.list)
			}
		})
	}
}

func TestFaultsHTTPRoundTrip(t *testing.T) {
	// What GET lists can be posted back as is.
	src := new(Faults)
	src.Add(Fault{Kind: FaultSlow, Model: "m", Rate: 0.25, Count: 2, Delay: 3 * time.Second, RetryAfter: time.Second})
	srv := httptest.NewServer(src)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var listed []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&listed); err != nil || len(listed) != 1 {
		t.Fatalf("GET: %v %s", err, listed)
	}
	dst := new(Faults)
	w := httptest.NewRecorder()
	dst.ServeHTTP(w, httptest.NewRequest("POST", "/", strings.NewReader(string(listed[0]))))
	if w.Code != http.StatusNoContent {
		b, _ := io.ReadAll(w.Body)
		t.Fatalf("POST of a listed rule: %d %s", w.Code, b)
	}
	if got, want := dst.List(), src.List(); len(got) != 1 || got[0] != want[0] {
		t.Fatalf("round trip = %+v, want %+v", got, want)
	}
	srv.Client().CloseIdleConnections()
}

// A number after cut, stall or bad_event is the pieces sent before it
// strikes; Seen counts every pick per model.
func TestPickDirectiveAfterAndSeen(t *testing.T) {
	var f Faults
	for prompt, want := range map[string]int{"[[sim:cut=40]]": 40, "[[sim:bad_event=7]]": 7, "[[sim:stall]]": 0, "[[sim:no_done]]": 0} {
		if got := f.Pick("m", prompt); got.After != want {
			t.Errorf("%s: After %d, want %d", prompt, got.After, want)
		}
	}
	f.Pick("other", "hi")
	if f.Seen("m") != 4 || f.Seen("other") != 1 || f.Seen("none") != 0 {
		t.Errorf("Seen: m %d, other %d, none %d", f.Seen("m"), f.Seen("other"), f.Seen("none"))
	}
}

// The tier faults are installed like any rule but never picked: Take
// returns them, by kind and model, spending their count.
func TestTakeTierFaults(t *testing.T) {
	var f Faults
	w := httptest.NewRecorder()
	f.ServeHTTP(w, httptest.NewRequest("POST", "/_sim/faults", strings.NewReader(`{"kind":"flex_unavailable","model":"m","retry_after":"30s","count":2}`)))
	if w.Code != 204 {
		t.Fatalf("POST: %d %s", w.Code, w.Body)
	}
	f.Add(Fault{Kind: FaultPriorityDowngrade})
	if ft := f.Pick("m", "hi"); ft.Kind != FaultNone {
		t.Errorf("Pick returned %+v", ft)
	}
	if _, ok := f.Take(FaultFlexUnavailable, "other"); ok {
		t.Error("another model's rule was taken")
	}
	for i := 0; i < 2; i++ {
		if ft, ok := f.Take(FaultFlexUnavailable, "m"); !ok || ft.RetryAfter != 30*time.Second {
			t.Errorf("take %d: %+v %v", i, ft, ok)
		}
	}
	if _, ok := f.Take(FaultFlexUnavailable, "m"); ok {
		t.Error("taken past its count")
	}
	if _, ok := f.Take(FaultPriorityDowngrade, "any"); !ok || len(f.List()) != 1 {
		t.Errorf("priority_downgrade for every model not taken, or spent: %+v", f.List())
	}
}

// TestFaultFor: an error_event, which only a stream can carry, strikes a
// request not streamed as a server error; other kinds are as they were.
func TestFaultFor(t *testing.T) {
	for _, tt := range []struct {
		kind   FaultKind
		stream bool
		want   FaultKind
	}{
		{FaultErrorEvent, true, FaultErrorEvent},
		{FaultErrorEvent, false, FaultServerError},
		{FaultCut, false, FaultCut},
		{FaultHTML, true, FaultHTML},
	} {
		if got := (Fault{Kind: tt.kind, After: 2}).For(tt.stream); got.Kind != tt.want || got.After != 2 {
			t.Errorf("%s streamed %v: %+v, want %s", tt.kind, tt.stream, got, tt.want)
		}
	}
}
