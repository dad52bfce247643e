package record

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

// slogLine returns the line slog's handler (JSON if json, else text),
// made as the router makes its logger, writes for r's line at time t.
func slogLine(t *testing.T, tm time.Time, r *Record, json bool) string {
	t.Helper()
	var buf bytes.Buffer
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	var h slog.Handler = slog.NewTextHandler(&buf, opts)
	if json {
		h = slog.NewJSONHandler(&buf, opts)
	}
	level, attrs := lineAttrs(nil, r)
	sr := slog.NewRecord(tm, level, lineMessage, 0)
	sr.AddAttrs(attrs...)
	if err := h.Handle(context.Background(), sr); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// ourLine returns the line appendLine writes for r at time tm.
func ourLine(tm time.Time, r *Record, json bool) string {
	level, attrs := lineAttrs(nil, r)
	return string(appendLine(nil, tm, level, lineMessage, attrs, json))
}

// lineRecords are records whose lines exercise every value kind and the
// quoting and escaping rules of both formats.
func lineRecords() []*Record {
	return []*Record{
		{RequestID: "req_1", Endpoint: "chat", Route: "auto", Deployment: "gpt-4o-mini", Status: 200, Attempts: 1,
			Usage: llm.Usage{PromptTokens: 210, CompletionTokens: 12}, CostUSD: 3.9e-05, ServedCostUSD: 3.9e-05,
			Latency: 1234567 * time.Nanosecond, TTFT: 987 * time.Microsecond, Caller: "team-a"},
		{RequestID: "", Endpoint: "embeddings", Status: 502, ErrorKind: llm.KindUpstream, ErrorCode: "content_filter",
			StreamFailed: true, Stream: true, Budgets: []string{"acme daily", "x=y"}, CostUSD: 1e21, ServedCostUSD: 1e-7,
			CostUnknown: true, Usage: llm.Usage{Estimated: true}, Billed: []Billed{{}, {}}, Latency: -time.Second},
		{RequestID: "a \"quoted\" id\\", Route: "naïve", Deployment: "tab\there", Caller: "line\nbreak\r\x00\x1f\x7f",
			Endpoint: "\u2028\u2029", ErrorKind: "<&>", Status: 418, CostUSD: math.NaN(), ServedCostUSD: math.Inf(1)},
		{RequestID: "bad\xffutf8", Route: "\u00a0nbsp", Deployment: "ok-é", Endpoint: "\u200bzw", Status: 200,
			CostUSD: math.Inf(-1), ServedCostUSD: math.Copysign(0, -1), Latency: 90 * time.Minute, TTFT: 1},
		{RequestID: "\b\f", Route: "=", Deployment: " ", Endpoint: "日本語", Status: 200, CostUSD: 123456789.125,
			ServedCostUSD: 0.1 + 0.2, ErrorCode: "x", Latency: time.Duration(math.MaxInt64)},
	}
}

// TestLineMatchesSlog: appendLine writes, byte for byte, the line slog's
// text and JSON handlers write for a record's attributes.
func TestLineMatchesSlog(t *testing.T) {
	times := []time.Time{
		time.Date(2026, 12, 5, 3, 56, 14, 123456789, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", -(5*3600+30*60))),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("y", 3600)),
		time.Now(),
	}
	for _, json := range []bool{false, true} {
		for i, r := range lineRecords() {
			for _, tm := range times {
				if got, want := ourLine(tm, r, json), slogLine(t, tm, r, json); got != want {
					t.Errorf("json=%v record %d at %v:\n got %q\nwant %q", json, i, tm, got, want)
				}
			}
		}
	}
}

// FuzzLineMatchesSlog holds appendLine to slog's handlers for any
// strings, numbers and times.
func FuzzLineMatchesSlog(f *testing.F) {
	for _, r := range lineRecords() {
		f.Add(r.RequestID, r.Route, string(r.ErrorKind), r.Caller, r.CostUSD, r.ServedCostUSD, int64(r.Latency), int64(r.Status), int64(1733370974123456789))
	}
	f.Fuzz(func(t *testing.T, id, route, kind, caller string, cost, served float64, latency, status, unixNano int64) {
		r := &Record{RequestID: id, Route: route, ErrorKind: llm.ErrorKind(kind), Caller: caller, Deployment: kind + id,
			CostUSD: cost, ServedCostUSD: served, Latency: time.Duration(latency), TTFT: time.Duration(-latency),
			Status: int(status), Attempts: int(status >> 8), Budgets: []string{route, caller}, ErrorCode: caller}
		tm := time.Unix(0, unixNano).In(time.FixedZone("", int(status%50000)))
		for _, json := range []bool{false, true} {
			if got, want := ourLine(tm, r, json), slogLine(t, tm, r, json); got != want {
				t.Fatalf("json=%v:\n got %q\nwant %q", json, got, want)
			}
		}
	})
}

// writes is a writer that keeps each Write apart.
type writes struct{ got []string }

func (w *writes) Write(p []byte) (int, error) { w.got = append(w.got, string(p)); return len(p), nil }

// TestLineSinkWritesPerBatch: LineSink writes nothing until the recorder
// ends a batch, then the batch's lines in one Write — the lines slog's
// handler writes; and it writes at once past lineFlushAt bytes.
func TestLineSinkWritesPerBatch(t *testing.T) {
	tm := time.Date(2026, 12, 5, 3, 56, 14, 123456789, time.UTC)
	for _, json := range []bool{false, true} {
		w := &writes{}
		s := newLineSink(w, json, func() time.Time { return tm })
		r := NewRecorderWith(RecorderOptions{Queue: 64, Interval: time.Hour}, s)
		var want strings.Builder
		for _, rec := range lineRecords() {
			r.Add(rec)
			want.WriteString(slogLine(t, tm, rec, json))
		}
		if err := r.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
		if len(w.got) != 1 || w.got[0] != want.String() {
			t.Errorf("json=%v: writes after a batch = %q, want one of %q", json, w.got, want.String())
		}
		if err := r.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		if len(w.got) != 1 {
			t.Errorf("json=%v: %d writes after an empty batch, want none", json, len(w.got)-1)
		}
	}
	w := &writes{}
	s := newLineSink(w, false, time.Now)
	big := &Record{RequestID: strings.Repeat("x", lineFlushAt)}
	s.Consume(big)
	if len(w.got) != 1 || !strings.Contains(w.got[0], big.RequestID) {
		t.Errorf("a line past %d bytes was held (%d writes)", lineFlushAt, len(w.got))
	}
}

// BenchmarkLogLine compares the request log line through slog's text
// handler (LogSink) with LineSink, both to a writer that discards.
func BenchmarkLogLine(b *testing.B) {
	r := lineRecords()[0]
	b.Run("slog", func(b *testing.B) {
		s := LogSink(slog.New(slog.NewTextHandler(discard{}, &slog.HandlerOptions{Level: slog.LevelInfo})))
		b.ReportAllocs()
		for b.Loop() {
			s.Consume(r)
		}
	})
	b.Run("line", func(b *testing.B) {
		s := LineSink(discard{}, false)
		b.ReportAllocs()
		for b.Loop() {
			s.Consume(r)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
