package openai

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
)

// betaStream is a multi-agent answer as the beta Responses API streams
// it: a spawn, the subagent's tagged message, the root's answer, the
// moderation results and the usage of the whole run.
const betaStream = `event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_b","model":"gpt-5.6","status":"in_progress"}}

event: response.output_item.done
data: {"type":"response.output_item.done","sequence_number":1,"output_index":0,"item":{"id":"mac_1","type":"multi_agent_call","action":"spawn_agent","arguments":"{}","call_id":"c1"}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":2,"output_index":1,"content_index":0,"item_id":"msg_s","delta":"sub text","agent":{"agent_name":"helper"}}

event: response.output_item.done
data: {"type":"response.output_item.done","sequence_number":3,"output_index":1,"item":{"id":"msg_s","type":"message","role":"assistant","content":[{"type":"output_text","text":"sub text","annotations":[]}],"agent":{"agent_name":"helper"}}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":4,"output_index":2,"content_index":0,"item_id":"msg_r","delta":"Root."}

event: response.completed
data: {"type":"response.completed","sequence_number":5,"response":{"id":"resp_b","model":"gpt-5.6","status":"completed","moderation":{"input":{"type":"moderation_result","flagged":false},"output":{"type":"moderation_result","flagged":false}},"usage":{"input_tokens":100,"output_tokens":60,"total_tokens":160}}}

`

// A request with a beta member goes to the beta path with the client's
// OpenAI-Beta header; its answer's multi-agent items, tagged items and
// moderation results come back as OpenAI wrote them, the whole run's
// usage billed.
func TestResponsesBeta(t *testing.T) {
	var got *http.Request
	var body string
	c := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got, body = r, string(b)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, betaStream)
	}), KindOpenAI, "/v1", testKey)
	req := userRequest("gpt-5.6", "Split the work.")
	req.API = llm.APIResponses
	req.OpenAIHosted = &llm.OpenAIHosted{Beta: true, BetaHeader: "responses_multi_agent=v1",
		Params: []llm.RawParam{{Name: "multi_agent", Value: []byte(`{"enabled":true}`)}}}
	resp, err := answer(t, c, req)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL.Path != "/v1/responses" || got.URL.RawQuery != "beta=true" || got.Header.Get("OpenAI-Beta") != "responses_multi_agent=v1" {
		t.Errorf("sent to %s?%s, OpenAI-Beta %q", got.URL.Path, got.URL.RawQuery, got.Header.Get("OpenAI-Beta"))
	}
	if !strings.Contains(body, `"multi_agent":{"enabled":true}`) {
		t.Errorf("body %s", body)
	}
	m := &resp.Choices[0].Message
	if m.Text() != "Root." || len(m.Hosted()) != 2 || !strings.Contains(string(m.Hosted()[1].Raw), `"agent":{"agent_name":"helper"}`) {
		t.Errorf("answer %q, hosted %d", m.Text(), len(m.Hosted()))
	}
	if !strings.Contains(string(resp.Moderation), `"input":{"type":"moderation_result"`) || resp.Usage == nil || resp.Usage.TotalTokens != 160 {
		t.Errorf("moderation %s, usage %+v", resp.Moderation, resp.Usage)
	}
	req.OpenAIHosted = &llm.OpenAIHosted{Params: []llm.RawParam{{Name: "prompt", Value: []byte(`{"id":"p"}`)}}}
	if _, err := answer(t, c, req); err != nil {
		t.Fatal(err)
	}
	if got.URL.RawQuery != "" || got.Header.Get("OpenAI-Beta") != "" {
		t.Errorf("no beta member: sent to ?%s, OpenAI-Beta %q", got.URL.RawQuery, got.Header.Get("OpenAI-Beta"))
	}
}
