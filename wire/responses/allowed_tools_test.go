package responses

import (
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

// allowedRequest restricts the model to two of its three client tools.
const allowedRequest = `{"model":"gpt-5","input":"weather?","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{}}},
	{"type":"function","name":"get_time","parameters":{"type":"object","properties":{}}},{"type":"custom","name":"apply_patch"},{"type":"shell"}],
	"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"get_weather"},{"type":"custom","name":"apply_patch"},{"type":"shell"}]}}`

// An allowed_tools choice decodes to the names it allows, with every
// tool kept, and reaches the Responses upstream as the client wrote it.
func TestAllowedToolsChoice(t *testing.T) {
	r, err := DecodeRequest([]byte(allowedRequest))
	if err != nil {
		t.Fatal(err)
	}
	tc := r.Chat.ToolChoice
	if tc == nil || tc.Mode != llm.ToolChoiceRequired || !slices.Equal(tc.Allowed, []string{"get_weather", "apply_patch", "shell"}) || len(r.Chat.Tools) != 4 {
		t.Fatalf("tool_choice %+v, %d tools", tc, len(r.Chat.Tools))
	}
	body, err := EncodeUpstream(r.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const want = `"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"get_weather"},{"type":"custom","name":"apply_patch"},{"type":"shell"}]}`
	if !strings.Contains(string(body), want) || !strings.Contains(string(body), `"name":"get_time"`) {
		t.Errorf("upstream body %s", body)
	}
}

// One naming a hosted tool is kept as written for the upstream, the
// client tools it names allowed besides.
func TestAllowedToolsHosted(t *testing.T) {
	const choice = `{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"},{"type":"function","name":"f"}]}`
	r, err := DecodeRequest([]byte(`{"model":"gpt-5","input":"hi","tools":[{"type":"web_search"},{"type":"function","name":"f"},{"type":"function","name":"g"}],"tool_choice":` + choice + `}`))
	if err != nil {
		t.Fatal(err)
	}
	if tc := r.Chat.ToolChoice; tc == nil || !slices.Equal(tc.Allowed, []string{"f"}) || string(r.Chat.OpenAIHosted.ToolChoice) != choice {
		t.Fatalf("tool_choice %+v, hosted %s", tc, r.Chat.OpenAIHosted.ToolChoice)
	}
	body, err := EncodeUpstream(r.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"tool_choice":`+choice) {
		t.Errorf("upstream body %s", body)
	}
}
