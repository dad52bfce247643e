package quality

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/llm"
)

// typicalProse is a chat answer of about 1,200 characters.
var typicalProse = strings.Repeat("The main factor is how the cache is invalidated: entries expire after a fixed time, or when the source changes. ", 11)

// BenchmarkCheck measures Check on typical answers: prose, a JSON answer
// validated against a (cached) schema, and a tool call validated against
// its parameters. `go test -run XXX -bench Check -benchmem ./quality`.
func BenchmarkCheck(b *testing.B) {
	cases := []struct {
		name string
		req  *llm.Request
		ans  *llm.Response
	}{
		{"prose", &llm.Request{}, answer(typicalProse, llm.FinishStop)},
		{"refusal", &llm.Request{}, answer("I'm sorry, but I can't help with that. If you're in crisis, please call a local emergency number.", llm.FinishStop)},
		{"json_schema", schemaMode(personSchema), answer(`{"name":"Ada Lovelace","age":36,"email":"ada@example.com"}`, llm.FinishStop)},
		{"tool_call", weather(nil), withCalls("", call("get_weather", `{"city":"Paris","unit":"c"}`))},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var ch Checker
			ch.Check(c.req, c.ans, nil) // the schema compiled once, as for a route's steady traffic
			b.ReportAllocs()
			for b.Loop() {
				ch.Check(c.req, c.ans, nil)
			}
		})
	}
}

// BenchmarkSink measures the whole sink on a prose answer: the signals,
// the usual length and the counters.
func BenchmarkSink(b *testing.B) {
	s := NewSink(SinkOptions{Registerer: prometheus.NewRegistry(), Routes: []string{"auto"}, Deployments: []string{"d1"}})
	r := chatRecord("auto", "d1", llm.CategoryChat, &llm.Request{}, answer(typicalProse, llm.FinishStop))
	b.ReportAllocs()
	for b.Loop() {
		r.Signals = nil
		s.Consume(r)
	}
}
