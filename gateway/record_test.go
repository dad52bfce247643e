package gateway

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/record"
	"switchyard/route"
	"switchyard/store"
)

// recConfig has two deployments, b able to continue a broken stream, on
// a plain route, a hedged one and a route that does not resume; retries
// are off so every trail is exact.
const recConfig = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
resilience: {retries: 0}
deployments:
  a: {provider: p, price: {input: 1, output: 1}}
  b: {provider: p, price: {input: 2, output: 2}, continuation: anthropic}
routes:
  r:
    deployments: [a, b]
    latency_budget: {total: 1m}
  h:
    deployments: [a, b]
    latency_budget: {total: 1m}
    hedge: {after: 1ms}
  strict:
    deployments: [a, b]
    latency_budget: {total: 1m}
    resume: false
`

// behaviour is how a scripted upstream answers a request.
type behaviour func(req *llm.Request) llmtest.Script

func chunk(model string, d llm.Delta, fin llm.FinishReason) llmtest.Event {
	return llmtest.Event{Chunk: &llm.Chunk{ID: "id-" + model, Model: model, Choices: []llm.ChunkChoice{{Delta: d, FinishReason: fin}}}}
}

func usageEvent(model string, prompt, completion int) llmtest.Event {
	return llmtest.Event{Chunk: &llm.Chunk{ID: "id-" + model, Model: model, Choices: []llm.ChunkChoice{},
		Usage: &llm.Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}}}
}

// answers streams "Hello world", a stop and a usage chunk.
func answers(req *llm.Request) llmtest.Script {
	m := req.Model
	return llmtest.Script{Events: []llmtest.Event{
		chunk(m, llm.Delta{Role: llm.RoleAssistant, Content: "Hello"}, ""), chunk(m, llm.Delta{Content: " world"}, ""),
		chunk(m, llm.Delta{}, llm.FinishStop), usageEvent(m, 10, 2),
	}}
}

// fails at once with a retryable 500.
func fails(*llm.Request) llmtest.Script {
	return llmtest.Script{Err: &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "500 from upstream"}}
}

// hangs never sends a first token (until its context ends).
func hangs(*llm.Request) llmtest.Script {
	return llmtest.Script{Events: []llmtest.Event{{Gate: make(chan struct{})}}}
}

// breaks sends "The river runs" and then fails, with no usage.
func breaks(req *llm.Request) llmtest.Script {
	return llmtest.Script{Events: []llmtest.Event{
		chunk(req.Model, llm.Delta{Role: llm.RoleAssistant, Content: "The river"}, ""), chunk(req.Model, llm.Delta{Content: " runs"}, ""),
		{Err: &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "connection reset mid-stream"}},
	}}
}

// continues a prefill with " north.", else answers.
func continues(req *llm.Request) llmtest.Script {
	if req.Messages[len(req.Messages)-1].Role != llm.RoleAssistant {
		return answers(req)
	}
	m := req.Model
	return llmtest.Script{Events: []llmtest.Event{
		chunk(m, llm.Delta{Role: llm.RoleAssistant, Content: " north."}, llm.FinishStop), usageEvent(m, 20, 3),
	}}
}

// callsTools streams text, a refusal and a tool call in pieces.
func callsTools(req *llm.Request) llmtest.Script {
	m := req.Model
	return llmtest.Script{Events: []llmtest.Event{
		chunk(m, llm.Delta{Role: llm.RoleAssistant, Content: "Let me look."}, ""),
		chunk(m, llm.Delta{Refusal: "Not the secret part."}, ""),
		chunk(m, llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, ID: "call_1", Type: "function", Name: "lookup", Arguments: `{"q":`}}}, ""),
		chunk(m, llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, Arguments: `"tides"}`}}}, ""),
		chunk(m, llm.Delta{}, llm.FinishToolCalls), usageEvent(m, 10, 9),
	}}
}

// upstream answers each deployment's model as by says, answers by default.
func upstream(by map[string]behaviour) *llmtest.Provider {
	return &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		if b := by[req.Model]; b != nil {
			return b(req)
		}
		return answers(req)
	}}
}

// recorded builds a gateway on recConfig over p, keeping answers or not,
// and returns the function that closes its recorder and returns the
// records.
func recorded(t *testing.T, p llm.ChatProvider, keep bool) (*Gateway, func() []*record.Record) {
	t.Helper()
	cost.Warm()
	cfg, err := config.Parse([]byte(recConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var recs []*record.Record
	rc := record.NewRecorder(16, record.SinkFunc(func(r *record.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }))
	g, err := New(cfg, Options{Recorder: rc, Providers: map[string]llm.ChatProvider{"p": p}, KeepAnswers: keep,
		Classify: func(req *llm.Request) route.Features {
			return route.Features{Category: llm.CategoryChat, Confidence: 0.8, PromptTokens: 12, Needs: route.NeedsOf(req)}
		}})
	if err != nil {
		t.Fatal(err)
	}
	return g, func() []*record.Record {
		rc.Close(context.Background())
		mu.Lock()
		defer mu.Unlock()
		return recs
	}
}

const testTraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

// callerCtx is a request from key "bot" of tenant "acme" with a trace
// and a session.
func callerCtx() context.Context {
	ctx := WithCaller(llm.WithRequestID(context.Background(), "req_test"), Caller{Name: "bot", Tenant: "acme", Allowed: route.AllowAll})
	return WithSession(WithTraceParent(ctx, testTraceParent), "conv-42")
}

// trailOf renders a record's trail: deployment, tier, outcome, error kind,
// h for a hedge, r for a resumed call, $ for a billed one.
func trailOf(r *record.Record) string {
	var parts []string
	for _, a := range r.Trail {
		s := fmt.Sprintf("%s%d:%s", a.Deployment, a.Tier, a.Outcome)
		if a.ErrorKind != "" {
			s += "/" + string(a.ErrorKind)
		}
		if a.Hedge {
			s += ":h"
		}
		if a.Resumed {
			s += ":r"
		}
		if a.CostUSD > 0 {
			s += ":$"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// onlyRecord checks there is exactly one record, with the fields every
// routed chat record shares, and returns it.
func onlyRecord(t *testing.T, recs []*record.Record, req *llm.Request, keep bool) *record.Record {
	t.Helper()
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	r := recs[0]
	if r.Tenant != "acme" || r.Caller != "bot" || r.TraceParent != testTraceParent || r.RequestID != "req_test" || r.Session != "conv-42" {
		t.Errorf("who: tenant %q caller %q traceparent %q id %q session %q", r.Tenant, r.Caller, r.TraceParent, r.RequestID, r.Session)
	}
	if r.Plan == nil || r.Plan.Route != req.Model {
		t.Errorf("plan %+v", r.Plan)
	}
	if r.Attempts != len(r.Trail) {
		t.Errorf("attempts %d, trail of %d", r.Attempts, len(r.Trail))
	}
	var billed float64
	for i, a := range r.Trail {
		hadToken := a.Outcome == store.OutcomeOK || a.Outcome == store.OutcomeCut
		if hadToken && a.TTFT <= 0 || a.Start.IsZero() || a.Latency <= 0 || (a.Outcome == store.OutcomeOK) != (a.ErrorKind == "") {
			t.Errorf("attempt %d: %+v", i, a)
		}
		billed += a.CostUSD
	}
	if diff := billed - r.CostUSD; diff > 1e-12 || diff < -1e-12 {
		t.Errorf("the trail bills %v, the record %v", billed, r.CostUSD)
	}
	if keep && r.Request != req || !keep && (r.Request != nil || r.Answer != nil) {
		t.Errorf("request kept %p (keep %v), want %p", r.Request, keep, req)
	}
	return r
}

// Every dispatch outcome is the request log's word for it.
func TestOutcomesAreTheStoreOutcomes(t *testing.T) {
	for d, s := range map[dispatch.Outcome]string{
		dispatch.OutcomeOK: store.OutcomeOK, dispatch.OutcomeError: store.OutcomeError, dispatch.OutcomeTimeout: store.OutcomeTimeout,
		dispatch.OutcomeCanceled: store.OutcomeCanceled, dispatch.OutcomeCut: store.OutcomeCut,
	} {
		if string(d) != s {
			t.Errorf("dispatch outcome %q, store %q", d, s)
		}
	}
}

// A complete chat's record: its trail (a failover when the first
// deployment 500s), its plan, the request and the answer after fence
// stripping — the very response the client got.
func TestRecordOfACompleteChat(t *testing.T) {
	fenced := func(req *llm.Request) llmtest.Script {
		return llmtest.Script{Events: []llmtest.Event{
			chunk(req.Model, llm.Delta{Role: llm.RoleAssistant, Content: "```json\n{\"a\":1}\n```"}, llm.FinishStop), usageEvent(req.Model, 10, 5),
		}}
	}
	for _, tt := range []struct {
		name  string
		by    map[string]behaviour
		keep  bool
		trail string
	}{
		{"complete", map[string]behaviour{"a": fenced}, true, "a1:ok:$"},
		{"failed over", map[string]behaviour{"a": fails, "b": fenced}, true, "a1:error/upstream b2:ok:$"},
		{"answers not kept", map[string]behaviour{"a": fenced}, false, "a1:ok:$"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, flush := recorded(t, upstream(tt.by), tt.keep)
			req := hello("r")
			req.ResponseFormat = &llm.ResponseFormat{Type: llm.FormatJSONObject}
			var served llm.Served
			resp, err := g.Chat(callerCtx(), req, nil, &served)
			if err != nil {
				t.Fatal(err)
			}
			r := onlyRecord(t, flush(), req, tt.keep)
			if trailOf(r) != tt.trail || r.Attempts != served.Attempts || r.Trail[len(r.Trail)-1].Usage.CompletionTokens != 5 {
				t.Errorf("trail %q (%+v), served %+v", trailOf(r), r.Trail, served)
			}
			if tt.keep && (r.Answer != resp || r.Answer.Choices[0].Message.Text() != `{"a":1}`) {
				t.Errorf("answer %+v, want the fence-stripped response %+v", r.Answer, resp)
			}
		})
	}
}

