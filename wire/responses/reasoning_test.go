package responses

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/store/seal"
)

// testSealer returns a Sealer of tenant under a key made of fill.
func testSealer(t testing.TB, fill byte, tenant string) *Sealer {
	t.Helper()
	keys, err := seal.New(bytes.Repeat([]byte{fill}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return NewSealer(keys, tenant)
}

// thoughtBlocks are an answer's thinking: a block with text, a redacted one.
var thoughtBlocks = []llm.Thinking{{Text: "Weighing the city.", Signature: "sig-1"}, {Redacted: "RED=="}}

// decodeSealed decodes body with sl as the request's Sealer.
func decodeSealed(t *testing.T, body string, sl *Sealer) *Request {
	t.Helper()
	r, err := DecodeRequestStored([]byte(body), Stored{Sealer: sl})
	if err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return r
}

const reasoningBody = `{"model":"m","input":"hi","reasoning":{"effort":"low","summary":"auto"},"include":["reasoning.encrypted_content"]}`

// A complete answer that thought: its reasoning item comes first, its
// summary the text of the blocks that have some, its encrypted_content
// the blocks sealed for the tenant; without summary asked, summary is
// []; without include, no encrypted_content (but the stored items have it).
func TestReasoningItemComplete(t *testing.T) {
	sl := testSealer(t, 1, "acme")
	msg := llm.TextMessage(llm.RoleAssistant, "Sunny.")
	msg.SetThinking(thoughtBlocks)
	msg.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "f", Arguments: "{}"}})
	resp := &llm.Response{Choices: []llm.Choice{{Message: msg, FinishReason: llm.FinishToolCalls}}, Usage: &llm.Usage{CompletionTokens: 9, ReasoningTokens: 7}}
	for _, c := range []struct {
		body        string
		summary     string
		encryptedIn bool
	}{
		{reasoningBody, `[{"type":"summary_text","text":"Weighing the city."}]`, true},
		{`{"model":"m","input":"hi","reasoning":{"effort":"low"},"include":["reasoning.encrypted_content"]}`, `[]`, true},
		{`{"model":"m","input":"hi","reasoning":{"effort":"low","summary":"detailed"}}`, `[{"type":"summary_text","text":"Weighing the city."}]`, false},
	} {
		r := decodeSealed(t, c.body, sl)
		if !r.Chat.Reasoning.Show {
			t.Errorf("%s: the thinking is not asked back", c.body)
		}
		out := OutputOf(r, resp, IDs{Base: "b"})
		var obj struct {
			Output []map[string]json.RawMessage `json:"output"`
			Usage  struct {
				Details struct {
					Reasoning int `json:"reasoning_tokens"`
				} `json:"output_tokens_details"`
			} `json:"usage"`
		}
		if err := json.Unmarshal(AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}}, &out), &obj); err != nil {
			t.Fatal(err)
		}
		if len(obj.Output) != 3 || string(obj.Output[0]["type"]) != `"reasoning"` || string(obj.Output[1]["type"]) != `"message"` || string(obj.Output[2]["type"]) != `"function_call"` {
			t.Fatalf("%s: output %v", c.body, obj.Output)
		}
		rs := obj.Output[0]
		if string(rs["id"]) != `"rs_b"` || string(rs["summary"]) != c.summary || obj.Usage.Details.Reasoning != 7 {
			t.Errorf("%s: reasoning item %s, reasoning_tokens %d", c.body, mapJSON(rs), obj.Usage.Details.Reasoning)
		}
		if _, ok := rs["encrypted_content"]; ok != c.encryptedIn {
			t.Errorf("%s: encrypted_content shown %v", c.body, ok)
		}
		var stored []map[string]json.RawMessage
		if err := json.Unmarshal(StoredOutput(&out), &stored); err != nil {
			t.Fatal(err)
		}
		var blob string
		json.Unmarshal(stored[0]["encrypted_content"], &blob) //nolint:errcheck // checked below
		if got, ok := sl.Open(blob); !ok || len(got) != 2 || got[0] != thoughtBlocks[0] || got[1] != thoughtBlocks[1] {
			t.Errorf("%s: the stored item's blob opens to %v, %v", c.body, got, ok)
		}
	}
}

func mapJSON(m map[string]json.RawMessage) string { b, _ := json.Marshal(m); return string(b) }

// No reasoning asked, or no thinking in the answer: no reasoning item.
func TestReasoningItemOnlyWhenThought(t *testing.T) {
	msg := llm.TextMessage(llm.RoleAssistant, "x")
	msg.SetThinking(thoughtBlocks)
	r := decodeOK(t, `{"model":"m","input":"hi"}`)
	if out := OutputOf(r, &llm.Response{Choices: []llm.Choice{{Message: msg}}}, IDs{Base: "b"}); out.Items[0].Type != ItemMessage {
		t.Errorf("no reasoning asked: %+v", out.Items)
	}
	r = decodeOK(t, reasoningBody)
	if out := OutputOf(r, &llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "x")}}}, IDs{Base: "b"}); len(out.Items) != 1 || out.Items[0].Type != ItemMessage {
		t.Errorf("no thinking: %+v", out.Items)
	}
}

