package tracing

import (
	"bytes"
	"context"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/record/tracing/tracingtest"
	"switchyard/route"
	"switchyard/store"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func dep(name string) route.Candidate {
	return route.Candidate{Deployment: &route.Deployment{Deployment: llm.Deployment{Name: name}}}
}

// failedOver is a chat request that failed on a (a deployment with no
// known price), was hedged on b, which answered from tier 1, with c in a
// second tier and d rejected.
func failedOver() *record.Record {
	return &record.Record{
		RequestID: "req_1", Caller: "ci-bot", Tenant: "acme", Start: t0, Endpoint: "chat", Route: "auto",
		Deployment: "b", Provider: "openai", Model: "gpt-b", Stream: true, Status: 200, Attempts: 2, Tier: 1,
		Category: llm.Category("code"), Confidence: 0.93, Latency: 900 * time.Millisecond, TTFT: 250 * time.Millisecond,
		Usage: llm.Usage{PromptTokens: 120, CompletionTokens: 30}, CostUSD: 0.0042, ServedCostUSD: 0.0042, CostUnknown: true,
		Plan: &route.Plan{Route: "auto",
			Tiers: []route.Tier{{Candidates: []route.Candidate{dep("a"), dep("b")}}, {Candidates: []route.Candidate{dep("c")}}},
			Explanation: route.Explanation{Policy: "categories.code", Strategy: config.StrategyOrdered, Scorer: "static",
				CategorySource: "classifier", Rules: []string{"code-to-strong"},
				Rejected: []route.Rejection{{Deployment: "d", Reason: route.ReasonCost}}}},
		Trail: []record.Attempt{
			{Deployment: "a", Tier: 1, Outcome: store.OutcomeError, ErrorKind: llm.KindUpstream, Start: t0.Add(10 * time.Millisecond),
				Latency: 100 * time.Millisecond, CostUnknown: true},
			{Deployment: "b", Tier: 1, Outcome: store.OutcomeOK, Start: t0.Add(120 * time.Millisecond), Latency: 780 * time.Millisecond,
				TTFT: 130 * time.Millisecond, Usage: llm.Usage{PromptTokens: 120, CompletionTokens: 30}, CostUSD: 0.0042, Hedge: true},
		},
	}
}

// export runs recs through a sink to c and returns the spans c got once
// the sink is shut down (which must flush them).
func export(t *testing.T, c *tracingtest.Collector, opts Options, recs ...*record.Record) []*tracepb.Span {
	t.Helper()
	opts.Endpoint = c.URL
	opts.BatchTimeout = time.Hour // only Shutdown sends
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		s.Consume(r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	return c.Spans()
}

func TestSpanTree(t *testing.T) {
	c := tracingtest.New(t)
	spans := export(t, c, Options{SampleRatio: 1, ServiceName: "sw-test", Headers: map[string]string{"X-Tenant": "ops"}}, failedOver())
	if len(spans) != 3 {
		t.Fatalf("got %d spans, want 3 (the request and two attempts)", len(spans))
	}
	req := spans[len(spans)-1] // the parent ends last
	if req.GetName() != "chat auto" || req.GetKind() != tracepb.Span_SPAN_KIND_SERVER || len(req.GetParentSpanId()) != 0 {
		t.Fatalf("request span: name %q kind %v parent %x; want a server root span \"chat auto\"", req.GetName(), req.GetKind(), req.GetParentSpanId())
	}
	if req.GetStartTimeUnixNano() != uint64(t0.UnixNano()) || req.GetEndTimeUnixNano() != uint64(t0.Add(900*time.Millisecond).UnixNano()) {
		t.Errorf("request span runs %d..%d, want the record's start and end", req.GetStartTimeUnixNano(), req.GetEndTimeUnixNano())
	}
	want := map[string]any{
		keyRequestID: "req_1", keyEndpoint: "chat", keyRoute: "auto", keyCategory: "code", keyConfidence: 0.93,
		keyDeployment: "b", keyProvider: "openai", keyModel: "gpt-b", keyTier: int64(1), keyStatus: int64(200),
		keyStream: true, keyAttempts: int64(2), keyInputTokens: int64(120), keyOutputTokens: int64(30),
		keyCost: 0.0042, keyServedCost: 0.0042, keyCostUnknown: true, keyTTFT: 250.0, keyTenant: "acme", keyKeyName: "ci-bot",
		keyPolicy: "categories.code", keyStrategy: "ordered", keyScorer: "static", keyCatSource: "classifier",
		keyRules: []string{"code-to-strong"}, keyCandidates: "a,b;c", keyRejected: "d:max_cost",
	}
	if got := tracingtest.Attrs(req.GetAttributes()); !reflect.DeepEqual(got, want) {
		t.Errorf("request attributes:\n got %v\nwant %v", got, want)
	}
	if req.GetStatus().GetCode() != tracepb.Status_STATUS_CODE_UNSET {
		t.Errorf("request status = %v, want unset for a 200", req.GetStatus())
	}

	a, b := spans[0], spans[1]
	for i, sp := range []*tracepb.Span{a, b} {
		if !bytes.Equal(sp.GetTraceId(), req.GetTraceId()) || !bytes.Equal(sp.GetParentSpanId(), req.GetSpanId()) {
			t.Errorf("attempt %d: trace %x parent %x; want trace %x parent %x", i, sp.GetTraceId(), sp.GetParentSpanId(), req.GetTraceId(), req.GetSpanId())
		}
		if sp.GetKind() != tracepb.Span_SPAN_KIND_CLIENT {
			t.Errorf("attempt %d kind = %v, want client", i, sp.GetKind())
		}
	}
	if a.GetName() != "attempt a" || a.GetStatus().GetCode() != tracepb.Status_STATUS_CODE_ERROR || a.GetStatus().GetMessage() != "error: upstream" {
		t.Errorf("first attempt: %q status %v; want \"attempt a\" with error status", a.GetName(), a.GetStatus())
	}
	if a.GetStartTimeUnixNano() != uint64(t0.Add(10*time.Millisecond).UnixNano()) || a.GetEndTimeUnixNano() != uint64(t0.Add(110*time.Millisecond).UnixNano()) {
		t.Errorf("first attempt runs %d..%d, want 10ms..110ms after the start", a.GetStartTimeUnixNano(), a.GetEndTimeUnixNano())
	}
	wantA := map[string]any{keyDeployment: "a", keyTier: int64(1), keyOutcome: "error", keyErrorKind: "upstream",
		keyInputTokens: int64(0), keyOutputTokens: int64(0), keyCost: 0.0, keyCostUnknown: true, keyHedge: false, keyResumed: false}
	if got := tracingtest.Attrs(a.GetAttributes()); !reflect.DeepEqual(got, wantA) {
		t.Errorf("first attempt attributes:\n got %v\nwant %v", got, wantA)
	}
	gotB := tracingtest.Attrs(b.GetAttributes())
	if b.GetName() != "attempt b" || gotB[keyHedge] != true || gotB[keyOutcome] != "ok" || gotB[keyTTFT] != 130.0 || gotB[keyOutputTokens] != int64(30) {
		t.Errorf("second attempt %q: %v; want a hedge on b that answered", b.GetName(), gotB)
	}
	if b.GetStatus().GetCode() != tracepb.Status_STATUS_CODE_UNSET {
		t.Errorf("second attempt status = %v, want unset", b.GetStatus())
	}

	if paths, headers := c.Paths(), c.Headers(); len(paths) == 0 || paths[0] != "/v1/traces" || headers[0].Get("X-Tenant") != "ops" {
		t.Errorf("export to %v with headers %v; want /v1/traces with X-Tenant", paths, headers)
	}
	if res := c.Resources(); res[0]["service.name"] != "sw-test" {
		t.Errorf("resource = %v, want service.name sw-test", res[0])
	}
}

// TestFailedRequestStatus: a 5xx and a stream cut after its first byte
// are errors; a 4xx is not.
func TestFailedRequestStatus(t *testing.T) {
	c := tracingtest.New(t)
	recs := []*record.Record{
		{RequestID: "r502", Start: t0, Endpoint: "chat", Route: "auto", Status: 502, ErrorKind: llm.KindUpstream},
		{RequestID: "rcut", Start: t0, Endpoint: "chat", Route: "auto", Status: 200, StreamFailed: true, ErrorKind: llm.KindTimeout},
		{RequestID: "r422", Start: t0, Endpoint: "chat", Route: "auto", Status: 422, ErrorKind: llm.KindInvalidRequest},
	}
	want := map[string]tracepb.Status_StatusCode{
		"r502": tracepb.Status_STATUS_CODE_ERROR, "rcut": tracepb.Status_STATUS_CODE_ERROR, "r422": tracepb.Status_STATUS_CODE_UNSET,
	}
	spans := export(t, c, Options{SampleRatio: 1}, recs...)
	if len(spans) != 3 {
		t.Fatalf("got %d spans, want 3", len(spans))
	}
	for _, sp := range spans {
		id := tracingtest.Attrs(sp.GetAttributes())[keyRequestID].(string)
		if got := sp.GetStatus().GetCode(); got != want[id] {
			t.Errorf("%s: status %v, want %v", id, got, want[id])
		}
	}
}

// TestTraceParentContinued: a valid traceparent makes the request span a
// child of the caller's span, in its trace, and its sampled flag decides
// even when new traces are not sampled; an invalid one starts a new trace.
func TestTraceParentContinued(t *testing.T) {
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	withParent := func(id, tp string) *record.Record {
		r := failedOver()
		r.RequestID, r.TraceParent = id, tp
		return r
	}
	c := tracingtest.New(t)
	spans := export(t, c, Options{SampleRatio: 0},
		withParent("sampled", "00-"+traceID+"-"+parentID+"-01"),
		withParent("not-sampled", "00-"+"5bf92f3577b34da6a3ce929d0e0e4736"+"-"+parentID+"-00"),
		withParent("none", ""),
	)
	if len(spans) != 3 {
		t.Fatalf("got %d spans, want the 3 of the sampled caller's trace only", len(spans))
	}
	for _, sp := range spans {
		if tracingtest.HexID(sp.GetTraceId()) != traceID {
			t.Errorf("span %q in trace %x, want the caller's %s", sp.GetName(), sp.GetTraceId(), traceID)
		}
		if sp.GetName() == "chat auto" && tracingtest.HexID(sp.GetParentSpanId()) != parentID {
			t.Errorf("request span's parent = %x, want the caller's span %s", sp.GetParentSpanId(), parentID)
		}
	}

	c = tracingtest.New(t)
	spans = export(t, c, Options{SampleRatio: 1}, withParent("garbage", "00-not-a-trace-01"),
		withParent("zero", "00-00000000000000000000000000000000-"+parentID+"-01"))
	roots := 0
	for _, sp := range spans {
		if tracingtest.HexID(sp.GetTraceId()) == traceID || tracingtest.HexID(sp.GetTraceId()) == strings.Repeat("0", 32) {
			t.Errorf("span %q joined trace %x from an invalid traceparent", sp.GetName(), sp.GetTraceId())
		}
		if len(sp.GetParentSpanId()) == 0 {
			roots++
		}
	}
	if len(spans) != 6 || roots != 2 {
		t.Errorf("got %d spans with %d roots, want 6 with 2: new traces", len(spans), roots)
	}
}

// TestSamplerRatio: with ratio 0 and no caller's trace, nothing is sent.
func TestSamplerRatio(t *testing.T) {
	c := tracingtest.New(t)
	if spans := export(t, c, Options{SampleRatio: 0}, failedOver(), failedOver()); len(spans) != 0 {
		t.Errorf("got %d spans at ratio 0, want none", len(spans))
	}
}

// TestNoSecretsInSpans plants secrets in the request's messages, the
// answer and the export headers, and finds none of them in what reaches
// the collector's bodies.
func TestNoSecretsInSpans(t *testing.T) {
	r := failedOver()
	r.Request = &llm.Request{Model: "auto", Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: []llm.Part{{Type: llm.PartText, Text: "key sk-SECRET-system-prompt"}}},
		{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "mail me at secret.person@example.com"}}},
	}}
	r.Answer = &llm.Response{ID: "chatcmpl-1", Model: "gpt-b", Choices: []llm.Choice{
		{Message: llm.Message{Role: llm.RoleAssistant, Content: []llm.Part{{Type: llm.PartText, Text: "SECRET-ANSWER-TEXT"}}}},
	}}
	c := tracingtest.New(t)
	const token = "Bearer otel-SECRET-token"
	spans := export(t, c, Options{SampleRatio: 1, Headers: map[string]string{"Authorization": token}}, r)
	if len(spans) != 3 {
		t.Fatalf("got %d spans, want 3", len(spans))
	}
	for _, body := range c.Bodies() {
		for _, secret := range []string{"sk-SECRET", "secret.person@example.com", "SECRET-ANSWER", "otel-SECRET"} {
			if bytes.Contains(body, []byte(secret)) {
				t.Errorf("an export carries %q", secret)
			}
		}
	}
	if got := c.Headers()[0].Get("Authorization"); got != token {
		t.Errorf("Authorization header = %q, want the configured one", got)
	}
}

// TestExportFailureLogged: a collector that refuses exports costs a
// warning line, without the headers' values.
func TestExportFailureLogged(t *testing.T) {
	c := tracingtest.New(t)
	c.Refuse(true)
	var logs bytes.Buffer
	s, err := New(Options{Endpoint: c.URL, SampleRatio: 1, Headers: map[string]string{"Authorization": "Bearer otel-SECRET"},
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), BatchTimeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	s.Consume(failedOver())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.Shutdown(ctx)
	out := logs.String()
	if !strings.Contains(out, "traces: export failed") || strings.Contains(out, "otel-SECRET") {
		t.Errorf("logs = %q, want one export failure without the header", out)
	}
}

func TestTracesURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:4318":            "http://127.0.0.1:4318/v1/traces",
		"http://127.0.0.1:4318/":           "http://127.0.0.1:4318/v1/traces",
		"https://otel.example/custom/v1/t": "https://otel.example/custom/v1/t",
	} {
		if got, err := tracesURL(in); err != nil || got != want {
			t.Errorf("tracesURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "otel:4318", "grpc://otel:4317", "http://"} {
		if _, err := tracesURL(bad); err == nil {
			t.Errorf("tracesURL(%q) accepted", bad)
		}
	}
}
