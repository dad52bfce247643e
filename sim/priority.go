package sim

import (
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

// PriorityCapacity is an organization's Anthropic Priority Tier
// commitment for one model: input and output tokens per minute.
type PriorityCapacity struct {
	Model                 string `json:"model"`
	InputTokensPerMinute  int    `json:"input_tokens_per_minute"`
	OutputTokensPerMinute int    `json:"output_tokens_per_minute"`
}

// Check reports what is wrong with c.
func (c PriorityCapacity) Check() error {
	switch {
	case c.Model == "":
		return fmt.Errorf("priority_tier: no model (a commitment is for one model)")
	case c.InputTokensPerMinute < 1 || c.OutputTokensPerMinute < 1:
		return fmt.Errorf("priority_tier: input_tokens_per_minute and output_tokens_per_minute must be at least 1")
	}
	return nil
}

// PriorityTier holds the Priority Tier commitments the simulated
// organization has, per model, and what each minute's requests used of
// them. It is safe for concurrent use; the zero value has none, so every
// request is served at the standard tier.
type PriorityTier struct {
	mu    sync.Mutex
	caps  map[string]*priorityUse
	clock func() time.Time // nil: time.Now
}

// priorityUse is one commitment and its current one-minute window.
type priorityUse struct {
	cap     PriorityCapacity
	start   time.Time // of the window; zero before the first request
	in, out float64   // used in the window
}

// PriorityWindow is how long a commitment's capacity lasts before it is
// replenished.
const PriorityWindow = time.Minute

// Set installs (or replaces) a model's commitment, its window fresh.
func (t *PriorityTier) Set(c PriorityCapacity) error {
	if err := c.Check(); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.caps == nil {
		t.caps = map[string]*priorityUse{}
	}
	t.caps[c.Model] = &priorityUse{cap: c}
	return nil
}

// Clear removes model's commitment ("" removes every one).
func (t *PriorityTier) Clear(model string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if model == "" {
		t.caps = nil
		return
	}
	delete(t.caps, model)
}

// List returns the commitments, by model.
func (t *PriorityTier) List() []PriorityCapacity {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]PriorityCapacity, 0, len(t.caps))
	for _, m := range slices.Sorted(maps.Keys(t.caps)) {
		out = append(out, t.caps[m].cap)
	}
	return out
}

// PriorityGrant is what a request with a Priority Tier commitment got:
// whether it was served at priority, and the capacity left after it (the
// anthropic-priority-* response headers).
type PriorityGrant struct {
	Priority                        bool
	InputLimit, OutputLimit         int
	InputRemaining, OutputRemaining int
	Reset                           time.Time
}

// Assign decides the tier of a request to model that may use Priority
// Tier (service_tier auto, or none): it is served at priority when the
// model has a commitment and both the input it burns (PriorityBurn) and
// its output tokens fit in what is left of the minute's capacity, which
// it then uses; otherwise it proceeds at the standard tier and uses
// none. ok is false when model has no commitment (no headers then).
func (t *PriorityTier) Assign(model string, inputBurn float64, output int) (g PriorityGrant, ok bool) {
	if t == nil {
		return PriorityGrant{}, false
	}
	now := time.Now()
	if t.clock != nil {
		now = t.clock()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.caps[model]
	if u == nil {
		return PriorityGrant{}, false
	}
	if u.start.IsZero() || !now.Before(u.start.Add(PriorityWindow)) {
		u.start, u.in, u.out = now, 0, 0
	}
	c := u.cap
	if u.in+inputBurn <= float64(c.InputTokensPerMinute) && u.out+float64(output) <= float64(c.OutputTokensPerMinute) {
		u.in += inputBurn
		u.out += float64(output)
		g.Priority = true
	}
	g.InputLimit, g.OutputLimit = c.InputTokensPerMinute, c.OutputTokensPerMinute
	g.InputRemaining = int(math.Floor(float64(c.InputTokensPerMinute) - u.in))
	g.OutputRemaining = int(math.Floor(float64(c.OutputTokensPerMinute) - u.out))
	g.Reset = u.start.Add(PriorityWindow)
	return g, true
}

// PriorityBurn is how much of a Priority Tier input capacity a request
// uses, as Anthropic counts it: a cache read 0.1 token a token, a cache
// write 1.25 (five-minute TTL) or 2 (one hour), any other input token 1.
// (The long-context and US-only-inference rates are not simulated.)
func PriorityBurn(input, cacheRead, write5m, write1h int) float64 {
	return float64(input) + 0.1*float64(cacheRead) + 1.25*float64(write5m) + 2*float64(write1h)
}

// ParsePriorityCapacity decodes a PriorityCapacity from JSON ({"model",
// "input_tokens_per_minute", "output_tokens_per_minute"}; other fields
// are an error) and checks it.
func ParsePriorityCapacity(data []byte) (PriorityCapacity, error) {
	var c PriorityCapacity
	if err := decodeStrictJSON(data, &c); err != nil {
		return PriorityCapacity{}, fmt.Errorf("bad priority tier: %w", err)
	}
	if err := c.Check(); err != nil {
		return PriorityCapacity{}, err
	}
	return c, nil
}

// ServeHTTP is the Priority Tier control API, mounted at
// /_sim/priority_tier: GET lists the commitments, POST sets one (a
// PriorityCapacity as JSON; 204, or 400 with the reason), DELETE clears
// them (?model= one model's).
func (t *PriorityTier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeControlJSON(w, t.List())
	case http.MethodPost:
		data, ok := readControlBody(w, r, maxControlBody)
		if !ok {
			return
		}
		c, err := ParsePriorityCapacity(data)
		if err == nil {
			err = t.Set(c)
		}
		answerControl(w, err)
	case http.MethodDelete:
		t.Clear(r.URL.Query().Get("model"))
		w.WriteHeader(http.StatusNoContent)
	default:
		notAllowed(w)
	}
}
