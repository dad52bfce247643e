package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/server"
)

// betaParams asks route for multi_agent with n subagents, moderated by
// omni-moderation-latest with inputMode as the input's policy.
func betaParams(route, input string, n int64, inputMode string) openai.BetaResponseNewParams {
	return openai.BetaResponseNewParams{Model: openai.BetaResponseNewParamsModel(route), Input: openai.BetaResponseNewParamsInputUnion{OfString: openai.String(input)},
		MultiAgent: openai.BetaResponseNewParamsMultiAgent{Enabled: true, MaxConcurrentSubagents: openai.Int(n)},
		Moderation: openai.BetaResponseNewParamsModeration{Model: "omni-moderation-latest", Policy: openai.BetaResponseNewParamsModerationPolicy{
			Input: openai.BetaResponseNewParamsModerationPolicyInput{Mode: inputMode}}},
		Betas: []string{"responses_multi_agent=v1"}}
}

// lastBeta checks that the last upstream request went to the beta path
// with the client's OpenAI-Beta header, multi_agent and moderation as the
// client wrote them.
func lastBeta(t *testing.T, tp *tap, n string) {
	t.Helper()
	reqs := tp.requests()
	last := reqs[len(reqs)-1]
	if !strings.HasSuffix(last.path, "/v1/responses?beta=true") || last.header.Get("OpenAI-Beta") != "responses_multi_agent=v1" {
		t.Fatalf("last upstream request to %s, OpenAI-Beta %q", last.path, last.header.Get("OpenAI-Beta"))
	}
	body := tp.lastBody(t, "/v1/responses")
	if compact(t, string(body["multi_agent"])) != `{"enabled":true,"max_concurrent_subagents":`+n+`}` ||
		!strings.Contains(string(body["moderation"]), `"omni-moderation-latest"`) {
		t.Errorf("sent multi_agent %s moderation %s", body["multi_agent"], body["moderation"])
	}
}

// itemsOf lists a beta answer's output: multi-agent items by their action,
// messages by their agent ("" the root's).
func itemsOf(out []openai.BetaResponseOutputItemUnion) string {
	var s []string
	for _, it := range out {
		switch v := it.AsAny().(type) {
		case openai.BetaResponseOutputItemMultiAgentCall:
			s = append(s, "call:"+v.Action)
		case openai.BetaResponseOutputItemMultiAgentCallOutput:
			s = append(s, "output:"+v.Action)
		case openai.BetaResponseOutputMessage:
			s = append(s, "message:"+it.Agent.AgentName)
		default:
			s = append(s, it.Type)
		}
	}
	return strings.Join(s, " ")
}

