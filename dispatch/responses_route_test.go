package dispatch

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	wire "switchyard/wire/openai"
)

// noRoute is an upstream on a compatible host without a /responses
// route, as the openai adapter reports it: a request it would send there
// (api auto, wire.CallsResponses) fails with llm.CodeNoResponsesRoute;
// every other is answered. apis are the APIs it was asked on.
func noRoute(name string, apis *[]llm.UpstreamAPI) *fake {
	f := &fake{name: name}
	f.Func = func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		*apis = append(*apis, req.API)
		if req.API == llm.APIAuto && wire.CallsResponses(req) {
			return llmtest.Script{Err: &llm.Error{Kind: llm.KindNotFound, Code: llm.CodeNoResponsesRoute, Message: "upstream p-a has no /responses route"}}
		}
		return script{}.compile(name)
	}
	return f
}

// csvRequest carries a CSV by its bytes, which the adapter sends to the
// Responses API on api auto (wire.FilesNeedResponses).
func csvRequest() *llm.Request {
	r := req()
	r.Messages[0].Content = append(r.Messages[0].Content, wire.FilePart("data.csv", "data:text/csv;base64,YSxiCjEsMgo=", ""))
	return r
}

// A host without a /responses route answering its 404 to a request Chat
// can carry (a CSV by its bytes) is sent it again at once on Chat
// Completions, named so, and the deployment is marked (logged once):
// the next request goes to Chat at once. A request only the Responses
// API serves (OpenAI's hosted tools) passes the marked deployment over,
// uncalled, for the next candidate.
func TestNoResponsesRouteGoesOnChat(t *testing.T) {
	var apis []llm.UpstreamAPI
	a, b := noRoute("a", &apis), newFake("b", script{})
	var logged bytes.Buffer
	d := New(Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	plan := func() *Plan {
		p := planOf(5*time.Second, a, b)
		p.Tiers[0].Targets[0].Deployment.APIByModel = true
		return p
	}
	for i := range 2 {
		var served llm.Served
		s, err := d.Stream(context.Background(), csvRequest(), plan(), &served)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		drain(s)
		if served.Deployment != "a" || !served.NoResponsesRoute || served.Attempts != 1 {
			t.Errorf("request %d: served %+v", i, served)
		}
	}
	if want := []llm.UpstreamAPI{llm.APIAuto, llm.APIChatCompletions, llm.APIChatCompletions}; !equalAPIs(apis, want) {
		t.Errorf("a asked on %v, want %v", apis, want)
	}
	if n := strings.Count(logged.String(), "level=WARN"); n != 1 || !strings.Contains(logged.String(), "deployment=a") {
		t.Errorf("logged %d times: %s", n, logged.String())
	}
	hosted := req()
	hosted.OpenAIHosted = &llm.OpenAIHosted{}
	var served llm.Served
	s, err := d.Stream(context.Background(), hosted, plan(), &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if served.Deployment != "b" || served.NoResponsesRoute || len(apis) != 3 {
		t.Errorf("hosted tools: served %+v, a asked %v", served, apis)
	}
	// With no other candidate, the refusal names the missing route.
	_, err = d.Stream(context.Background(), hosted, &Plan{Tiers: []Tier{{Targets: plan().Tiers[0].Targets}}}, &llm.Served{})
	if e := llm.AsError(err); e == nil || e.Code != llm.CodeModelUnsupported || !strings.Contains(e.Message, "no /responses route") {
		t.Errorf("hosted tools, a alone: %v", err)
	}
}

func equalAPIs(a, b []llm.UpstreamAPI) bool {
	return strings.Join(apiNames(a), ",") == strings.Join(apiNames(b), ",")
}

func apiNames(as []llm.UpstreamAPI) []string {
	var out []string
	for _, a := range as {
		out = append(out, string(a))
	}
	return out
}

// The marks a Dispatcher is handed (Options.NoResponses) outlive it: the
// next configuration's Dispatcher sends a marked deployment to Chat at
// once, and dry runs say it goes there (GoesOnChat), while the
// deployment's Host stays; on another Host, or once Retain dropped the
// mark, it tries the Responses API again.
func TestNoResponsesMarksOutliveTheDispatcher(t *testing.T) {
	var apis []llm.UpstreamAPI
	a := noRoute("a", &apis)
	marks := &NoResponsesRoutes{}
	plan := func(host string) *Plan {
		p := planOf(5*time.Second, a)
		p.Tiers[0].Targets[0].Deployment.APIByModel = true
		p.Tiers[0].Targets[0].Host = host
		return p
	}
	ask := func(d *Dispatcher, host string, want ...llm.UpstreamAPI) {
		t.Helper()
		apis = apis[:0]
		s, err := d.Stream(context.Background(), csvRequest(), plan(host), &llm.Served{})
		if err != nil {
			t.Fatal(err)
		}
		drain(s)
		if !equalAPIs(apis, want) {
			t.Errorf("on %s: a asked on %v, want %v", host, apis, want)
		}
	}
	quiet := Options{Logger: slog.New(slog.DiscardHandler), NoResponses: marks}
	const h1, h2 = "openai http://h1/v1 api=", "openai http://h2/v1 api="
	ask(New(quiet), h1, llm.APIAuto, llm.APIChatCompletions)
	next := New(quiet) // a reload's
	if !next.GoesOnChat(plan(h1).Tiers[0].Targets[0], csvRequest()) || next.GoesOnChat(plan(h1).Tiers[0].Targets[0], req()) {
		t.Error("GoesOnChat: want true for the CSV on the marked host alone")
	}
	ask(next, h1, llm.APIChatCompletions)
	ask(next, h2, llm.APIAuto, llm.APIChatCompletions)
	marks.Retain(map[string]string{"a": h1})
	ask(New(quiet), h1, llm.APIAuto, llm.APIChatCompletions) // h2's mark replaced h1's, then was dropped
	marks.Retain(map[string]string{})
	ask(New(quiet), h1, llm.APIAuto, llm.APIChatCompletions)
}
