package quality

import (
	"math"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/llm"
	"switchyard/record"
	"switchyard/store"
)

func newTestSink(t *testing.T) (*Sink, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	return NewSink(SinkOptions{Registerer: reg, Routes: []string{"auto"}, Deployments: []string{"d1", "d2"}}), reg
}

func chatRecord(route, deployment string, cat llm.Category, req *llm.Request, ans *llm.Response) *record.Record {
	return &record.Record{Endpoint: "chat", Status: 200, Route: route, Deployment: deployment, Category: cat, Request: req, Answer: ans}
}

// signalCount returns switchyard_quality_signals_total for the labels.
func signalCount(t *testing.T, reg *prometheus.Registry, route, cat, dep, signal string) float64 {
	t.Helper()
	return gathered(t, reg, "switchyard_quality_signals_total", map[string]string{"route": route, "category": cat, "deployment": dep, "signal": signal})
}

// gathered returns the value of the counter name with exactly labels, 0
// when there is none.
func gathered(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for _, lp := range m.GetLabel() {
				if labels[lp.GetName()] != lp.GetValue() {
					continue metrics
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

func TestSinkSetsSignals(t *testing.T) {
	s, reg := newTestSink(t)
	notJSON := chatRecord("auto", "d1", llm.CategoryExtraction, jsonMode(), answer("Here you go: a=1", llm.FinishStop))
	s.Consume(notJSON)
	if notJSON.Signals == nil || !notJSON.Signals.FormatChecked || notJSON.Signals.FormatOK {
		t.Fatalf("signals %+v, want a format failure", notJSON.Signals)
	}
	s.Consume(chatRecord("auto", "d1", llm.CategoryExtraction, jsonMode(), answer(`{"a":1}`, llm.FinishStop)))
	for signal, want := range map[string]float64{SignalFormatChecked: 2, SignalFormatFailed: 1, SignalRefusal: 0} {
		if got := signalCount(t, reg, "auto", "extraction", "d1", signal); got != want {
			t.Errorf("%s = %v, want %v", signal, got, want)
		}
	}
	if got := gathered(t, reg, "switchyard_quality_checked_total", map[string]string{"route": "auto", "category": "extraction", "deployment": "d1"}); got != 2 {
		t.Errorf("checked = %v, want 2", got)
	}
}

func TestSinkSkipsAndFailures(t *testing.T) {
	s, reg := newTestSink(t)
	embed := &record.Record{Endpoint: "embeddings", Status: 200}
	kept := chatRecord("auto", "d1", llm.CategoryChat, nil, nil) // succeeded, answer not kept
	dry := &record.Record{Endpoint: "route", Status: 200}
	for _, r := range []*record.Record{embed, kept, dry} {
		s.Consume(r)
		if r.Signals != nil {
			t.Errorf("%s record got signals %+v", r.Endpoint, r.Signals)
		}
	}
	filtered := &record.Record{Endpoint: "chat", Status: 400, ErrorKind: llm.KindInvalidRequest, ErrorCode: llm.CodeContentFilter, Route: "auto", Deployment: "d2"}
	s.Consume(filtered)
	if filtered.Signals == nil || *filtered.Signals != (store.Signals{ContentFilter: true}) {
		t.Fatalf("content-filtered request: %+v", filtered.Signals)
	}
	cut := &record.Record{Endpoint: "chat", Status: 200, StreamFailed: true, ErrorKind: llm.KindUpstream, Route: "auto", Deployment: "d2",
		Request: jsonMode(), Answer: answer(`{"a":`, "")}
	s.Consume(cut)
	if cut.Signals == nil || *cut.Signals != (store.Signals{AnswerChars: 5}) {
		t.Fatalf("cut stream: %+v", cut.Signals)
	}
	if got := signalCount(t, reg, "auto", "none", "d2", SignalContentFilter); got != 1 {
		t.Errorf("content_filter = %v, want 1", got)
	}
	if got := gathered(t, reg, "switchyard_quality_checked_total", map[string]string{"route": "auto", "category": "none", "deployment": "d2"}); got != 2 {
		t.Errorf("checked = %v, want 2", got)
	}
}

// Label values stay within the configured names and the fixed categories.
func TestSinkLabelsBounded(t *testing.T) {
	s, reg := newTestSink(t)
	s.Consume(chatRecord("user-typed-route", "rogue", "made-up", nil, answer("", llm.FinishStop)))
	s.Consume(chatRecord("", "", "", nil, answer("", llm.FinishStop)))
	if got := signalCount(t, reg, "other", "other", "other", SignalEmpty); got != 1 {
		t.Errorf("unknown values: empty = %v, want 1 under \"other\"", got)
	}
	if got := signalCount(t, reg, "none", "none", "none", SignalEmpty); got != 1 {
		t.Errorf("empty values: empty = %v, want 1 under \"none\"", got)
	}
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if strings.Contains(lp.GetValue(), "rogue") || strings.Contains(lp.GetValue(), "user-typed") {
					t.Errorf("%s has label %s=%q", mf.GetName(), lp.GetName(), lp.GetValue())
				}
			}
		}
	}
}

// The sink learns each deployment's usual length per category from normal
// answers only, and reports an answer's ratio to it once it has enough.
func TestSinkLengthRatio(t *testing.T) {
	s, reg := newTestSink(t)
	text := strings.Repeat("x", 100)
	for i := range MinLengthHistory {
		r := chatRecord("auto", "d1", llm.CategoryCode, &llm.Request{}, answer(text, llm.FinishStop))
		s.Consume(r)
		if r.Signals.LengthRatio != 0 {
			t.Fatalf("answer %d: ratio %v before enough history", i, r.Signals.LengthRatio)
		}
		// Not usual answers: none may move the usual length.
		for _, odd := range []*llm.Response{
			answer(strings.Repeat("y", 5000), llm.FinishLength),
			answer("I'm sorry, but I can't help with that.", llm.FinishStop),
			withCalls(strings.Repeat("z", 3000), call("now", `{}`)),
		} {
			s.Consume(chatRecord("auto", "d1", llm.CategoryCode, &llm.Request{}, odd))
		}
		failed := chatRecord("auto", "d1", llm.CategoryCode, &llm.Request{}, answer(strings.Repeat("w", 4000), ""))
		failed.Status, failed.ErrorKind = 502, llm.KindUpstream
		s.Consume(failed)
	}
	long := chatRecord("auto", "d1", llm.CategoryCode, &llm.Request{}, answer(strings.Repeat("x", 300), llm.FinishStop))
	s.Consume(long)
	if r := long.Signals.LengthRatio; math.Abs(r-3) > 1e-9 {
		t.Fatalf("ratio %v, want 3", r)
	}
	other := chatRecord("auto", "d2", llm.CategoryCode, &llm.Request{}, answer(text, llm.FinishStop))
	s.Consume(other)
	if other.Signals.LengthRatio != 0 {
		t.Fatalf("d2 borrowed d1's history: %v", other.Signals.LengthRatio)
	}
	h := testutil.CollectAndCount(reg, "switchyard_quality_length_ratio")
	if h != 1 {
		t.Fatalf("%d length-ratio series, want 1", h)
	}
}

// NewSink without a registerer exports nothing and still sets signals.
func TestSinkWithoutMetrics(t *testing.T) {
	s := NewSink(SinkOptions{})
	r := chatRecord("x", "y", "", nil, answer("", llm.FinishStop))
	s.Consume(r)
	if r.Signals == nil || !r.Signals.Empty {
		t.Fatalf("signals %+v", r.Signals)
	}
}