// readStream reads s to its end (or after n chunks, when n > 0, closing
// it early) and returns what the client got: the text and the error that
// ended it.
func readStream(s llm.Stream, n int) (string, error) {
	defer s.Close()
	var b strings.Builder
	for i := 0; n <= 0 || i < n; i++ {
		c, err := s.Next()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return b.String(), err
		}
		for _, ch := range c.Choices {
			b.WriteString(ch.Delta.Content)
		}
	}
	return b.String(), nil
}

// A streamed chat's record, for each way a stream goes: its trail, and
// the answer accumulated from exactly what the client was handed.
func TestRecordOfAStream(t *testing.T) {
	for _, tt := range []struct {
		name    string
		model   string
		by      map[string]behaviour
		read    int // chunks before the client closes; 0 reads to the end
		trail   string
		text    string
		failed  bool // the stream ended in an error
		status  int
		finish  llm.FinishReason
		resumed bool
	}{
		{"streamed", "r", nil, 0, "a1:ok:$", "Hello world", false, 200, llm.FinishStop, false},
		{"failed over", "r", map[string]behaviour{"a": fails}, 0, "a1:error/upstream b2:ok:$", "Hello world", false, 200, llm.FinishStop, false},
		{"hedge wins", "h", map[string]behaviour{"a": hangs}, 0, "a1:canceled/canceled:$ b2:ok:h:$", "Hello world", false, 200, llm.FinishStop, false},
		{"resumed", "r", map[string]behaviour{"a": breaks, "b": continues}, 0, "a1:cut/upstream:$ b2:ok:r:$", "The river runs north.", false, 200, llm.FinishStop, true},
		{"cut", "strict", map[string]behaviour{"a": breaks}, 0, "a1:cut/upstream:$", "The river runs", true, 502, "", false},
		{"client abandons", "r", nil, 1, "a1:canceled/canceled:$", "Hello", false, 499, "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := upstream(tt.by)
			g, flush := recorded(t, f, true)
			req := hello(tt.model)
			var served llm.Served
			s, err := g.Stream(callerCtx(), req, nil, &served)
			if err != nil {
				t.Fatal(err)
			}
			text, err := readStream(s, tt.read)
			if (err != nil) != tt.failed || text != tt.text {
				t.Errorf("client got %q, %v", text, err)
			}
			llmtest.WaitFor(t, "upstream streams closed", func() bool { return f.Active() == 0 })
			r := onlyRecord(t, flush(), req, true)
			if trailOf(r) != tt.trail || r.Attempts != served.Attempts || r.Status != tt.status || r.StreamFailed != tt.failed {
				t.Errorf("trail %q status %d failed %v, served %+v", trailOf(r), r.Status, r.StreamFailed, served)
			}
			if r.Answer == nil || r.Answer.Choices[0].Message.Text() != text || r.Answer.Choices[0].FinishReason != tt.finish {
				t.Fatalf("answer %+v, want the client's %q", r.Answer, text)
			}
			if (r.ResumedFrom == "a") != tt.resumed {
				t.Errorf("resumed from %q", r.ResumedFrom)
			}
		})
	}
}