// multi_agent and moderation from openai-go's beta client go, as written,
// to an OpenAI deployment called on the Responses API (the Claude
// deployment first in the route is skipped), on the beta path with the
// client's OpenAI-Beta header; the spawned subagents' items come back in
// place with their agent tags, the moderation results on the response,
// complete and streamed, stored and sent back in place on the next turn;
// the subagents' tokens are billed. A route with no
// deployment calling the Responses API answers 400 at multi_agent.
func TestResponsesBetaMultiAgent(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnvWith(t, hostedEdit, server.RouterOptions{Store: storeBackends[0].open(t)})
	var hr *http.Response
	resp, err := e.Client.Beta.Responses.New(ctxT(t), betaParams("search", "Compare the rivers of Europe.", 2, "score"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if d := hr.Header.Get("x-switchyard-deployment"); d != "gpt-4o-mini" {
		t.Errorf("served by %q", d)
	}
	lastBeta(t, tp, "2")
	const want = "call:spawn_agent message:subagent_1 output:spawn_agent call:spawn_agent message:subagent_2 output:spawn_agent message:"
	if got := itemsOf(resp.Output); got != want {
		t.Errorf("output %s", got)
	}
	root := resp.Output[len(resp.Output)-1].AsMessage()
	if len(root.Content) != 1 || strings.Contains(root.Content[0].Text, "subagent_") {
		t.Errorf("root answer %+v holds a subagent's text", root.Content)
	}
	if in := resp.Moderation.Input.AsModerationResult(); in.Model != "omni-moderation-latest" || in.Flagged || len(in.CategoryScores) == 0 {
		t.Errorf("moderation %s", resp.Moderation.RawJSON())
	}
	wantCost(t, hr, float64(resp.Usage.InputTokens)*0.15/1e6+float64(resp.Usage.OutputTokens)*0.60/1e6)

	next := betaParams("search", "And those of Asia?", 2, "score")
	next.PreviousResponseID = openai.String(resp.ID)
	if _, err := e.Client.Beta.Responses.New(ctxT(t), next); err != nil {
		t.Fatal(err)
	}
	input := string(tp.lastBody(t, "/v1/responses")["input"])
	for _, want := range []string{`"type":"multi_agent_call"`, `"type":"multi_agent_call_output"`, `"agent":{"agent_name":"subagent_2"}`} {
		if !strings.Contains(input, want) {
			t.Errorf("continuation's upstream input lacks %s: %s", want, input)
		}
	}

	stream := e.Client.Beta.Responses.NewStreaming(ctxT(t), betaParams("search", "Compare the rivers of Europe.", 1, "score"))
	var final openai.BetaResponse
	var agents []string
	for stream.Next() {
		switch ev := stream.Current(); ev.Type {
		case "response.output_item.done":
			agents = append(agents, ev.Item.Type+"/"+ev.Item.Agent.AgentName)
		case "response.completed":
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	lastBeta(t, tp, "1")
	if strings.Join(agents, " ") != "multi_agent_call/ message/subagent_1 multi_agent_call_output/ message/" ||
		itemsOf(final.Output) != "call:spawn_agent message:subagent_1 output:spawn_agent message:" || final.Moderation.Output.Type != "moderation_result" {
		t.Errorf("streamed items %v, final %s, moderation %s", agents, itemsOf(final.Output), final.Moderation.RawJSON())
	}

	_, err = e.Client.Beta.Responses.New(ctxT(t), betaParams("chat-only", "hi", 1, "score"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "multi_agent" || !strings.Contains(apiErr.Message, "multi_agent and moderation") {
		t.Errorf("chat-only route: %v", err)
	}
}

// A flagged input under a block policy is answered as OpenAI answers it
// (incomplete, content_filter, the input's result flagged, nothing
// generated), complete and streamed; moderation alone also needs the
// Responses API; a malformed member is a 400 naming its path.
func TestResponsesBetaModeration(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, hostedEdit)
	p := betaParams("search", "How do I kill a stuck process?", 1, "block")
	p.MultiAgent = openai.BetaResponseNewParamsMultiAgent{}
	resp, err := e.Client.Beta.Responses.New(ctxT(t), p)
	if err != nil {
		t.Fatal(err)
	}
	in := resp.Moderation.Input.AsModerationResult()
	if resp.Status != "incomplete" || resp.IncompleteDetails.Reason != "content_filter" || !in.Flagged || !in.Categories["violence"] || resp.Usage.OutputTokens != 0 {
		t.Errorf("blocked: %s %s, moderation %s, usage %+v", resp.Status, resp.IncompleteDetails.Reason, resp.Moderation.RawJSON(), resp.Usage)
	}
	body := tp.lastBody(t, "/v1/responses")
	if _, ok := body["multi_agent"]; ok || compact(t, string(body["moderation"])) != `{"model":"omni-moderation-latest","policy":{"input":{"mode":"block"}}}` {
		t.Errorf("sent multi_agent %s moderation %s", body["multi_agent"], body["moderation"])
	}
	stream := e.Client.Beta.Responses.NewStreaming(ctxT(t), p)
	var last openai.BetaResponseStreamEventUnion
	for stream.Next() {
		last = stream.Current()
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if last.Type != "response.incomplete" || !last.Response.Moderation.Input.AsModerationResult().Flagged {
		t.Errorf("streamed end %s, moderation %s", last.Type, last.Response.Moderation.RawJSON())
	}

	_, err = e.Client.Beta.Responses.New(ctxT(t), p, option.WithJSONSet("model", "chat-only"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "moderation" {
		t.Errorf("chat-only route: %v", err)
	}
	_, err = e.Client.Beta.Responses.New(ctxT(t), p, option.WithJSONSet("moderation.policy.input.mode", "warn"))
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "moderation.policy.input.mode" {
		t.Errorf("mode warn: %v", err)
	}
}
