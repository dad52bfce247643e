package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// FaultKind is a failure the simulator can inject.
type FaultKind string

// The injectable faults.
const (
	FaultNone        FaultKind = ""
	FaultSlow        FaultKind = "slow"         // add Delay before the first byte
	FaultRateLimit   FaultKind = "rate_limit"   // 429 with Retry-After
	FaultServerError FaultKind = "server_error" // 500 in the provider's error shape
	FaultUnavailable FaultKind = "unavailable"  // 503 (Anthropic: 529 overloaded)
	FaultReset       FaultKind = "reset"        // TCP reset before any response
	FaultCut         FaultKind = "cut"          // stream cut after a few chunks, no end marker
	FaultStall       FaultKind = "stall"        // stream stalls for Delay after the first chunk
	FaultMalformed   FaultKind = "malformed"    // 200 with a body that is not valid JSON / SSE
	FaultOutage      FaultKind = "outage"       // like unavailable, meant for time windows
	// FaultRejectPrefill makes a model refuse requests that end with an
	// assistant prefill (400, as models without prefill support answer);
	// it never affects other requests. See Faults.RejectsPrefill.
	FaultRejectPrefill FaultKind = "reject_prefill"
	// FaultContextLength rejects the prompt as too long for the model's
	// context window, in the provider's own 400 error (OpenAI and Azure:
	// code context_length_exceeded; Anthropic: "prompt is too long";
	// Gemini: INVALID_ARGUMENT "The input token count … exceeds …").
	FaultContextLength FaultKind = "context_length"
	// FaultContentFilter rejects the prompt by content policy, as Azure
	// (400, code content_filter) and Anthropic ("Output blocked by content
	// filtering policy") do.
	FaultContentFilter FaultKind = "content_filter"
	// FaultRefusal makes the model decline, as each provider says so with a
	// 200: Anthropic stop_reason "refusal" with no content (what its
	// streaming classifiers end an answer with; the documented test string
	// ANTHROPIC_MAGIC_STRING_TRIGGER_REFUSAL_… does it too), OpenAI and
	// Azure finish_reason "content_filter" with no content, Gemini a
	// blocked prompt (promptFeedback.blockReason SAFETY, no candidates).
	FaultRefusal FaultKind = "refusal"
	// FaultHang accepts the request and never answers: no status line, no
	// byte, until the client gives up.
	FaultHang FaultKind = "hang"
	// FaultBadEvent sends one undecodable event in a stream after After
	// content pieces (default 1), then goes on with the whole answer.
	FaultBadEvent FaultKind = "bad_event"
	// FaultNoDone ends a stream cleanly after its finish reason (and
	// usage) but without the end marker: no "data: [DONE]" (OpenAI,
	// Azure), no message_stop (Anthropic); Gemini streams have none.
	FaultNoDone FaultKind = "no_done"
	// FaultNoFinish streams an answer whose chunks carry no
	// finish_reason at all, ended by "data: [DONE]", as NVIDIA NIM
	// serving GLM ends its tool-calling turns (earendil-works/pi#6226).
	// It changes OpenAI's and Azure's Chat Completions streams alone.
	FaultNoFinish FaultKind = "no_finish"
	// FaultFinishEvery streams an answer with the finish reason on every
	// chunk, as a proxy that stamps it on each does (open-webui#23921,
	// qualcomm/GenieX#1246), pausing Delay (default 2s, past the
	// router's FinishGrace) after After content pieces (default 1). It
	// changes OpenAI's and Azure's Chat Completions streams alone.
	FaultFinishEvery FaultKind = "finish_every"
	// FaultFlexUnavailable refuses a request for service_tier "flex" as
	// OpenAI does when flex processing has no capacity for it: 429, code
	// resource_unavailable. It strikes flex requests only (a rule leaves
	// the model's other requests alone, and a directive in a request that
	// is not flex does nothing). See Faults.Take.
	FaultFlexUnavailable FaultKind = "flex_unavailable"
	// FaultPriorityDowngrade serves a request for service_tier "priority"
	// (or "fast") on the default tier, as OpenAI does when the project's
	// priority traffic ramps up too fast: the answer says service_tier
	// "default". It changes no other request. See Faults.Take.
	FaultPriorityDowngrade FaultKind = "priority_downgrade"
	// FaultFastRateLimit refuses a request in Claude's fast mode (speed
	// "fast" to a model that serves it) as Anthropic does when fast
	// mode's own rate limit is exceeded: 429 rate_limit_error with
	// retry-after and the anthropic-fast-* headers. It strikes fast
	// requests only, like the tier faults. See Faults.Take.
	FaultFastRateLimit FaultKind = "fast_rate_limit"
	// FaultErrorEvent ends a stream after After content pieces (default
	// 1) with the provider's own in-stream error event, then closes it,
	// as an upstream failing mid-answer does: OpenAI's Chat Completions
	// (and Azure's) a data line {"error":{…"type":"server_error"…}}; the
	// Responses API an error event alone (no response.failed before it);
	// Anthropic an error event of type overloaded_error; Gemini an error
	// object of status INTERNAL. A request not streamed gets the
	// provider's 500 instead (Fault.For).
	FaultErrorEvent FaultKind = "error_event"
	// FaultHTML answers 200 with an HTML page (text/html) instead of the
	// answer, as a proxy or captive portal in front of the provider may.
	FaultHTML FaultKind = "html"
)

