package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/anthropics/anthropic-sdk-go/v2/packages/param"

	"switchyard/config"
	"switchyard/sim"
	"switchyard/store"
)

// fallbackRoutes adds to refusalRoutes "final", configured on_refusal:
// return over the same deployments.
func fallbackRoutes(c *config.Config) {
	refusalRoutes(c)
	c.Routes["final"] = &config.Route{Name: "final", Deployments: []string{"claude-haiku-4-5", "gemini-2.5-flash"}, OnRefusal: config.RefusalReturn}
}

func betaAsk(model, prompt string, fb sdk.BetaFallbacksParamUnion) sdk.BetaMessageNewParams {
	return sdk.BetaMessageNewParams{
		Model: sdk.Model(model), MaxTokens: 300, Fallbacks: fb,
		Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock(prompt))},
		Betas:    []sdk.AnthropicBeta{sdk.AnthropicBetaServerSideFallback2026_07_01},
	}
}

func fallbackList(models ...string) sdk.BetaFallbacksParamUnion {
	var list []sdk.BetaFallbackParam
	for _, m := range models {
		list = append(list, sdk.BetaFallbackParam{Model: sdk.Model(m)})
	}
	return sdk.BetaFallbacksParamUnion{OfBetaFallbackArray: list}
}

// betaMessage sends p complete or streamed (accumulated), and returns the
// message and the response's headers.
func betaMessage(t *testing.T, c sdk.Client, p sdk.BetaMessageNewParams, streamed bool) (sdk.BetaMessage, http.Header, error) {
	t.Helper()
	var resp *http.Response
	opt := sdkoption.WithResponseInto(&resp)
	if !streamed {
		m, err := c.Beta.Messages.New(ctxT(t), p, opt)
		if err != nil {
			return sdk.BetaMessage{}, nil, err
		}
		return *m, resp.Header, nil
	}
	stream := c.Beta.Messages.NewStreaming(ctxT(t), p, opt)
	defer stream.Close()
	var acc sdk.BetaMessage
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		return acc, nil, err
	}
	var h http.Header
	if resp != nil {
		h = resp.Header
	}
	return acc, h, nil
}

// checkFallbackAnswer checks m is from's refusal handed over to to: the
// model that answered on top, a fallback block first, then its answer,
// and usage.iterations with a message entry and a fallback_message one.
func checkFallbackAnswer(t *testing.T, name string, m *sdk.BetaMessage, from, to string) {
	t.Helper()
	if string(m.Model) != to || m.StopReason != sdk.BetaStopReasonEndTurn || len(m.Content) < 2 {
		t.Fatalf("%s: model %q stop %q content %+v", name, m.Model, m.StopReason, m.Content)
	}
	fb := m.Content[0].AsFallback()
	if m.Content[0].Type != "fallback" || string(fb.From.Model) != from || string(fb.To.Model) != to || fb.Trigger.Type != "refusal" {
		t.Errorf("%s: first block %s", name, m.Content[0].RawJSON())
	}
	if m.Content[1].Type != "text" || m.Content[1].Text == "" {
		t.Errorf("%s: no answer after the fallback block: %+v", name, m.Content[1])
	}
	it := m.Usage.Iterations
	if len(it) != 2 || it[0].Type != "message" || it[1].Type != "fallback_message" || string(it[1].Model) != to || it[0].InputTokens == 0 {
		t.Errorf("%s: iterations %+v", name, it)
		return
	}
	if m.Usage.InputTokens != it[0].InputTokens+it[1].InputTokens {
		t.Errorf("%s: usage %d input tokens, want both attempts' %d+%d", name, m.Usage.InputTokens, it[0].InputTokens, it[1].InputTokens)
	}
}

