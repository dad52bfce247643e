package responses

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// An answer whose text begins before a hosted item (Claude's preamble
// before its web search) is two message items around the item, as the
// stream writes them: the annotations (indexed in the text after the
// item) on the second.
func TestFromResponseTextBeforeHosted(t *testing.T) {
	m := llm.TextMessage(llm.RoleAssistant, "Je cherche.Go est né en 2009.")
	m.SetHosted([]llm.Block{{Raw: json.RawMessage(`{"id":"ws_1","type":"web_search_call","status":"completed"}`), At: len("Je cherche.")}})
	m.SetTextAnnotations(json.RawMessage(`[{"type":"url_citation","start_index":0,"end_index":18,"url":"https://go.dev","title":"Go"}]`))
	out := FromResponse(&llm.Response{Choices: []llm.Choice{{Message: m}}}, IDs{Base: "b"})
	if len(out.Items) != 3 || out.Items[0].Type != ItemMessage || out.Items[0].Text != "Je cherche." || out.Items[0].Annotations != nil ||
		out.Items[1].Type != ItemHosted || out.Items[2].Text != "Go est né en 2009." || out.Items[2].ID != "msg_b_1" || out.Items[2].Annotations == nil {
		t.Errorf("items %+v", out.Items)
	}
}