// For returns the fault as it strikes a request, streamed or not: a
// FaultErrorEvent, which only a stream can carry, is a FaultServerError
// for a request not streamed.
func (ft Fault) For(stream bool) Fault {
	if ft.Kind == FaultErrorEvent && !stream {
		ft.Kind = FaultServerError
	}
	return ft
}

// HTMLPage is the page a FaultHTML answers with.
const HTMLPage = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body>\n</html>\n"

// WriteHTML answers w as FaultHTML does: 200, text/html, HTMLPage.
func WriteHTML(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, HTMLPage)
}

// tierKind reports a fault kind that strikes only requests of a service
// tier: Pick never returns it, Take does.
func tierKind(k FaultKind) bool {
	return k == FaultFlexUnavailable || k == FaultPriorityDowngrade || k == FaultFastRateLimit
}

// Fault is one injection rule.
type Fault struct {
	Kind FaultKind `json:"kind"`
	// Model limits the fault to one model; empty means every model.
	Model string `json:"model,omitempty"`
	// Rate is the probability in (0,1] that a matching request is hit;
	// zero means always.
	Rate float64 `json:"rate,omitempty"`
	// Count limits the fault to the next Count hits; zero means no limit.
	Count int `json:"count,omitempty"`
	// Delay is the pause for slow and stall faults.
	Delay time.Duration `json:"delay,omitempty"`
	// After is the number of content pieces (about a token each) a stream
	// sends before a cut, stall or bad_event strikes; zero means the
	// kind's default (cut: 3 pieces for OpenAI and Gemini, 2 for
	// Anthropic; stall: right after the first event; bad_event: 1).
	After int `json:"after,omitempty"`
	// RetryAfter is sent with rate_limit faults; zero means 1s.
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	// From and Until bound an outage window; zero values are open ends.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
}

// Faults holds the active fault rules of a simulated server. It is safe for
// concurrent use. The zero value has no faults.
type Faults struct {
	mu    sync.Mutex
	rules []*Fault
	seen  map[string]int
}

// Seen returns how many requests for model reached fault selection (every
// chat request that passed validation, faulted or not, and every
// embeddings or moderations request): a count of the upstream calls a
// model received.
func (f *Faults) Seen(model string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[model]
}

// Add installs a rule.
func (f *Faults) Add(r Fault) {
	f.mu.Lock()
	f.rules = append(f.rules, &r)
	f.mu.Unlock()
}

// Clear removes every rule for model ("" removes all rules).
func (f *Faults) Clear(model string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if model == "" {
		f.rules = nil
		return
	}
	kept := f.rules[:0]
	for _, r := range f.rules {
		if r.Model != model {
			kept = append(kept, r)
		}
	}
	f.rules = kept
}

// List returns a copy of the active rules.
func (f *Faults) List() []Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Fault, len(f.rules))
	for i, r := range f.rules {
		out[i] = *r
	}
	return out
}

var directive = regexp.MustCompile(`\[\[sim:([a-z_]+)(?:=([0-9a-z.]+))?\]\]`)

// Pick returns the fault for one request to model, or a zero Fault. A
// directive in the prompt such as "[[sim:cut]]" or "[[sim:slow=2s]]"
// injects that fault into this request alone, which lets end-to-end tests
// drive faults through an unmodified client.
func (f *Faults) Pick(model, prompt string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen == nil {
		f.seen = map[string]int{}
	}
	f.seen[model]++
	if m := directive.FindStringSubmatch(prompt); m != nil {
		return fromDirective(FaultKind(m[1]), m[2])
	}
	now := time.Now()
	for i, r := range f.rules {
		if r.Kind == FaultRejectPrefill || tierKind(r.Kind) || !r.matches(model, now) {
			continue
		}
		return f.hitLocked(i)
	}
	return Fault{}
}

