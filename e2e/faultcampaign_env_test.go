package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider/providertest"
	"switchyard/server"
)

// The fault campaign: the real router in front of one hostile upstream of
// each provider kind, speaking that kind's wire format byte for byte
// (provider/providertest's formats) and misbehaving as each case says,
// with a healthy simulated fallback behind it. Each case runs against
// every kind, streamed and not, on two routes: "campaign" (the faulty
// deployment, then claude-haiku-4-5 on the simulator) and "alone" (the
// faulty deployment only). Every request is checked for its status and
// error shape, its deadline and the provider key, and every case for
// leaked goroutines once its router is closed. It extends the fault
// suite (faultsuite_test.go, which injects its faults through the
// simulator's rules into Azure and Anthropic only) with what only raw
// bytes can do: garbage bodies, redirects, end markers out of place,
// absurd numbers, slow bytes, oversized answers.

const (
	campaignFaulty   = "faulty"           // the deployment on the hostile upstream
	campaignFallback = "claude-haiku-4-5" // on the simulator; continues a stream by prefill
	campaignAnswer   = "Hello"            // the hostile upstream's answer when it answers
	campaignStall    = 500 * time.Millisecond
	campaignDeadline = 3 * time.Second
	campaignSlack    = 700 * time.Millisecond // past the deadline: a hang
)

// campaignKinds are the four provider kinds and their wire formats, and
// kind openai's Responses API (a deployment of api responses).
var campaignKinds = []struct {
	kind   string
	format providertest.Format
}{
	{"openai", providertest.OpenAI},
	{"azure", providertest.OpenAI},
	{"anthropic", providertest.Anthropic},
	{"gemini", providertest.Gemini},
	{kindResponses, providertest.OpenAIResponses},
}

// kindResponses is the campaign's name for a deployment of kind openai
// and api responses.
const kindResponses = "openai-responses"

// upstreamFault answers one request of the hostile upstream; f is its
// wire format. It must return once r's context ends.
type upstreamFault func(w http.ResponseWriter, r *http.Request, f providertest.Format)

// whole is the complete answer campaignAnswer in format f.
func whole(f providertest.Format) string {
	return f.Start + f.Text("Hel") + f.Text("lo") + f.Finish + f.End
}

// events answers 200 with body as an event stream.
func events(body func(f providertest.Format) string) upstreamFault {
	return func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, body(f))
	}
}

// campaignEnv is a router whose deployment "faulty" is of one kind and
// answers as the case's fault does.
type campaignEnv struct {
	*env
	kind     string
	deadline time.Duration // server.request_timeout
	calls    atomic.Int32  // requests the hostile upstream received
	log      *syncBuffer
}

// stallFor is the stall timeout of a case with the given deadline: the
// campaign's 250 ms, but a tenth of a longer deadline. Only the 33 MiB
// answers have one; they test a size limit, not stalls, and relaying 33 MiB
// under -race on a loaded 2-core machine can pause longer than 250 ms
// between chunks (a GC, the scheduler), which the watchdog took for a
// stalled upstream (a CI run failed so).
func stallFor(deadline time.Duration) time.Duration {
	if deadline > campaignDeadline {
		return deadline / 10
	}
	return campaignStall
}

// ttftFor is the first-token timeout of a case with the given deadline:
// short for the campaign's deadline, a quarter of a longer one (never
// less than short). The cases of longer deadlines test sizes and pacing, not
// first tokens, and their answers of megabytes under -race on a loaded
// 2-core machine once took past the default 800 ms to their first token
// (a CI run failed so, in the slow-reading client's case).
func ttftFor(deadline, short time.Duration) time.Duration {
	if deadline > campaignDeadline {
		return max(short, deadline/4)
	}
	return short
}

