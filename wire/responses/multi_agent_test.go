package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// multi_agent and moderation are kept as sent, name the request as
// OpenAI-only and beta, and go upstream as they came; a multi_agent not
// enabled asks nothing.
func TestBetaParams(t *testing.T) {
	ma := `{"enabled":true,"max_concurrent_subagents":2}`
	mod := `{"model":"omni-moderation-latest","policy":{"input":{"mode":"block"},"output":{"mode":"score"}}}`
	r, err := DecodeRequest([]byte(`{"model":"m","input":"hi","multi_agent":` + ma + `,"moderation":` + mod + `}`))
	if err != nil {
		t.Fatal(err)
	}
	h := r.Chat.OpenAIHosted
	if h == nil || !h.Beta || len(h.Params) != 2 || h.Param != "multi_agent" || string(h.Params[0].Value) != ma || h.Params[1].Name != "moderation" || !r.Chat.OnlyResponsesAPI() {
		t.Fatalf("hosted %+v", h)
	}
	BetaHeader(r.Chat, "responses_multi_agent=v1")
	if h.BetaHeader != "responses_multi_agent=v1" {
		t.Errorf("beta header %q", h.BetaHeader)
	}
	body, err := EncodeUpstream(r.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"multi_agent":` + ma, `"moderation":` + mod} {
		if !strings.Contains(string(body), want) {
			t.Errorf("upstream body %s lacks %s", body, want)
		}
	}
	off, err := DecodeRequest([]byte(`{"model":"m","input":"hi","multi_agent":{"enabled":false}}`))
	if err != nil || off.Chat.OpenAIHosted != nil {
		t.Errorf("multi_agent disabled: %+v, %v", off, err)
	}
	plain, _ := DecodeRequest([]byte(`{"model":"m","input":"hi","prompt":{"id":"p"}}`))
	BetaHeader(plain.Chat, "x")
	if plain.Chat.OpenAIHosted.Beta || plain.Chat.OpenAIHosted.BetaHeader != "" {
		t.Errorf("prompt alone is beta: %+v", plain.Chat.OpenAIHosted)
	}
}

// Malformed beta members are refused with their path, as OpenAI words
// it; a count of input tokens, whose body has neither, refuses them.
func TestBetaParamErrors(t *testing.T) {
	for _, tt := range []struct{ body, param, msg string }{
		{`"multi_agent":true`, "multi_agent", "expected an object, but got a boolean"},
		{`"multi_agent":{}`, "multi_agent.enabled", "Missing required parameter"},
		{`"multi_agent":{"enabled":"yes"}`, "multi_agent.enabled", "expected a boolean"},
		{`"multi_agent":{"enabled":true,"max_concurrent_subagents":0}`, "multi_agent.max_concurrent_subagents", "Expected a value >= 1, but got 0"},
		{`"multi_agent":{"enabled":true,"max_concurrent_subagents":1.5}`, "multi_agent.max_concurrent_subagents", "expected an integer"},
		{`"multi_agent":{"enabled":true,"depth":2}`, "multi_agent.depth", "Unknown parameter"},
		{`"moderation":"omni-moderation-latest"`, "moderation", "expected an object, but got a string"},
		{`"moderation":{}`, "moderation.model", "Missing required parameter"},
		{`"moderation":{"model":"m","policy":{"input":{"mode":"warn"}}}`, "moderation.policy.input.mode", "'score' and 'block'"},
		{`"moderation":{"model":"m","policy":{"output":{}}}`, "moderation.policy.output.mode", "Missing required parameter"},
		{`"moderation":{"model":"m","policy":{"output":"block"}}`, "moderation.policy.output", "expected an object"},
		{`"moderation":{"model":"m","policy":{"input":{"mode":"block","x":1}}}`, "moderation.policy.input.x", "Unknown parameter"},
		{`"moderation":{"model":"m","policy":{"both":{}}}`, "moderation.policy.both", "Unknown parameter"},
	} {
		_, err := DecodeRequest([]byte(`{"model":"m","input":"hi",` + tt.body + `}`))
		if e := llm.AsError(err); e == nil || e.Param != tt.param || !strings.Contains(e.Message, tt.msg) {
			t.Errorf("%s: %v (param %q), want %q at %q", tt.body, err, paramOf(e), tt.msg, tt.param)
		}
	}
	for _, member := range []string{`"multi_agent":{"enabled":true}`, `"moderation":{"model":"m"}`} {
		_, err := DecodeCountRequest([]byte(`{"model":"m","input":"hi",`+member+`}`), Stored{})
		if e := llm.AsError(err); e == nil || e.Code != "unknown_parameter" {
			t.Errorf("count with %s: %v", member, err)
		}
	}
}

func paramOf(e *llm.Error) string {
	if e == nil {
		return ""
	}
	return e.Param
}

// multiAgentStream is a multi-agent answer streamed as the beta API
// writes it: the root agent spawns a subagent, whose message (tagged
// with its agent, its text in deltas) and the spawn's output come back,
// then the root's answer; the response carries its moderation results.
var multiAgentStream = []string{
	`{"type":"response.created","sequence_number":0,"response":{"id":"resp_ma","model":"gpt-5.6","status":"in_progress"}}`,
	`{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"mac_1","type":"multi_agent_call","action":"spawn_agent","arguments":"","call_id":"call_1"}}`,
	`{"type":"response.output_item.done","sequence_number":2,"output_index":0,"item":{"id":"mac_1","type":"multi_agent_call","action":"spawn_agent","arguments":"{\"task\":\"look\"}","call_id":"call_1"}}`,
	`{"type":"response.output_item.added","sequence_number":3,"output_index":1,"item":{"id":"msg_sub","type":"message","status":"in_progress","role":"assistant","content":[],"agent":{"agent_name":"researcher"}}}`,
	`{"type":"response.output_text.delta","sequence_number":4,"output_index":1,"content_index":0,"item_id":"msg_sub","delta":"found it","agent":{"agent_name":"researcher"}}`,
	`{"type":"response.output_item.done","sequence_number":5,"output_index":1,"item":{"id":"msg_sub","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"found it","annotations":[]}],"agent":{"agent_name":"researcher"}}}`,
	`{"type":"response.output_item.done","sequence_number":6,"output_index":2,"item":{"id":"maco_1","type":"multi_agent_call_output","action":"spawn_agent","call_id":"call_1","output":[{"type":"output_text","text":"found it","annotations":[]}]}}`,
	`{"type":"response.output_item.added","sequence_number":7,"output_index":3,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}`,
	`{"type":"response.output_text.delta","sequence_number":8,"output_index":3,"content_index":0,"item_id":"msg_1","delta":"Done."}`,
	`{"type":"response.output_item.done","sequence_number":9,"output_index":3,"item":{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Done.","annotations":[]}]}}`,
	`{"type":"response.completed","sequence_number":10,"response":{"id":"resp_ma","model":"gpt-5.6","status":"completed","moderation":` + moderationResults + `,"usage":{"input_tokens":40,"output_tokens":25,"total_tokens":65}}}`,
}

const moderationResults = `{"input":{"type":"moderation_result","model":"omni-moderation-latest","flagged":false,"categories":{"violence":false},"category_scores":{"violence":0.01},"category_applied_input_types":{"violence":["text"]}},` +
	`"output":{"type":"moderation_result","model":"omni-moderation-latest","flagged":false,"categories":{"violence":false},"category_scores":{"violence":0.02},"category_applied_input_types":{"violence":["text"]}}}`

// A multi-agent answer reaches a Responses client in place: the
// multi-agent items and the subagent's tagged message as OpenAI wrote
// them (the subagent's text is not the answer's), the root's text, the
// moderation results, complete and streamed.
func TestMultiAgentRelay(t *testing.T) {
	r, err := DecodeRequest([]byte(`{"model":"gpt-5.6","input":"look","multi_agent":{"enabled":true},"moderation":{"model":"omni-moderation-latest"}}`))
	if err != nil {
		t.Fatal(err)
	}
	chunks := hostedChunks(t, multiAgentStream)
	var acc llm.Accumulator
	for _, ch := range chunks {
		acc.Add(ch)
	}
	resp := acc.Response()
	m := &resp.Choices[0].Message
	if m.Text() != "Done." || len(m.Hosted()) != 3 || string(resp.Moderation) != moderationResults || resp.Usage.TotalTokens != 65 {
		t.Fatalf("text %q, hosted %d, moderation %s, usage %+v", m.Text(), len(m.Hosted()), resp.Moderation, resp.Usage)
	}
	meta := &Meta{IDs: IDs{Base: "x"}, Model: "gpt-5.6"}
	out := OutputOf(r, resp, meta.IDs)
	whole := AppendResponse(nil, r, meta, &out)
	types := itemTypes(t, outputOf(t, whole))
	if types != "multi_agent_call message/researcher multi_agent_call_output message/" {
		t.Errorf("complete output %s", types)
	}
	if !strings.Contains(string(whole), `"moderation":`+moderationResults) {
		t.Errorf("complete response lacks the moderation: %s", whole)
	}
	s := NewStreamer(r, *meta)
	b := s.Start(nil)
	for _, ch := range chunks {
		b = s.Chunk(b, ch)
	}
	evs := parseEvents(t, s.Finish(b, ""))
	if got := names(evs); got != "created in_progress output_item.added output_item.done output_item.added output_item.done output_item.added output_item.done "+
		"output_item.added content_part.added output_text.delta output_text.done content_part.done output_item.done completed" {
		t.Errorf("events %s", got)
	}
	final, _ := json.Marshal(evs[len(evs)-1].data["response"])
	if types := itemTypes(t, outputOf(t, final)); types != "multi_agent_call message/researcher multi_agent_call_output message/" {
		t.Errorf("streamed output %s", types)
	}
	if !strings.Contains(string(final), `"moderation":{"input":`) {
		t.Errorf("streamed response lacks the moderation: %s", final)
	}
}

// itemTypes lists the output items' types, a message's with its agent.
func itemTypes(t *testing.T, output json.RawMessage) string {
	t.Helper()
	var items []struct {
		Type  string `json:"type"`
		Agent *struct {
			Name string `json:"agent_name"`
		} `json:"agent"`
	}
	if err := json.Unmarshal(output, &items); err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, it := range items {
		if it.Type == ItemMessage {
			name := ""
			if it.Agent != nil {
				name = it.Agent.Name
			}
			s = append(s, it.Type+"/"+name)
			continue
		}
		s = append(s, it.Type)
	}
	return strings.Join(s, " ")
}

// Sent back, the multi-agent items and a subagent's tagged item go
// upstream in place as they came.
func TestMultiAgentItemsSentBack(t *testing.T) {
	sub := `{"id":"msg_sub","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"found it","annotations":[]}],"agent":{"agent_name":"researcher"}}`
	call := `{"id":"mac_1","type":"multi_agent_call","action":"spawn_agent","arguments":"{}","call_id":"call_1"}`
	r, err := DecodeRequest([]byte(`{"model":"m","multi_agent":{"enabled":true},"input":[{"role":"user","content":"look"},` + call + `,` + sub + `,{"role":"assistant","content":"Done."},{"role":"user","content":"more"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Chat.OpenAIHostedTools() || len(r.Chat.Messages[1].Hosted()) != 2 {
		t.Fatalf("messages %+v", r.Chat.Messages)
	}
	body, err := EncodeUpstream(r.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), call+","+sub) {
		t.Errorf("upstream body %s lacks the items in place", body)
	}
}

// A client's output for a subagent's function call (relayed raw, tagged)
// goes upstream raw after it, untagged as the client may send it.
func TestSubagentCallOutput(t *testing.T) {
	sub := `{"id":"fc_sub","type":"function_call","call_id":"call_s","name":"lookup","arguments":"{}","status":"completed","agent":{"agent_name":"researcher"}}`
	out := `{"type":"function_call_output","call_id":"call_s","output":"42"}`
	r, err := DecodeRequest([]byte(`{"model":"m","multi_agent":{"enabled":true},"tools":[{"type":"function","name":"lookup","parameters":{"type":"object"}}],` +
		`"input":[{"role":"user","content":"look"},` + sub + `,` + out + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := EncodeUpstream(r.Chat, UpstreamOptions{})
	if err != nil || !strings.Contains(string(body), sub+","+out) {
		t.Errorf("upstream body %s, %v", body, err)
	}
	if _, err := DecodeRequest([]byte(`{"model":"m","input":[{"role":"user","content":"look"},` + out + `]}`)); err == nil {
		t.Error("an output of no call accepted")
	}
}
