package learn

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func user(text string) llm.Message { return llm.TextMessage(llm.RoleUser, text) }
func asst(text string) llm.Message { return llm.TextMessage(llm.RoleAssistant, text) }

func answerOf(m llm.Message) *llm.Response {
	return &llm.Response{Choices: []llm.Choice{{Message: m, FinishReason: llm.FinishStop}}}
}

// chat returns an answered chat of user u at t0+at, one second long,
// costing 0.01, whose answer is reply.
func chat(id, u string, at time.Duration, reply string, msgs ...llm.Message) *Observation {
	return &Observation{
		RequestID: id, Tenant: "acme", Endpoint: "chat", Start: t0.Add(at), Latency: time.Second,
		Status: 200, User: u, Messages: msgs, Answer: answerOf(asst(reply)), CostUSD: 0.01,
	}
}

// signal is a feedback row as the tests compare it.
type signal struct {
	id    string
	kind  store.FeedbackKind
	value float64
	by    string
	match string
	cost  float64
}

func run(d *detector, obs ...*Observation) []signal {
	var out []signal
	for _, o := range obs {
		for _, f := range d.observe(o, t0) {
			out = append(out, signal{f.RequestID, f.Kind, f.Value, f.Evidence.By, f.Evidence.Match, f.CostUSD})
		}
	}
	return out
}

func newTestDetector() *detector {
	return newDetector(DefaultWeights(), 2*time.Minute, 30*time.Minute, 0)
}