// A streamed answer keeps the tool calls, the refusal and the finish
// reason the client was handed, assembled from their pieces.
func TestStreamedAnswerKeepsToolCallsAndRefusal(t *testing.T) {
	g, flush := recorded(t, upstream(map[string]behaviour{"a": callsTools}), true)
	req := hello("r")
	s, err := g.Stream(callerCtx(), req, nil, &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readStream(s, 0); err != nil {
		t.Fatal(err)
	}
	r := onlyRecord(t, flush(), req, true)
	ch := r.Answer.Choices[0]
	calls := ch.Message.ToolCalls()
	if ch.Message.Text() != "Let me look." || ch.Message.Refusal() != "Not the secret part." || ch.FinishReason != llm.FinishToolCalls ||
		len(calls) != 1 || calls[0].ID != "call_1" || calls[0].Name != "lookup" || calls[0].Arguments != `{"q":"tides"}` {
		t.Errorf("answer %+v, tool calls %+v", ch, calls)
	}
	if r.Answer.Usage == nil || r.Answer.Usage.CompletionTokens != 9 || r.Usage.CompletionTokens != 9 {
		t.Errorf("usage %+v / %+v", r.Answer.Usage, r.Usage)
	}
}

// Without KeepAnswers a stream's record has no request and no answer, and
// its usage is still estimated from the text when the upstream sent none.
func TestStreamWithoutKeptAnswers(t *testing.T) {
	g, flush := recorded(t, upstream(map[string]behaviour{"a": breaks}), false)
	req := hello("strict")
	s, err := g.Stream(callerCtx(), req, nil, &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	readStream(s, 0)
	r := onlyRecord(t, flush(), req, false)
	if !r.Usage.Estimated || r.Usage.CompletionTokens != cost.Tokens("The river runs") || r.Trail[0].Usage != r.Usage {
		t.Errorf("usage %+v, trail %+v", r.Usage, r.Trail)
	}
}

// A request that fails before any deployment answers is recorded with the
// attempts made; one refused by routing has its tenant and no plan.
func TestRecordOfAFailedChat(t *testing.T) {
	g, flush := recorded(t, upstream(map[string]behaviour{"a": fails, "b": fails}), true)
	req := hello("r")
	if _, err := g.Chat(callerCtx(), req, nil, &llm.Served{}); err == nil {
		t.Fatal("no error")
	}
	r := onlyRecord(t, flush(), req, true)
	if trailOf(r) != "a1:error/upstream b2:error/upstream" || r.Status != 502 || r.Answer != nil || len(r.Billed) != 0 {
		t.Errorf("trail %q status %d answer %v billed %v", trailOf(r), r.Status, r.Answer, r.Billed)
	}

	g, flush = recorded(t, upstream(nil), true)
	if _, err := g.Chat(callerCtx(), hello("no-such-model"), nil, &llm.Served{}); err == nil {
		t.Fatal("no error")
	}
	recs := flush()
	if len(recs) != 1 || recs[0].Status != 404 || recs[0].Tenant != "acme" || recs[0].Plan != nil || recs[0].Attempts != 0 || recs[0].Trail != nil {
		t.Errorf("records %+v", recs)
	}
}

// A dry run's record has the plan it answered, the tenant and the trace,
// and no attempt.
func TestRecordOfADryRun(t *testing.T) {
	g, flush := recorded(t, upstream(nil), true)
	plan, err := g.Route(callerCtx(), hello("r"), nil)
	if err != nil {
		t.Fatal(err)
	}
	recs := flush()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Endpoint != "route" || r.Plan != plan || r.Tenant != "acme" || r.TraceParent != testTraceParent || r.Attempts != 0 || r.Trail != nil || r.Request != nil {
		t.Errorf("record %+v", r)
	}
}

// failingEmbedder embeds, except for the model it fails.
type failingEmbedder struct {
	*embedFake
	fail string
}

func (f *failingEmbedder) Embed(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
	if req.Model == f.fail {
		return nil, &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "embeddings down"}
	}
	return f.embedFake.Embed(ctx, req)
}

// An embeddings record has the tenant, the trace and one attempt per
// candidate called, the one that answered with its usage.
func TestRecordOfEmbeddings(t *testing.T) {
	p := &failingEmbedder{embedFake: &embedFake{Provider: upstream(nil)}, fail: "a"}
	g, flush := recorded(t, p, true)
	if _, err := g.Embed(callerCtx(), &llm.EmbeddingRequest{Model: "r", Input: []string{"tide tables"}}, &llm.Served{}); err != nil {
		t.Fatal(err)
	}
	recs := flush()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Endpoint != "embeddings" || r.Tenant != "acme" || r.TraceParent != testTraceParent || r.Plan != nil || r.Request != nil ||
		trailOf(r) != "a0:error/upstream b0:ok:$" || r.Attempts != 2 || r.Trail[1].Usage.PromptTokens != 4 || r.Trail[1].CostUSD != r.CostUSD {
		t.Errorf("record %+v, trail %q", r, trailOf(r))
	}
}
