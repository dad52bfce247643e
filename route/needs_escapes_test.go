package route

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// A part naming a file by id, or a request asking for a spoken answer,
// whose key or value is spelled with a \u escape of a letter or whose key
// is in another case (valid JSON that encoding/json, and the upstream
// for the escape, read as the plain one) needs what the plain one needs:
// the byte tests before their decodes passed over them, and the request
// was routed to deployments that cannot serve it.
func TestNeedsOfEscapedOrFoldedKeys(t *testing.T) {
	for _, raw := range []string{
		`{"type":"file","file":{"file\u005fid":"file-abc"}}`,
		`{"type":"file","file":{"File_Id":"file-abc"}}`,
	} {
		msg := llm.Message{Role: llm.RoleUser, Content: []llm.Part{llm.OtherPart(json.RawMessage(raw))}}
		if n := NeedsOf(&llm.Request{Messages: []llm.Message{msg}}); n&NeedFileID == 0 {
			t.Errorf("%s: needs %s, want file id", raw, n)
		}
	}
	for _, modalities := range []string{`["text","\u0061udio"]`, `["text","au\u0064io"]`} {
		extra := map[string]json.RawMessage{"modalities": json.RawMessage(modalities)}
		if n := NeedsOf(&llm.Request{Extra: extra}); n&NeedAudio == 0 {
			t.Errorf("modalities %s: needs %s, want audio", modalities, n)
		}
	}
	extra := map[string]json.RawMessage{"modalities": json.RawMessage(`["text","caf\u00e9"]`)}
	if n := NeedsOf(&llm.Request{Extra: extra}); n&NeedAudio != 0 {
		t.Errorf("modalities without audio: needs %s", n)
	}
}
