package record

import (
	"encoding/json"
	"reflect"
	"testing"

	"switchyard/guard"
	"switchyard/llm"
	"switchyard/store"
)

// TestBodiesHosted checks that the request log keeps an answer's OpenAI
// hosted tool items (each item's JSON, its type) and the text's
// annotations, redacted as the rest of the answer.
func TestBodiesHosted(t *testing.T) {
	answer := llm.TextMessage(llm.RoleAssistant, "Sunny ([example.com](https://example.com/search/weather)).")
	answer.SetHosted([]llm.Block{
		{Raw: json.RawMessage(`{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"weather for jane.doe@example.com"}}`)},
		{Raw: json.RawMessage(`{"type":"code_interpreter_call","id":"ci_1","code":"print('` + configuredSecret + `')","outputs":null}`), At: 5},
	})
	answer.SetTextAnnotations(json.RawMessage(`[{"type":"url_citation","url":"https://example.com/search/weather","title":"Mail jane.doe@example.com","start_index":6,"end_index":54}]`))
	resp := &llm.Response{Choices: []llm.Choice{{Message: answer, FinishReason: llm.FinishStop}}}
	got := Bodies(&Record{Answer: resp}, guard.NewRedactor(configuredSecret)).Answer
	want := &store.BodyAnswer{
		Text: "Sunny ([example.com](https://example.com/search/weather)).", FinishReason: "stop",
		Hosted: []store.BodyHosted{
			{Type: "web_search_call", Item: `{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"weather for [REDACTED:email]"}}`},
			{Type: "code_interpreter_call", Item: `{"type":"code_interpreter_call","id":"ci_1","code":"print('[REDACTED:secret]')","outputs":null}`},
		},
		Annotations: `[{"type":"url_citation","url":"https://example.com/search/weather","title":"Mail [REDACTED:email]","start_index":6,"end_index":54}]`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("answer =\n%+v\nwant\n%+v", got, want)
	}
	for _, h := range got.Hosted {
		if !json.Valid([]byte(h.Item)) {
			t.Errorf("item %s is no longer JSON", h.Item)
		}
	}
}