// Take returns the first rule of kind that covers model now and strikes
// (its rate drawn, its count spent), for the faults that depend on what
// a request asks — FaultFlexUnavailable and FaultPriorityDowngrade, which
// a simulator takes only for a request of their tier, so that the
// model's other requests neither see nor spend them.
func (f *Faults) Take(kind FaultKind, model string) (Fault, bool) {
	now := time.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rules {
		if r.Kind == kind && r.matches(model, now) {
			return f.hitLocked(i), true
		}
	}
	return Fault{}, false
}

// matches reports whether r covers model at now and, for a rule with a
// rate, whether the draw strikes.
func (r *Fault) matches(model string, now time.Time) bool {
	if r.Model != "" && r.Model != model {
		return false
	}
	if (!r.From.IsZero() && now.Before(r.From)) || (!r.Until.IsZero() && now.After(r.Until)) {
		return false
	}
	return r.Rate == 0 || rand.Float64() < r.Rate
}

// hitLocked returns rule i as it strikes, spending one of its count (the
// rule is removed with its last); f.mu is held.
func (f *Faults) hitLocked(i int) Fault {
	r := f.rules[i]
	hit := *r
	if r.Count > 0 {
		r.Count--
		if r.Count == 0 {
			f.rules = append(f.rules[:i:i], f.rules[i+1:]...)
		}
	}
	return hit
}

// RejectsPrefill reports whether a reject_prefill rule covers model now.
func (f *Faults) RejectsPrefill(model string) bool {
	now := time.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.Kind == FaultRejectPrefill && (r.Model == "" || r.Model == model) &&
			(r.From.IsZero() || !now.Before(r.From)) && (r.Until.IsZero() || !now.After(r.Until)) {
			return true
		}
	}
	return false
}

func fromDirective(kind FaultKind, arg string) Fault {
	ft := Fault{Kind: kind}
	if d, err := time.ParseDuration(arg); err == nil {
		ft.Delay = d
		ft.RetryAfter = d
	} else if s, err := strconv.Atoi(arg); err == nil {
		ft.RetryAfter = time.Duration(s) * time.Second
		ft.After = s
	}
	return ft
}

// RetryAfterSeconds is the Retry-After header value of a rate-limit fault.
func (ft Fault) RetryAfterSeconds() string {
	d := ft.RetryAfter
	if d <= 0 {
		d = time.Second
	}
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

// ServeHTTP is the fault control API, mounted at /_sim/faults:
// GET lists rules, POST adds one (a Fault as JSON; durations as Go strings
// or nanoseconds; 400 for an unknown kind, a rate outside [0,1] or a
// negative count), DELETE clears them (?model= limits to one model).
func (f *Faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(f.List())
	case http.MethodPost:
		var in faultJSON
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
			http.Error(w, "bad fault: "+err.Error(), http.StatusBadRequest)
			return
		}
		ft, err := in.fault()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.Add(ft)
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		f.Clear(r.URL.Query().Get("model"))
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

type faultJSON struct {
	Fault
	Delay      jsonDuration `json:"delay"`
	RetryAfter jsonDuration `json:"retry_after"`
}

// jsonDuration is a duration given as a Go duration string ("2s") or a
// number of nanoseconds, as GET lists them.
type jsonDuration time.Duration

// UnmarshalJSON implements json.Unmarshaler.
func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*d = jsonDuration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a duration such as \"2s\" or a number of nanoseconds, got %s", b)
	}
	*d = jsonDuration(n)
	return nil
}

func (in faultJSON) fault() (Fault, error) {
	ft := in.Fault
	switch ft.Kind {
	case FaultSlow, FaultRateLimit, FaultServerError, FaultUnavailable, FaultReset,
		FaultCut, FaultStall, FaultMalformed, FaultOutage, FaultRejectPrefill, FaultContextLength, FaultContentFilter,
		FaultHang, FaultBadEvent, FaultNoDone, FaultNoFinish, FaultFinishEvery, FaultFlexUnavailable, FaultPriorityDowngrade, FaultFastRateLimit,
		FaultErrorEvent, FaultHTML:
	default:
		return ft, fmt.Errorf("unknown fault kind %q", ft.Kind)
	}
	switch {
	case !(ft.Rate >= 0 && ft.Rate <= 1):
		return ft, fmt.Errorf("rate %v is not in [0,1]", ft.Rate)
	case ft.Count < 0 || ft.After < 0:
		return ft, fmt.Errorf("count and after must not be negative")
	case in.Delay < 0 || in.RetryAfter < 0:
		return ft, fmt.Errorf("durations must not be negative")
	}
	ft.Delay, ft.RetryAfter = time.Duration(in.Delay), time.Duration(in.RetryAfter)
	return ft, nil
}