// A blob opens only under its key, for its tenant, unaltered, and only in
// this format.
func TestSealerOpens(t *testing.T) {
	sl := testSealer(t, 1, "acme")
	blob := sl.Seal(thoughtBlocks)
	if !strings.HasPrefix(blob, BlobPrefix) {
		t.Fatalf("blob %q", blob)
	}
	if got, ok := sl.Open(blob); !ok || len(got) != 2 || got[1].Redacted != "RED==" {
		t.Fatalf("own blob: %v %v", got, ok)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(blob, BlobPrefix))
	raw[len(raw)-1] ^= 1
	clear := base64.RawURLEncoding.EncodeToString([]byte(`[{"t":"x","s":"y"}]`))
	for name, b := range map[string]string{
		"other tenant": testSealer(t, 1, "other").Seal(thoughtBlocks),
		"other key":    testSealer(t, 2, "acme").Seal(thoughtBlocks),
		"altered":      BlobPrefix + base64.RawURLEncoding.EncodeToString(raw),
		"clear":        BlobPrefix + clear,
		"openai":       "gAAAAABoExampleOpenAIEncryptedContent==",
		"no prefix":    strings.TrimPrefix(blob, BlobPrefix),
		"empty":        "",
	} {
		if got, ok := sl.Open(b); ok {
			t.Errorf("%s: opened to %v", name, got)
		}
	}
	var none *Sealer
	if none.Seal(thoughtBlocks) != "" || NewSealer(nil, "acme") != nil {
		t.Error("a nil Sealer seals")
	}
	if _, ok := none.Open(blob); ok {
		t.Error("a nil Sealer opens")
	}
}

// A reasoning item sent back whose blob opens puts its thinking on the
// assistant turn the next items make; one that does not open, or has no
// blob, is left out without error; reasoning before a user message is
// dropped.
func TestReasoningInputItems(t *testing.T) {
	sl := testSealer(t, 1, "acme")
	blob, _ := json.Marshal(sl.Seal(thoughtBlocks))
	foreign, _ := json.Marshal(testSealer(t, 1, "other").Seal(thoughtBlocks))
	loop := func(encrypted string) string {
		return `{"model":"m","input":[{"role":"user","content":"weather?"},` +
			`{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Weighing the city."}],"content":null` + encrypted + `,"status":"completed"},` +
			`{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c1","output":"18C"}]}`
	}
	for _, c := range []struct {
		name, body string
		want       int
	}{
		{"opens", loop(`,"encrypted_content":` + string(blob)), 2},
		{"other tenant", loop(`,"encrypted_content":` + string(foreign)), 0},
		{"openai's", loop(`,"encrypted_content":"gAAAAABfoo"`), 0},
		{"null", loop(`,"encrypted_content":null`), 0},
		{"none", loop(``), 0},
		{"before a user message", `{"model":"m","input":[{"type":"reasoning","summary":[],"encrypted_content":` + string(blob) + `},{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}`, 0},
		{"before an assistant message", `{"model":"m","input":[{"role":"user","content":"hi"},{"type":"reasoning","summary":[],"encrypted_content":` + string(blob) + `},{"role":"assistant","content":"yo"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"}]}`, 2},
	} {
		r := decodeSealed(t, c.body, sl)
		var got []llm.Thinking
		for _, m := range r.Chat.Messages {
			if m.Role == llm.RoleAssistant {
				got = m.Thinking()
			}
		}
		if len(got) != c.want || c.want > 0 && got[0] != thoughtBlocks[0] {
			t.Errorf("%s: the assistant turn's thinking %v, want %d blocks", c.name, got, c.want)
		}
	}
}

// A stored response's reasoning item (its blob always kept) gives its
// thinking back to the turn that continues it.
func TestReasoningContinued(t *testing.T) {
	sl := testSealer(t, 1, "acme")
	r := decodeSealed(t, `{"model":"m","input":"weather?","reasoning":{"effort":"low"}}`, sl)
	msg := llm.Message{Role: llm.RoleAssistant}
	msg.SetThinking(thoughtBlocks)
	msg.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: "f", Arguments: "{}"}})
	out := OutputOf(r, &llm.Response{Choices: []llm.Choice{{Message: msg, FinishReason: llm.FinishToolCalls}}}, IDs{Base: "b"})
	input, err := StoredInput(r, IDs{Base: "b"})
	if err != nil {
		t.Fatal(err)
	}
	prior := &Prior{Input: input, Output: StoredOutput(&out)}
	next, err := DecodeRequestStored([]byte(`{"model":"m","previous_response_id":"resp_b","input":[{"type":"function_call_output","call_id":"c1","output":"18C"}]}`),
		Stored{Previous: func(string) (*Prior, error) { return prior, nil }, Sealer: sl})
	if err != nil {
		t.Fatal(err)
	}
	if got := next.Chat.Messages[1].Thinking(); len(got) != 2 || got[0] != thoughtBlocks[0] {
		t.Errorf("continued turn's thinking %v in %s", got, prior.Output)
	}
	// A reasoning item sent back is stored with an rs_ id.
	again := decodeSealed(t, `{"model":"m","input":[{"type":"reasoning","id":"rs_x","summary":[],"encrypted_content":"e"},{"role":"user","content":"go on"}]}`, sl)
	if in, err := StoredInput(again, IDs{Base: "c"}); err != nil || !strings.Contains(string(in), `"id":"rs_c_i0"`) || !strings.Contains(string(in), `"encrypted_content":"e"`) {
		t.Errorf("stored input %s, %v", in, err)
	}
}
