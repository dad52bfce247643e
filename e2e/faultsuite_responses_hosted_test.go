package e2e

import (
	"errors"
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/server"
	"switchyard/sim"
)

// TestFaultSuiteResponsesHostedCut: a Responses deployment's stream cut
// in the middle of a hosted tool's item (after its output_item.added and
// searching events, before the item is done: a torn event, then the end)
// under a Responses client asking for a web search, complete and
// streamed. Nothing of the answer reached the client — a stream's hosted
// items are held until its first content, as its first token is — so on
// route rsearch the other deployment answers whole (one search call and
// one message, never the broken call and a second one), and on ralone
// the client gets a 502 in OpenAI's shape, before any byte of a stream.
// A cut after content ends a stream with response.failed (the suite's
// other cases). Each has its log row.
func TestFaultSuiteResponsesHostedCut(t *testing.T) {
	t.Parallel()
	for _, route := range []string{"ralone", "rsearch"} {
		for _, stream := range []bool{false, true} {
			t.Run(route+"/"+mode(stream), func(t *testing.T) {
				e := newEnvWith(t, func(c *config.Config) {
					respFaultConfig(c)
					c.Routes["rsearch"] = &config.Route{Name: "rsearch", Deployments: []string{respPrimary, "gpt-4o-mini"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
				}, server.RouterOptions{})
				e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultMalformed, Model: respModel})
				params := webSearchParams(route, "What is the weather in Paris today?")
				var hr *http.Response
				var out []responses.ResponseOutputItemUnion
				var err error
				var failed *responses.Response
				if !stream {
					var resp *responses.Response
					if resp, err = e.Client.Responses.New(ctxT(t), params, option.WithResponseInto(&hr)); err == nil {
						out = resp.Output
					}
				} else {
					s := e.Client.Responses.NewStreaming(ctxT(t), params, option.WithResponseInto(&hr))
					for s.Next() {
						switch ev := s.Current(); ev.Type {
						case "response.completed":
							out = ev.Response.Output
						case "response.failed":
							r := ev.Response
							failed = &r
						}
					}
					err = s.Err()
					s.Close()
				}
				id := hr.Header.Get("x-switchyard-request-id")
				if route == "rsearch" {
					if err != nil {
						t.Fatalf("err %v, want the other deployment's answer", err)
					}
					checkWebSearch(t, route, out)
					if rec := recordOf(t, e, id); rec.Status != http.StatusOK || rec.Deployment != "gpt-4o-mini" || rec.CostUSD <= 0 {
						t.Errorf("record %d from %s cost %v", rec.Status, rec.Deployment, rec.CostUSD)
					}
					return
				}
				var apiErr *openai.Error
				if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadGateway || apiErr.Type != "server_error" || failed != nil {
					t.Fatalf("err %v (failed response %v), want a 502 server_error", err, failed)
				}
				if rec := recordOf(t, e, id); rec.Status != http.StatusBadGateway {
					t.Errorf("record status %d, want 502", rec.Status)
				}
			})
		}
	}
}

// TestFaultSuiteResponsesHostedCutLate: the same stream cut after the
// search is done and two pieces of the answer reached a streaming
// client: its stream ends with response.failed, whose output holds the
// search call completed (as the client saw it) and the message as far as
// it went, then the error event; the log row has the 502 and bills the
// tokens the client received.
func TestFaultSuiteResponsesHostedCutLate(t *testing.T) {
	t.Parallel()
	e := respFaultEnv(t)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: respModel, After: 2})
	var hr *http.Response
	s := e.Client.Responses.NewStreaming(ctxT(t), webSearchParams("ralone", "What is the weather in Paris today?"), option.WithResponseInto(&hr))
	var failed *responses.Response
	text := ""
	for s.Next() {
		switch ev := s.Current(); ev.Type {
		case "response.output_text.delta":
			text += ev.Delta
		case "response.failed":
			r := ev.Response
			failed = &r
		}
	}
	err := s.Err()
	s.Close()
	if err == nil || failed == nil || text == "" {
		t.Fatalf("err %v, failed %v, text %q; want text, response.failed, the error event", err, failed != nil, text)
	}
	out := failed.Output
	if len(out) != 2 || out[0].Type != "web_search_call" || out[0].Status != "completed" || out[1].Type != "message" || out[1].AsMessage().Content[0].Text != text {
		t.Errorf("failed output %s", failed.RawJSON())
	}
	rec := recordOf(t, e, hr.Header.Get("x-switchyard-request-id"))
	if rec.Status != http.StatusBadGateway || len(rec.Billed) != 1 || rec.CostUSD <= 0 || rec.Billed[0].Usage.CompletionTokens == 0 || rec.Billed[0].Usage.WebSearchRequests != 1 {
		t.Errorf("record status %d billed %+v", rec.Status, rec.Billed)
	}
}

// TestFaultSuiteResponsesHostedCutLateComplete: the same cut under a
// complete request on a route with another deployment able to search:
// that deployment answers whole, and the abandoned attempt is billed its
// tokens so far and the search it made, estimated, beside the answer's.
func TestFaultSuiteResponsesHostedCutLateComplete(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(c *config.Config) {
		respFaultConfig(c)
		c.Routes["rsearch"] = &config.Route{Name: "rsearch", Deployments: []string{respPrimary, "gpt-4o-mini"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	}, server.RouterOptions{})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: respModel, After: 2})
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), webSearchParams("rsearch", "What is the weather in Paris today?"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	checkWebSearch(t, "rsearch", resp.Output)
	rec := recordOf(t, e, hr.Header.Get("x-switchyard-request-id"))
	if len(rec.Billed) != 2 || rec.Billed[0].Deployment != respPrimary || rec.Billed[1].Deployment != "gpt-4o-mini" {
		t.Fatalf("billed %+v", rec.Billed)
	}
	if u := rec.Billed[0].Usage; !u.Estimated || u.CompletionTokens == 0 || u.WebSearchRequests != 1 {
		t.Errorf("the abandoned attempt's usage %+v, want its tokens and its search, estimated", u)
	}
	if u := rec.Billed[1].Usage; u.Estimated || u.WebSearchRequests != 1 {
		t.Errorf("the answer's usage %+v", u)
	}
}
