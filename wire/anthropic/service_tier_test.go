package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// A client's service_tier is the canonical tier (auto → auto,
// standard_only → default); any other value is refused as the API
// refuses it.
func TestRequestServiceTier(t *testing.T) {
	for tier, want := range map[string]llm.ServiceTier{"auto": llm.TierAuto, "standard_only": llm.TierDefault, "": ""} {
		body := `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]`
		if tier != "" {
			body += `,"service_tier":"` + tier + `"`
		}
		req, err := DecodeMessagesRequest([]byte(body+`}`), false)
		if err != nil {
			t.Fatal(err)
		}
		out, err := RequestToLLM(req)
		if err != nil || out.ServiceTier != want {
			t.Errorf("%q: tier %q, %v", tier, out.ServiceTier, err)
		}
	}
	req, err := DecodeMessagesRequest([]byte(`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"service_tier":"priority"}`), false)
	if err == nil {
		_, err = RequestToLLM(req)
	}
	if e := llm.AsError(err); err == nil || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, "service_tier: Input should be 'auto' or 'standard_only'") {
		t.Errorf("priority: %v", err)
	}
}

// FromLLM asks Claude for priority capacity (auto) when the client asked
// for auto, priority or scale, and for standard_only when it asked for
// default or flex; nothing when it asked nothing.
func TestFromLLMServiceTier(t *testing.T) {
	for tier, want := range map[llm.ServiceTier]string{
		llm.TierAuto: "auto", llm.TierPriority: "auto", llm.TierScale: "auto", llm.TierFast: "auto",
		llm.TierDefault: "standard_only", llm.TierFlex: "standard_only", "": "",
	} {
		out, err := FromLLM(&llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}, ServiceTier: tier})
		if err != nil || out.ServiceTier != want {
			t.Errorf("%q: sent %q, want %q (%v)", tier, out.ServiceTier, want, err)
		}
	}
}

// The tier usage names is the response's and its usage's (standard →
// default, priority, batch), in a whole message and on every chunk of a
// stream (message_start says it).
func TestUsageServiceTierToLLM(t *testing.T) {
	for tier, want := range map[string]llm.ServiceTier{"standard": llm.TierDefault, "priority": llm.TierPriority, "batch": llm.TierBatch, "": ""} {
		r := ToLLM(&MessagesResponse{ID: "msg_1", Model: "m", Content: Blocks{{Type: BlockText, Text: "Hi"}}, Usage: Usage{InputTokens: 1, OutputTokens: 1, ServiceTier: tier}})
		if r.ServiceTier != want || r.Usage.ServiceTier != want {
			t.Errorf("%q: response tier %q, usage tier %q", tier, r.ServiceTier, r.Usage.ServiceTier)
		}
	}
	tr := &StreamTranslator{}
	var chunks []*llm.Chunk
	for _, ev := range []string{
		`{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"priority"}}}`,
		`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}`,
		`{"type":"content_block_stop","index":0}`,
		`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}`,
		`{"type":"message_stop"}`,
	} {
		cs, err := tr.Translate("", []byte(ev))
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, cs...)
	}
	for i, c := range chunks {
		if c.ServiceTier != llm.TierPriority || c.Usage != nil && c.Usage.ServiceTier != llm.TierPriority {
			t.Errorf("chunk %d: tier %q, usage %+v", i, c.ServiceTier, c.Usage)
		}
	}
}

// An Anthropic client reads usage.service_tier where the API writes it
// (after server_tool_use): priority and batch as served, standard for any
// other tier or none, in a whole message and in message_start.
func TestAppendUsageServiceTier(t *testing.T) {
	for tier, want := range map[llm.ServiceTier]string{llm.TierPriority: "priority", llm.TierBatch: "batch", llm.TierDefault: "standard", llm.TierFlex: "standard", "": "standard"} {
		resp := &llm.Response{ID: "c", Model: "m", ServiceTier: tier, Usage: &llm.Usage{PromptTokens: 1, CompletionTokens: 1, ServiceTier: tier},
			Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "Hi"), FinishReason: llm.FinishStop}}}
		if got := string(AppendResponse(nil, resp, "msg_1")); !strings.HasSuffix(got, `,"service_tier":"`+want+`","inference_geo":"not_available","speed":"standard"},"container":null,"diagnostics":null}`) {
			t.Errorf("%q: %s", tier, got)
		}
		enc := StreamEncoder{RequestID: "req_1", Model: "m"}
		got := string(enc.Chunk(nil, &llm.Chunk{ID: "c", Model: "m", ServiceTier: tier, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}}))
		if !strings.Contains(got, `"server_tool_use":null,"service_tier":"`+want+`","inference_geo":"not_available","speed":"standard"},"container":null,"diagnostics":null}}`) {
			t.Errorf("%q: message_start %s", tier, got)
		}
	}
}

// A container member is carried only when it names a container: absent
// and null are none.
func TestContainerOf(t *testing.T) {
	for raw, want := range map[string]string{"": "", "null": "", " null ": "", `{"id":"container_1"}`: `{"id":"container_1"}`} {
		if got := string(ContainerOf(json.RawMessage(raw))); got != want {
			t.Errorf("ContainerOf(%q) = %q, want %q", raw, got, want)
		}
	}
	var m MessagesResponse
	if err := json.Unmarshal([]byte(`{"id":"msg_1","content":[],"usage":{},"container":{"id":"container_9","expires_at":"2026-12-06T05:00:00Z","skills":[]}}`), &m); err != nil {
		t.Fatal(err)
	}
	resp := ToLLM(&m)
	if !strings.Contains(string(resp.Container), "container_9") || !strings.Contains(string(AppendResponse(nil, resp, "msg_1")), `"container":{"id":"container_9"`) {
		t.Errorf("container %s not carried through", resp.Container)
	}
}