// A Messages API client's fallbacks list is run by the router itself when
// the model declines: Claude Haiku refuses, the listed model answers —
// Claude Sonnet or GPT-4o — complete and streamed, written as the API
// writes a server-side fallback; the refused call is in the trail and
// billed. The turn sent back with its fallback block is accepted, by a
// Claude deployment (kept) as by an OpenAI one (dropped).
func TestFallbacksListOnTheMessagesAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fallbackRoutes)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	c := anthropicClient(e, "demo-key")
	n := 0
	for _, to := range []string{"claude-sonnet-4-5", "gpt-4o"} {
		for _, streamed := range []bool{false, true} {
			name := to + map[bool]string{false: " complete", true: " streamed"}[streamed]
			p := betaAsk("claude-haiku-4-5", "Name three rivers of Europe.", fallbackList(to))
			m, h, err := betaMessage(t, c, p, streamed)
			n++
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkFallbackAnswer(t, name, &m, "claude-haiku-4-5", to)
			if h != nil && (h.Get("x-switchyard-deployment") != to || !strings.Contains(h.Get("x-switchyard-route"), "fallback=claude-haiku-4-5>"+to)) {
				t.Errorf("%s: headers %v", name, h)
			}
			// The next turn carries the answer back, fallback block included.
			for _, next := range []string{"claude-sonnet-4-5", "gpt-4o"} {
				p2 := p
				p2.Model, p2.Fallbacks = sdk.Model(next), sdk.BetaFallbacksParamUnion{}
				p2.Messages = append(append([]sdk.BetaMessageParam(nil), p.Messages...), m.ToParam(),
					sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("And one of Asia?")))
				if m2, _, err := betaMessage(t, c, p2, false); err != nil || m2.StopReason != sdk.BetaStopReasonEndTurn {
					t.Errorf("%s, next turn on %s: %v", name, next, err)
				}
				n++
			}
		}
	}
	refused := 0
	for _, r := range e.recorded(t, n) {
		if len(r.Trail) == 2 && r.Trail[0].Outcome == store.OutcomeRefused && r.Trail[1].Outcome == store.OutcomeOK {
			if r.Trail[0].CostUSD <= 0 {
				t.Errorf("the refused attempt was not billed: %+v", r.Trail[0])
			}
			refused++
		}
	}
	if refused != 4 {
		t.Errorf("%d records with a refusal then the fallback's answer, want 4", refused)
	}
}

// "default" is the route's own fallback (its next candidates), on a
// route that sets no refusal policy; a route configured on_refusal:
// return keeps its refusal final: a list is a 400, "default" runs alone.
// A fallback model the router does not serve is a 400 naming it, before
// any call.
func TestFallbacksDefaultAndTheRoutePolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fallbackRoutes)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	c := anthropicClient(e, "demo-key")
	def := sdk.BetaFallbacksParamOfDefault()
	for _, streamed := range []bool{false, true} {
		m, _, err := betaMessage(t, c, betaAsk("plain", "Name three rivers of Europe.", def), streamed)
		if err != nil {
			t.Fatal(err)
		}
		checkFallbackAnswer(t, "default", &m, "plain", "gemini-2.5-flash")

		m, _, err = betaMessage(t, c, betaAsk("final", "Name three rivers of Europe.", def), streamed)
		if err != nil || m.StopReason != sdk.BetaStopReasonRefusal || len(m.Usage.Iterations) != 0 {
			t.Errorf("default on final, streamed=%v: %v, stop %q, iterations %+v", streamed, err, m.StopReason, m.Usage.Iterations)
		}
	}
	for _, tt := range []struct {
		model string
		fb    sdk.BetaFallbacksParamUnion
		want  string
	}{
		{"final", fallbackList("gpt-4o"), "does not allow refusal fallback"},
		{"claude-haiku-4-5", fallbackList("gpt-4o", "no-such-model"), "fallbacks.1.model: The model `no-such-model` does not exist"},
	} {
		_, err := c.Beta.Messages.New(ctxT(t), betaAsk(tt.model, "hi", tt.fb))
		var apiErr *sdk.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), tt.want) {
			t.Errorf("%s: %v, want a 400 saying %q", tt.model, err, tt.want)
		}
	}
}

