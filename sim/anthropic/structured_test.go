package anthropic

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	wire "switchyard/wire/anthropic"
)

// TestStructuredOutput: output_config.format (or the beta's
// output_format) gets a JSON answer that follows the schema, with no
// fence, complete or streamed as text deltas; the prompt instruction gets
// its JSON in a Markdown fence, as Claude models asked by prompt alone
// often write it.
func TestStructuredOutput(t *testing.T) {
	srv, _ := newServer(t)
	schema := `{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city","population"],"additionalProperties":false}`
	const want = `{"city":"example","population":7}`
	for _, field := range []string{`"output_config":{"format":{"type":"json_schema","schema":` + schema + `}}`, `"output_format":{"type":"json_schema","schema":` + schema + `}`} {
		body := `{"model":"` + model + `","max_tokens":100,` + field + `,"messages":[{"role":"user","content":"Biggest city?"}]}`
		m := decodeMessage(t, post(t, srv, "/v1/messages", body).Body)
		if len(m.Content) != 1 || m.Content[0].Text != want || *m.StopReason != wire.StopEndTurn {
			t.Errorf("%s: content %+v", field, m.Content)
		}
		resp := post(t, srv, "/v1/messages", strings.Replace(body, `"max_tokens":100,`, `"max_tokens":100,"stream":true,`, 1))
		_, datas := events(t, resp.Body)
		var text strings.Builder
		for _, d := range datas {
			var ev struct {
				Delta struct{ Type, Text string } `json:"delta"`
			}
			json.Unmarshal([]byte(d), &ev)
			if ev.Delta.Type == wire.DeltaText {
				text.WriteString(ev.Delta.Text)
			}
		}
		if text.String() != want {
			t.Errorf("%s: streamed %q", field, text.String())
		}
	}
	instr := `Respond with a single JSON value that conforms to the JSON Schema below, and nothing else: no prose before or after it and no Markdown code fences.\nJSON Schema:\n` + strings.ReplaceAll(schema, `"`, `\"`)
	m := decodeMessage(t, post(t, srv, "/v1/messages", `{"model":"`+model+`","max_tokens":100,"system":"`+instr+`","messages":[{"role":"user","content":"Biggest city?"}]}`).Body)
	if got := m.Content[0].Text; got != "```json\n"+want+"\n```" {
		t.Errorf("prompted JSON %q, want it fenced", got)
	}
}

// TestStructuredOutputRefused: a schema outside the supported subset, and
// a model without structured outputs, are refused as the API refuses
// them.
func TestStructuredOutputRefused(t *testing.T) {
	srv, _ := newServer(t)
	for _, tc := range []struct{ model, field, want string }{
		{model, `"output_config":{"format":{"type":"json_schema","schema":{"type":"object","properties":{"n":{"type":"integer","minimum":1}},"additionalProperties":false}}}`,
			"output_config.format.schema: For 'integer' type, property 'minimum' is not supported"},
		{model, `"output_format":{"type":"json_schema","schema":{"type":"object"}}`,
			"output_format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false"},
		{model, `"tools":[{"name":"f","input_schema":{"type":"object","properties":{"a":{"type":"array","minItems":3}},"additionalProperties":false},"strict":true}]`,
			"tools.0.custom.input_schema: For 'array' type, 'minItems' values other than 0 or 1 are not supported"},
		{"claude-sim-haiku-3-5", `"output_config":{"format":{"type":"json_schema","schema":{"type":"string"}}}`,
			"output_config.format: claude-sim-haiku-3-5 does not support structured outputs"},
		{"claude-sim-haiku-3-5", `"tools":[{"name":"f","input_schema":{"type":"object","additionalProperties":false},"strict":true}]`,
			"tools.0.strict: claude-sim-haiku-3-5 does not support strict tool use"},
	} {
		resp := post(t, srv, "/v1/messages", `{"model":"`+tc.model+`","max_tokens":100,`+tc.field+`,"messages":[{"role":"user","content":"Hi"}]}`)
		b, _ := io.ReadAll(resp.Body)
		var e struct {
			Error struct{ Type, Message string } `json:"error"`
		}
		json.Unmarshal(b, &e)
		if resp.StatusCode != 400 || e.Error.Type != "invalid_request_error" || e.Error.Message != tc.want {
			t.Errorf("%s: %d %s, want 400 %q", tc.field, resp.StatusCode, b, tc.want)
		}
	}
}