// newCampaignEnv starts the hostile upstream and the router, whose
// requests have deadline (runCampaign checks, once every case's are
// closed, that no goroutine is left).
func newCampaignEnv(t *testing.T, kind string, f providertest.Format, fault upstreamFault, deadline time.Duration) *campaignEnv {
	t.Helper()
	ce := &campaignEnv{kind: kind, deadline: deadline, log: &syncBuffer{}}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ce.calls.Add(1)
		io.Copy(io.Discard, r.Body)
		fault(w, r, f)
	}))
	t.Cleanup(up.Close)
	base, api := up.URL, ""
	if kind == kindResponses {
		kind, api = "openai", config.APIResponses
	}
	if kind == "openai" {
		base += "/v1"
	}
	logger := slog.New(slog.NewTextHandler(ce.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ce.env = newEnvWith(t, func(c *config.Config) {
		c.Server.RequestTimeout = deadline
		c.Resilience.StallTimeout = stallFor(deadline)
		c.Resilience.Backoff, c.Resilience.BackoffMax = 5*time.Millisecond, 20*time.Millisecond
		c.Providers["hostile"] = &config.Provider{Name: "hostile", Kind: kind, BaseURL: base, APIKey: providertest.Secret}
		c.Deployments[campaignFaulty] = &config.Deployment{Name: campaignFaulty, Provider: "hostile", Model: "m", API: api,
			Price: config.Price{Input: 1, Output: 1}, Capabilities: []llm.Capability{llm.CapStreaming}}
		ordered := config.Policy{Strategy: config.StrategyOrdered}
		c.Routes["campaign"] = &config.Route{Name: "campaign", Deployments: []string{campaignFaulty, campaignFallback}, Policy: ordered,
			Tiers: config.Tiers{Count: 2, TTFTTimeout: []time.Duration{ttftFor(deadline, time.Second)}}}
		c.Routes["alone"] = &config.Route{Name: "alone", Deployments: []string{campaignFaulty}, Policy: ordered,
			Tiers: config.Tiers{TTFTTimeout: []time.Duration{ttftFor(deadline, config.DefaultTierTTFTTimeout)}}}
	}, server.RouterOptions{Logger: logger})
	return ce
}

// checkNoLeak fails t if a goroutine of the router, the simulator or the
// upstream outlived them: any not running before the test (before), idle
// keep-alive connections of shared transports aside, as in TestMain.
func checkNoLeak(t *testing.T, before goleak.Option) {
	t.Helper()
	goleak.VerifyNone(t, before,
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
	)
}

// reply is what a client got.
type reply struct {
	status     int
	deployment string // x-switchyard-deployment
	body       []byte
	text       string // the answer's content (for a stream, the deltas')
	done       bool   // a stream ended with [DONE]
	errEvent   []byte // a stream's error event, if any
	usage      *struct{ PromptTokens, CompletionTokens, TotalTokens int64 }
	latency    time.Duration
}

// ask sends the campaign's question to route and reads the answer; a
// stream is read by read (nil: as fast as it comes).
func (ce *campaignEnv) ask(t *testing.T, route string, stream bool, read func(io.Reader) io.Reader) reply {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"model": route, "stream": stream, "stream_options": map[string]bool{"include_usage": true},
		"messages": []map[string]string{{"role": "user", "content": "Say hello."}},
	})
	if !stream {
		body, _ = json.Marshal(map[string]any{"model": route, "messages": []map[string]string{{"role": "user", "content": "Say hello."}}})
	}
	start := time.Now()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, ce.URL+"/v1/chat/completions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", route, err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if read != nil {
		r = read(resp.Body)
	}
	rp := reply{status: resp.StatusCode, deployment: resp.Header.Get("x-switchyard-deployment")}
	rp.body, _ = io.ReadAll(r)
	rp.latency = time.Since(start)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		rp.parseStream(t)
	} else if rp.status == http.StatusOK {
		rp.parseAnswer(t)
	}
	ce.checkReply(t, route, rp)
	return rp
}

func (rp *reply) parseAnswer(t *testing.T) {
	var a struct {
		Choices []struct{ Message struct{ Content string } }
		Usage   *struct {
			PromptTokens     int64 `json:"prompt_tokens"`
			CompletionTokens int64 `json:"completion_tokens"`
			TotalTokens      int64 `json:"total_tokens"`
		}
	}
	if err := json.Unmarshal(rp.body, &a); err != nil || len(a.Choices) != 1 {
		t.Fatalf("a 200 that is no chat completion: %v: %.300s", err, rp.body)
	}
	rp.text = a.Choices[0].Message.Content
	if a.Usage != nil {
		rp.usage = &struct{ PromptTokens, CompletionTokens, TotalTokens int64 }{a.Usage.PromptTokens, a.Usage.CompletionTokens, a.Usage.TotalTokens}
	}
}

func (rp *reply) parseStream(t *testing.T) {
	sc := bufio.NewScanner(bytes.NewReader(rp.body))
	sc.Buffer(nil, 64<<20)
	var text strings.Builder
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		switch {
		case !ok:
		case data == "[DONE]":
			rp.done = true
		case strings.HasPrefix(data, `{"error"`):
			rp.errEvent = []byte(data)
		default:
			var c struct {
				Choices []struct{ Delta struct{ Content string } }
				Usage   *struct {
					PromptTokens     int64 `json:"prompt_tokens"`
					CompletionTokens int64 `json:"completion_tokens"`
					TotalTokens      int64 `json:"total_tokens"`
				}
			}
			if err := json.Unmarshal([]byte(data), &c); err != nil {
				t.Fatalf("an undecodable chunk: %v: %.200s", err, data)
			}
			for _, ch := range c.Choices {
				text.WriteString(ch.Delta.Content)
			}
			if c.Usage != nil {
				rp.usage = &struct{ PromptTokens, CompletionTokens, TotalTokens int64 }{c.Usage.PromptTokens, c.Usage.CompletionTokens, c.Usage.TotalTokens}
			}
		}
	}
	rp.text = text.String()
}

// checkReply asserts what every reply must: within the deadline, no
// provider key, and an error (if any) in OpenAI's shape.
func (ce *campaignEnv) checkReply(t *testing.T, route string, rp reply) {
	t.Helper()
	if rp.latency > ce.deadline+campaignSlack {
		t.Errorf("%s: answered after %s, past the %s deadline", route, rp.latency, ce.deadline)
	}
	if bytes.Contains(rp.body, []byte(providertest.Secret)) {
		t.Errorf("%s: the reply shows the provider key: %.300s", route, rp.body)
	}
	for _, eb := range [][]byte{rp.errEvent, errorJSON(rp)} {
		if eb == nil {
			continue
		}
		var e errorBody
		if err := json.Unmarshal(eb, &e); err != nil || e.Error.Message == "" || e.Error.Type == "" {
			t.Errorf("%s: an error not in OpenAI's shape: %.300s", route, eb)
		}
		if len(eb) > 4<<10 {
			t.Errorf("%s: an error of %d bytes: %.200s…", route, len(eb), eb)
		}
	}
}

// errorJSON is the body of a reply that is an error, or nil.
func errorJSON(rp reply) []byte {
	if rp.status == http.StatusOK {
		return nil
	}
	return rp.body
}

// checkLog fails t if the router's log shows the provider key.
func (ce *campaignEnv) checkLog(t *testing.T) {
	t.Helper()
	if l := ce.log.Bytes(); bytes.Contains(l, []byte(providertest.Secret)) {
		t.Errorf("the router's log shows the provider key")
	}
}