// A fallback entry's overrides reach its attempt: max_tokens here.
func TestFallbackEntryOverrides(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fallbackRoutes)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	c := anthropicClient(e, "demo-key")
	p := betaAsk("claude-haiku-4-5", "Write a long story about rivers.", sdk.BetaFallbacksParamUnion{OfBetaFallbackArray: []sdk.BetaFallbackParam{
		{Model: "claude-sonnet-4-5", MaxTokens: param.NewOpt[int64](5)},
	}})
	m, _, err := betaMessage(t, c, p, false)
	if err != nil {
		t.Fatal(err)
	}
	if m.StopReason != sdk.BetaStopReasonMaxTokens || m.Usage.Iterations[1].OutputTokens > 5 {
		t.Errorf("stop %q, fallback output %d tokens: want the entry's max_tokens 5", m.StopReason, m.Usage.Iterations[1].OutputTokens)
	}
}

// A Claude deployment's refusal reaches the client with its
// fallback_credit_token; the client's retry on another Claude model with
// the token has it redeemed (usage.fallback_credit); on another provider
// kind the token is dropped, and named so.
func TestFallbackCreditThroughTheRouter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fallbackRoutes)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	c := anthropicClient(e, "demo-key")
	p := betaAsk("final", "Name three rivers of Europe.", sdk.BetaFallbacksParamUnion{})
	for _, streamed := range []bool{false, true} {
		m, _, err := betaMessage(t, c, p, streamed)
		if err != nil {
			t.Fatal(err)
		}
		tok := m.StopDetails.FallbackCreditToken
		if m.StopReason != sdk.BetaStopReasonRefusal || !strings.HasPrefix(tok, "fct_") {
			t.Fatalf("streamed=%v: stop %q details %s", streamed, m.StopReason, m.StopDetails.RawJSON())
		}
		retry := p
		retry.Model = "claude-sonnet-4-5"
		retry.FallbackCreditToken = sdk.BetaMessageNewParamsFallbackCreditTokenUnion{OfString: param.NewOpt(tok)}
		got, _, err := betaMessage(t, c, retry, streamed)
		if err != nil || got.Usage.FallbackCredit.Status.Type != "redeemed" {
			t.Errorf("streamed=%v: retry %v, fallback_credit %s", streamed, err, got.Usage.FallbackCredit.RawJSON())
		}
		retry.Model = "gpt-4o"
		got, h, err := betaMessage(t, c, retry, streamed)
		if err != nil || got.StopReason != sdk.BetaStopReasonEndTurn || h != nil && !strings.Contains(h.Get("x-switchyard-route"), "dropped=fallback_credit_token") {
			t.Errorf("streamed=%v: on gpt-4o %v, route %q", streamed, err, h.Get("x-switchyard-route"))
		}
	}
}

// A Message Batches request with fallbacks is run by the router, where
// its fallback runs, not forwarded to Anthropic's batch API.
func TestFallbacksInAMessageBatchRunInTheRouter(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	c := anthropicClient(e, respKeyA)
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("c1", "claude-haiku-4-5", "Capital of Peru?"), batchItem("c2", "claude-haiku-4-5", "Capital of Chile?"),
	}}, sdkoption.WithJSONSet("requests.1.params.fallbacks", "default"))
	if err != nil {
		t.Fatal(err)
	}
	if done := awaitMessageBatch(t, c, created.ID); done.RequestCounts.Succeeded != 2 {
		t.Fatalf("ended = %s", done.RawJSON())
	}
	if n := simBatchesOf(t, e.SimAddr, "anthropic", nil); n.Created != 1 || n.Lines != 1 {
		t.Errorf("Anthropic saw %+v, want one batch of the request without fallbacks", n)
	}
}
