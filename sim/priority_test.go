package sim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A commitment's capacity is used by the requests it serves at priority
// and replenished a minute after the window's first request; a request
// that does not fit uses none. A cache read burns a tenth of a token, a
// five-minute write 1.25, a one-hour write 2.
func TestPriorityTierWindow(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tier := &PriorityTier{clock: func() time.Time { return now }}
	if _, ok := tier.Assign("m", 1, 1); ok {
		t.Fatal("a model without a commitment was assigned")
	}
	if err := tier.Set(PriorityCapacity{Model: "m", InputTokensPerMinute: 100, OutputTokensPerMinute: 50}); err != nil {
		t.Fatal(err)
	}
	if b := PriorityBurn(10, 100, 4, 5); b != 10+10+5+10 {
		t.Errorf("burn %v", b)
	}
	for i, tc := range []struct {
		after    time.Duration
		in       float64
		out      int
		priority bool
		leftIn   int
		leftOut  int
	}{
		{0, 60, 20, true, 40, 30},
		{30 * time.Second, 50, 10, false, 40, 30}, // input does not fit
		{0, 30, 31, false, 40, 30},                // output does not fit
		{0, 35.5, 30, true, 4, 0},
		{30 * time.Second, 1, 1, true, 99, 49}, // a minute after the first: replenished
	} {
		now = now.Add(tc.after)
		g, ok := tier.Assign("m", tc.in, tc.out)
		if !ok || g.Priority != tc.priority || g.InputRemaining != tc.leftIn || g.OutputRemaining != tc.leftOut || g.InputLimit != 100 || g.OutputLimit != 50 {
			t.Errorf("%d: %+v", i, g)
		}
	}
	if g, _ := tier.Assign("m", 1, 1); !g.Reset.Equal(now.Add(time.Minute)) {
		t.Errorf("reset %s, want a minute after %s", g.Reset, now)
	}
	var nilTier *PriorityTier
	if _, ok := nilTier.Assign("m", 1, 1); ok || (*Behavior)(nil).PriorityTier() != nil {
		t.Error("a nil Behavior has a commitment")
	}
}

// /_sim/priority_tier sets, lists and clears commitments; a malformed or
// incomplete one is a 400 and changes nothing.
func TestPriorityTierControl(t *testing.T) {
	b := new(Behavior)
	mux := http.NewServeMux()
	b.Mount(mux)
	do := func(method, url, body string) (int, string) {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(method, url, strings.NewReader(body)))
		return rec.Code, strings.TrimSpace(rec.Body.String())
	}
	for _, body := range []string{
		`{"model":"m","input_tokens_per_minute":10}`,
		`{"input_tokens_per_minute":10,"output_tokens_per_minute":5}`,
		`{"model":"m","input_tokens_per_minute":10,"output_tokens_per_minute":5,"extra":1}`,
	} {
		if code, msg := do("POST", "/_sim/priority_tier", body); code != 400 || !strings.Contains(msg, "priority") {
			t.Errorf("%s: %d %s", body, code, msg)
		}
	}
	for _, m := range []string{"b", "a"} {
		if code, msg := do("POST", "/_sim/priority_tier", `{"model":"`+m+`","input_tokens_per_minute":10,"output_tokens_per_minute":5}`); code != 204 {
			t.Fatalf("%d %s", code, msg)
		}
	}
	want := `[{"model":"a","input_tokens_per_minute":10,"output_tokens_per_minute":5},{"model":"b","input_tokens_per_minute":10,"output_tokens_per_minute":5}]`
	if code, got := do("GET", "/_sim/priority_tier", ""); code != 200 || got != want {
		t.Errorf("GET: %d %s", code, got)
	}
	do("DELETE", "/_sim/priority_tier?model=a", "")
	if _, ok := b.Priority.Assign("a", 1, 1); ok {
		t.Error("a's commitment was not cleared")
	}
	do("DELETE", "/_sim/priority_tier", "")
	if code, got := do("GET", "/_sim/priority_tier", ""); code != 200 || got != "[]" {
		t.Errorf("after DELETE: %d %s", code, got)
	}
}

// FuzzParsePriorityCapacity: any bytes are a commitment Set accepts or
// an error.
func FuzzParsePriorityCapacity(f *testing.F) {
	f.Add([]byte(`{"model":"claude-haiku-4-5","input_tokens_per_minute":200000,"output_tokens_per_minute":40000}`))
	f.Add([]byte(`{"model":"m","input_tokens_per_minute":0,"output_tokens_per_minute":1}`))
	f.Add([]byte(`{"model":"m","input_tokens_per_minute":1e30}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParsePriorityCapacity(data)
		if err != nil {
			return
		}
		var tier PriorityTier
		if err := tier.Set(c); err != nil {
			t.Fatalf("a parsed commitment is refused: %v", err)
		}
		if g, ok := tier.Assign(c.Model, 0, 0); !ok || !g.Priority {
			t.Fatalf("an empty request does not fit a fresh commitment: %+v", g)
		}
	})
}
