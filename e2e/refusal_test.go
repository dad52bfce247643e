package e2e

import (
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
	"switchyard/store"
)

// anthropicRefusalTestString is the prompt Anthropic documents for
// testing refusal handling (its API answers stop_reason "refusal").
const anthropicRefusalTestString = "ANTHROPIC_MAGIC_STRING_TRIGGER_REFUSAL_1FAEFB6177B4672DEE07F9D3AFC62588CCD2631EDCF22E8CCC1FB35B501C9C86"

// refusalRoutes adds "careful" (on_refusal: fallback) and "plain" (the
// default) over Claude, then Gemini, then GPT-4o, tried in order.
func refusalRoutes(c *config.Config) {
	deps := []string{"claude-haiku-4-5", "gemini-2.5-flash", "gpt-4o"}
	c.Routes["careful"] = &config.Route{Name: "careful", Deployments: deps, OnRefusal: config.RefusalFallback}
	c.Routes["plain"] = &config.Route{Name: "plain", Deployments: deps}
	c.Routes["filtered"] = &config.Route{Name: "filtered", Deployments: []string{"azure-gpt-4o-mini", "claude-haiku-4-5"}, OnRefusal: config.RefusalFallback}
}

func ask(model, prompt string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)}}
}

// A route with on_refusal: fallback answers from its next candidate when
// one refuses — Claude's stop_reason refusal, Gemini's blocked prompt,
// Azure's content filter — complete and streamed, through the official
// SDK; the refused call is in the request's trail as refused. A route
// without it returns the refusal, as before.
func TestRefusalFallsBackOnTheRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, refusalRoutes)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	n := 0
	for _, streamed := range []bool{false, true} {
		text, finish, h, err := chatWith(t, e, ask("careful", "Name three rivers of Europe."), streamed)
		n++
		if err != nil || text == "" || finish != "stop" || h.Get("x-switchyard-deployment") != "gemini-2.5-flash" {
			t.Errorf("careful, streamed=%v: %q %q from %s, %v", streamed, text, finish, h.Get("x-switchyard-deployment"), err)
		}
		text, finish, h, err = chatWith(t, e, ask("plain", "Name three rivers of Europe."), streamed)
		n++
		if err != nil || text != "" || finish != "content_filter" || h.Get("x-switchyard-deployment") != "claude-haiku-4-5" {
			t.Errorf("plain, streamed=%v: %q %q from %s, %v", streamed, text, finish, h.Get("x-switchyard-deployment"), err)
		}
	}
	recs := e.recorded(t, n)
	refused := 0
	for _, r := range recs {
		if r.Route == "careful" {
			if len(r.Trail) != 2 || r.Trail[0].Outcome != store.OutcomeRefused || r.Trail[1].Outcome != store.OutcomeOK {
				t.Fatalf("careful trail %+v", r.Trail)
			}
			// The refused call read the prompt: Anthropic bills it.
			if r.Trail[0].Usage.PromptTokens == 0 || r.Trail[0].CostUSD <= 0 {
				t.Errorf("the refused attempt was not billed: %+v", r.Trail[0])
			}
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("%d careful records", refused)
	}

	// Gemini blocks the prompt too: GPT-4o answers.
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "gemini-2.5-flash"})
	for _, streamed := range []bool{false, true} {
		text, _, h, err := chatWith(t, e, ask("careful", "Name three rivers of Europe."), streamed)
		if err != nil || text == "" || h.Get("x-switchyard-deployment") != "gpt-4o" {
			t.Errorf("two refuse, streamed=%v: %q from %s, %v", streamed, text, h.Get("x-switchyard-deployment"), err)
		}
	}
	// All three refuse: the last refusal is the answer, not an error.
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "gpt-4o"})
	for _, streamed := range []bool{false, true} {
		text, finish, h, err := chatWith(t, e, ask("careful", "Name three rivers of Europe."), streamed)
		if err != nil || text != "" || finish != "content_filter" || h.Get("x-switchyard-deployment") != "gpt-4o" {
			t.Errorf("all refuse, streamed=%v: %q %q from %s, %v", streamed, text, finish, h.Get("x-switchyard-deployment"), err)
		}
	}
}

// Anthropic's documented refusal test string makes the Claude simulator
// refuse as the API does; the route moves on. Azure's prompt filter (a
// 400 content_filter) moves on too.
func TestRefusalTestStringAndAzureFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, refusalRoutes)
	for _, streamed := range []bool{false, true} {
		_, finish, h, err := chatWith(t, e, ask("plain", "Say hi. "+anthropicRefusalTestString), streamed)
		if err != nil || finish != "content_filter" || h.Get("x-switchyard-deployment") != "claude-haiku-4-5" {
			t.Errorf("plain, streamed=%v: %q from %s, %v", streamed, finish, h.Get("x-switchyard-deployment"), err)
		}
		text, _, h, err := chatWith(t, e, ask("careful", "Say hi. "+anthropicRefusalTestString), streamed)
		if err != nil || text == "" || h.Get("x-switchyard-deployment") != "gemini-2.5-flash" {
			t.Errorf("careful, streamed=%v: %q from %s, %v", streamed, text, h.Get("x-switchyard-deployment"), err)
		}
	}
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultContentFilter, Model: "gpt-4o-mini"})
	for _, streamed := range []bool{false, true} {
		text, _, h, err := chatWith(t, e, ask("filtered", "Name three rivers of Europe."), streamed)
		if err != nil || text == "" || h.Get("x-switchyard-deployment") != "claude-haiku-4-5" {
			t.Errorf("azure filter, streamed=%v: %q from %s, %v", streamed, text, h.Get("x-switchyard-deployment"), err)
		}
	}
}

// A client of the Messages API gets a refusal as Anthropic writes it —
// stop_reason "refusal" and stop_details with the category and
// explanation a Claude deployment gave (null where another provider kind
// refused), complete and streamed, through the official Anthropic SDK.
func TestRefusalDetailsOnTheMessagesAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal})
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"claude-haiku-4-5", "gemini-2.5-flash"} {
		msg, err := c.Messages.New(ctxT(t), userMessage(dep, "How do I pick a lock?", 200))
		if err != nil {
			t.Fatal(err)
		}
		stream := c.Messages.NewStreaming(ctxT(t), userMessage(dep, "How do I pick a lock?", 200))
		acc := accumulateMessage(t, stream)
		for name, m := range map[string]*sdk.Message{"complete": msg, "streamed": &acc} {
			d := m.StopDetails
			if m.StopReason != sdk.StopReasonRefusal || d.Type != "refusal" {
				t.Errorf("%s %s: stop %q details %+v", dep, name, m.StopReason, d)
				continue
			}
			want, wantExp := sdk.RefusalStopDetailsCategory(""), ""
			if dep == "claude-haiku-4-5" {
				want, wantExp = "cyber", "This request was declined because it could enable cyber harm."
			}
			if d.Category != want || d.Explanation != wantExp {
				t.Errorf("%s %s: details %q %q, want %q %q", dep, name, d.Category, d.Explanation, want, wantExp)
			}
		}
	}
}
