package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// TestDecodeHostedTools checks that OpenAI's hosted tools are kept as
// the client wrote them, apart from the function tools, with a
// tool_choice naming one and the include values asking for their
// outputs.
func TestDecodeHostedTools(t *testing.T) {
	body := `{"model":"m","input":"hi","tools":[{"type":"function","name":"f"},{"type":"web_search","search_context_size":"low"},` +
		`{"type":"code_interpreter","container":{"type":"auto"}}],"tool_choice":{"type":"web_search"},` +
		`"include":["web_search_call.action.sources","reasoning.encrypted_content"]}`
	r, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	req := r.Chat
	if len(req.Tools) != 1 || req.Tools[0].Name != "f" {
		t.Errorf("function tools %+v", req.Tools)
	}
	h := req.OpenAIHosted
	if h == nil || len(h.Tools) != 2 || string(h.Tools[0]) != `{"type":"web_search","search_context_size":"low"}` ||
		string(h.Tools[1]) != `{"type":"code_interpreter","container":{"type":"auto"}}` {
		t.Fatalf("hosted %+v", h)
	}
	if string(h.ToolChoice) != `{"type":"web_search"}` || req.ToolChoice != nil {
		t.Errorf("tool_choice %s / %+v", h.ToolChoice, req.ToolChoice)
	}
	if strings.Join(h.Include, ",") != "web_search_call.action.sources" {
		t.Errorf("include %v", h.Include)
	}
	if !req.OpenAIHostedTools() {
		t.Error("request does not say it holds hosted tools")
	}
	plain, err := DecodeRequest([]byte(`{"model":"m","input":"hi","include":["web_search_call.action.sources"]}`))
	if err != nil || plain.Chat.OpenAIHosted != nil {
		t.Errorf("no hosted tool: %+v, %v", plain.Chat.OpenAIHosted, err)
	}
	only, err := DecodeRequest([]byte(`{"model":"m","input":"hi","tools":[{"type":"web_search"}],"tool_choice":"required"}`))
	if err != nil || only.Chat.ToolChoice == nil || len(only.Chat.OpenAIHosted.Tools) != 1 {
		t.Errorf("hosted tool alone, required: %+v, %v", only.Chat, err)
	}
}

// prompt and context_management are kept as sent, name the request as
// OpenAI-only, and go upstream as they came; a stored prompt may be the
// whole request (no input, no instructions).
func TestHostedParams(t *testing.T) {
	prompt := `{"id":"pmpt_1","version":"2","variables":{"city":"Paris"}}`
	cm := `[{"type":"compaction","compact_threshold":2000}]`
	r, err := DecodeRequest([]byte(`{"model":"m","input":"hi","prompt":` + prompt + `,"context_management":` + cm + `}`))
	if err != nil {
		t.Fatal(err)
	}
	h := r.Chat.OpenAIHosted
	if h == nil || len(h.Params) != 2 || h.Param != "prompt" || string(h.Params[0].Value) != prompt || h.Params[1].Name != "context_management" || !r.Chat.OpenAIHostedTools() {
		t.Fatalf("hosted %+v", h)
	}
	body, err := EncodeUpstream(r.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"prompt":` + prompt, `"context_management":` + cm, `"input":[`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("upstream body %s lacks %s", body, want)
		}
	}
	if strings.Contains(string(body), `"tools"`) {
		t.Errorf("upstream body %s has tools", body)
	}
	alone, err := DecodeRequest([]byte(`{"model":"m","prompt":{"id":"pmpt_1"}}`))
	if err != nil || len(alone.Chat.Messages) != 0 {
		t.Fatalf("prompt alone: %+v, %v", alone, err)
	}
	body, err = EncodeUpstream(alone.Chat, UpstreamOptions{})
	if err != nil || string(body) != `{"model":"m","prompt":{"id":"pmpt_1"},"store":false,"stream":true}` {
		t.Errorf("prompt alone upstream %s, %v", body, err)
	}
	if _, err := DecodeRequest([]byte(`{"model":"m","context_management":[{"type":"compaction"}]}`)); err == nil {
		t.Error("context_management without input accepted")
	}
}

// A count of input tokens refuses a stored prompt, which the router
// cannot read.
func TestCountRefusesPrompt(t *testing.T) {
	_, err := DecodeCountRequest([]byte(`{"model":"m","input":"hi","prompt":{"id":"pmpt_1"}}`), Stored{})
	if e := llm.AsError(err); e == nil || e.Param != "prompt" || !strings.Contains(e.Message, "cannot be counted") {
		t.Errorf("count with prompt: %v", err)
	}
}

// A compaction item OpenAI wrote (context_management) comes back in
// place as written, and sent back it is kept raw for OpenAI (the
// request then goes to an OpenAI Responses deployment only); one in the
// router's own format that does not open is still a 400.
func TestOpenAICompactionItem(t *testing.T) {
	item := `{"id":"cmp_1","type":"compaction","encrypted_content":"gAAAAABcmp"}`
	resp, err := DecodeUpstreamResponse([]byte(`{"id":"resp_1","status":"completed","output":[` + item + `,{"type":"message","content":[{"type":"output_text","text":"Hi"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := &resp.Choices[0].Message
	if h := m.Hosted(); len(h) != 1 || string(h[0].Raw) != item || m.Text() != "Hi" {
		t.Fatalf("hosted %+v text %q", h, m.Text())
	}
	r, err := DecodeRequest([]byte(`{"model":"m","input":[{"role":"user","content":"a"},` + item + `,{"role":"user","content":"b"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if msgs := r.Chat.Messages; len(msgs) != 3 || len(msgs[1].Hosted()) != 1 || string(msgs[1].Hosted()[0].Raw) != item || !r.Chat.OpenAIHostedTools() {
		t.Errorf("messages %+v", msgs)
	}
	body, err := EncodeUpstream(r.Chat, UpstreamOptions{})
	if err != nil || !strings.Contains(string(body), item) {
		t.Errorf("upstream %s, %v", body, err)
	}
	_, err = DecodeRequest([]byte(`{"model":"m","input":[{"type":"compaction","encrypted_content":"` + BlobPrefix + `AAAA"}]}`))
	if e := llm.AsError(err); e == nil || e.Param != "input[0].encrypted_content" {
		t.Errorf("a router blob that does not open: %v", err)
	}
}