func TestImplicitLinks(t *testing.T) {
	q := user("What is Go?")
	sys := llm.TextMessage(llm.RoleSystem, "Be brief.")
	ans := "Go is a programming language."
	tests := []struct {
		name string
		obs  []*Observation
		want []signal
	}{
		{"retry within the window: same last message, normalized",
			[]*Observation{chat("a", "u1", 0, ans, q), chat("b", "u1", time.Minute, "…", sys, user("  what IS\tgo? "))},
			[]signal{{"a", store.KindRetry, -1, "b", "last_message", 0.01}}},
		{"retry outside the window",
			[]*Observation{chat("a", "u1", 0, ans, q), chat("b", "u1", time.Second+2*time.Minute+time.Millisecond, "…", sys, q)},
			nil},
		{"retry at the window's edge",
			[]*Observation{chat("a", "u1", 0, ans, q), chat("b", "u1", time.Second+2*time.Minute, "…", sys, q)},
			[]signal{{"a", store.KindRetry, -1, "b", "last_message", 0.01}}},
		{"different users are not linked",
			[]*Observation{chat("a", "u1", 0, ans, q), chat("b", "u2", time.Minute, "…", q)},
			nil},
		{"no end user: no retry",
			[]*Observation{chat("a", "", 0, ans, q), chat("b", "", time.Minute, "…", q)},
			nil},
		{"regenerate: the same conversation again",
			[]*Observation{chat("a", "u1", 0, ans, sys, q), chat("b", "u1", 10*time.Second, "…", sys, q)},
			[]signal{{"a", store.KindRegenerate, -1, "b", "messages", 0.01}}},
		{"a request sent before the answer was complete is not a retry",
			[]*Observation{chat("a", "u1", 0, ans, q), chat("b", "u1", 500*time.Millisecond, "…", q)},
			nil},
		{"continued: the next turn extends the answer (no end user needed)",
			[]*Observation{chat("a", "", 0, ans, q), chat("b", "", 10*time.Minute, "…", q, asst(" Go is a  programming language."), user("And Rust?"))},
			[]signal{{"a", store.KindContinued, 0.3, "b", "extends", 0}}},
		{"continued past its window",
			[]*Observation{chat("a", "", 0, ans, q), chat("b", "", time.Hour, "…", q, asst(ans), user("And Rust?"))},
			nil},
		{"the next turn asks the same again: a retry",
			[]*Observation{chat("a", "", 0, ans, q), chat("b", "", time.Minute, "…", q, asst(ans), user("what is go?"))},
			[]signal{{"a", store.KindRetry, -1, "b", "repeated_in_conversation", 0.01}}},
		{"a different answer in the history is not a continuation",
			[]*Observation{chat("a", "u1", 0, ans, q), chat("b", "u1", time.Minute, "…", q, asst("Something else."), user("And Rust?"))},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := run(newTestDetector(), tt.obs...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("signals = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestImplicitToolLoop: an agent sending the tool's result back extends
// the answer that called it: a continuation, not a retry of the question.
func TestImplicitToolLoop(t *testing.T) {
	q := user("Weather in Paris?")
	var call llm.Message
	call.Role = llm.RoleAssistant
	call.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "weather", Arguments: `{"city": "Paris"}`}})
	a := chat("a", "u1", 0, "", q)
	a.Answer = answerOf(call)
	var resent llm.Message // the client rewrote the call id and the arguments' spacing
	resent.Role = llm.RoleAssistant
	resent.SetToolCalls([]llm.ToolCall{{ID: "call_x", Type: "function", Name: "weather", Arguments: `{"city":  "Paris"}`}})
	result := llm.TextMessage(llm.RoleTool, `{"temp": 18}`)
	result.SetToolCallID("call_1")
	b := chat("b", "u1", 2*time.Second, "It is 18°C.", q, resent, result)
	want := []signal{{"a", store.KindContinued, 0.3, "b", "extends", 0}}
	if got := run(newTestDetector(), a, b); !reflect.DeepEqual(got, want) {
		t.Errorf("signals = %+v, want %+v", got, want)
	}
}

func TestImplicitOwnSignals(t *testing.T) {
	q := user("Give me JSON")
	left := chat("a", "u1", 0, "partial", q)
	left.Status, left.ClientLeft, left.Stream = 499, true, true
	left.Signals = &store.Signals{AnswerChars: 7}
	bad := chat("b", "u1", time.Hour, "not json", q)
	bad.Signals = &store.Signals{FormatChecked: true, FormatOK: false, InvalidToolCalls: 1}
	refused := chat("c", "u1", 2*time.Hour, "I can't help with that.", user("other"))
	refused.Signals = &store.Signals{Refusal: true}
	fine := chat("d", "u1", 3*time.Hour, "{}", user("x"))
	fine.Signals = &store.Signals{FormatChecked: true, FormatOK: true}
	d := newTestDetector()
	var got []*store.Feedback
	for _, o := range []*Observation{left, bad, refused, fine} {
		got = append(got, d.observe(o, t0)...)
	}
	want := []*store.Feedback{
		{RequestID: "a", Tenant: "acme", Time: t0, Kind: store.KindAbandoned, Value: -0.5,
			Evidence: store.Evidence{Stream: true, AfterMs: 1000, AnswerChars: 7}},
		{RequestID: "b", Tenant: "acme", Time: t0, Kind: store.KindFormatFailed, Value: -1, Evidence: store.Evidence{InvalidToolCalls: 1}},
		{RequestID: "c", Tenant: "acme", Time: t0, Kind: store.KindRefusal, Value: -0.5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("own signals:\n%s\nwant\n%s", rows(got), rows(want))
	}
}

// TestImplicitTargets: only whole answers are judged later, each at most
// once per kind; the newest answer is the one a retry judges.
func TestImplicitTargets(t *testing.T) {
	q := user("Hi")
	left := chat("a", "u1", 0, "partial", q)
	left.Status, left.ClientLeft = 499, true
	failed := chat("c", "u1", 10*time.Second, "", q)
	failed.Status, failed.Answer = 502, nil
	got := run(newTestDetector(),
		left, // abandoned; not a target
		chat("b", "u1", 5*time.Second, "Hello", q), // not a retry of a
		failed, // regenerates b
		chat("d", "u1", 20*time.Second, "Hey", q), // b already has its regeneration
		chat("e", "u1", 30*time.Second, "Yo", q),  // regenerates d
	)
	want := []signal{
		{"a", store.KindAbandoned, -0.5, "", "", 0},
		{"b", store.KindRegenerate, -1, "c", "messages", 0.01},
		{"d", store.KindRegenerate, -1, "e", "messages", 0.01},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("signals = %+v\nwant %+v", got, want)
	}
}

func TestImplicitSessionAndTenant(t *testing.T) {
	q := user("Hi")
	a, b := chat("a", "", 0, "Hello", q), chat("b", "", time.Minute, "Hello", q)
	a.Session, b.Session = "s1", "s1"
	if got := run(newTestDetector(), a, b); len(got) != 1 || got[0].kind != store.KindRegenerate {
		t.Errorf("same session: %+v, want a regeneration", got)
	}
	a, b = chat("a", "u1", 0, "Hello", q), chat("b", "u1", time.Minute, "Hello", q)
	b.Tenant = "globex"
	if got := run(newTestDetector(), a, b); got != nil {
		t.Errorf("same user of another tenant: %+v, want none", got)
	}
}

func TestImplicitWeightsAndMemory(t *testing.T) {
	q := user("Hi")
	w := DefaultWeights()
	w.Regenerate, w.Retry = 0, -0.25
	d := newDetector(w, time.Minute, time.Minute, 0)
	got := run(d, chat("a", "u1", 0, "x", q), chat("b", "u1", 10*time.Second, "y", q))
	if got != nil {
		t.Errorf("regenerate weighted 0: %+v, want no row", got)
	}
	got = run(d, chat("c", "u1", time.Hour, "x", q), chat("d", "u1", time.Hour+10*time.Second, "y", llm.TextMessage(llm.RoleSystem, "s"), q))
	if want := []signal{{"c", store.KindRetry, -0.25, "d", "last_message", 0.01}}; !reflect.DeepEqual(got, want) {
		t.Errorf("retry weighted -0.25: %+v, want %+v", got, want)
	}
	// A detector remembering two answers forgets the first after two more.
	small := newDetector(DefaultWeights(), time.Minute, time.Minute, 2)
	obs := []*Observation{chat("a", "u1", 0, "x", q)}
	for i := range 2 {
		obs = append(obs, chat(fmt.Sprint("other", i), "u1", time.Duration(i+1)*time.Second, "z", user(fmt.Sprint("q", i))))
	}
	obs = append(obs, chat("b", "u1", 10*time.Second, "y", q))
	if got := run(small, obs...); got != nil {
		t.Errorf("after the target was forgotten: %+v, want none", got)
	}
	if len(small.byConvo) > 2 || len(small.byLast) > 2 || len(small.byExt) > 2 {
		t.Errorf("index sizes %d %d %d exceed the ring of 2", len(small.byConvo), len(small.byLast), len(small.byExt))
	}
}

func rows(fs []*store.Feedback) string {
	s := ""
	for _, f := range fs {
		s += fmt.Sprintf("  %+v\n", *f)
	}
	return s
}
