package anthropic

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

const anthropicBlock = `{"type":"compaction","content":"The user plans a trip to Lisbon.","encrypted_content":"opaque-anthropic","signature":"c2ln","tool_changes":[{"type":"tool_removal","tool":{"name":"f"}}]}`

func TestValidateCompaction(t *testing.T) {
	msg := `"messages":[{"role":"user","content":"x"}]`
	for _, c := range []struct {
		name, body, err, code string
	}{
		{"summarize", `{"model":"m","max_tokens":5,"compaction":{"type":"summarize","instructions":"Be brief."},` + msg + `}`, "", ""},
		{"null", `{"model":"m","max_tokens":5,"compaction":null,` + msg + `}`, "", ""},
		{"other type", `{"model":"m","max_tokens":5,"compaction":{"type":"trim"},` + msg + `}`, "compaction: Input tag 'trim' found using 'type' does not match any of the expected tags: 'summarize'", ""},
		{"no type", `{"model":"m","max_tokens":5,"compaction":{},` + msg + `}`, "compaction.type: Field required", ""},
		{"extra field", `{"model":"m","max_tokens":5,"compaction":{"type":"summarize","keep":1},` + msg + `}`, "compaction.summarize.keep: Extra inputs are not permitted", ""},
		{"not an object", `{"model":"m","max_tokens":5,"compaction":"summarize",` + msg + `}`, "compaction: Input should be a valid dictionary", ""},
		{"with context_management", `{"model":"m","max_tokens":5,"compaction":{"type":"summarize"},"context_management":{"edits":[]},` + msg + `}`, "compaction: cannot be combined with context_management", ""},
		{"nothing to summarize", `{"model":"m","max_tokens":5,"compaction":{"type":"summarize"},"messages":[{"role":"assistant","content":[` + anthropicBlock + `]}]}`, "there is nothing to summarize", CodeCompactionNothingToSummarize},
		{"unfinished turn", `{"model":"m","max_tokens":5,"compaction":{"type":"summarize"},"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]}]}`, "not finished", CodeCompactionIncompleteTurn},
		{"block first in an assistant turn", `{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[` + anthropicBlock + `]},{"role":"user","content":"y"}]}`, "", ""},
		{"block after a system message", `{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"s"},{"role":"user","content":[` + anthropicBlock + `,{"type":"text","text":"y"}]}]}`, "", ""},
		{"block later in the turn", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"y"},` + anthropicBlock + `]}]}`, "must be the first block", CodeCompactionMisplaced},
		{"block in a later turn", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[` + anthropicBlock + `]}]}`, "must be the first block", CodeCompactionMisplaced},
		{"block in a system message", `{"model":"m","max_tokens":5,"messages":[{"role":"system","content":[` + anthropicBlock + `]},{"role":"user","content":"x"}]}`, "must be the first block", CodeCompactionMisplaced},
		{"empty content", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"compaction","content":""},{"type":"text","text":"y"}]}]}`, "compaction.content: String should have at least 1 character", ""},
		{"unknown block field", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"compaction","content":"s","extra":1},{"type":"text","text":"y"}]}]}`, "compaction.extra: Extra inputs are not permitted", ""},
		{"tool_changes not a list", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"compaction","content":"s","tool_changes":{}},{"type":"text","text":"y"}]}]}`, "tool_changes: Input should be a valid list", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := DecodeMessagesRequest([]byte(c.body), false)
			if err == nil {
				err = Validate(req)
			}
			checkErr(t, err, c.err, c.code)
		})
	}
}

func TestValidateTaskBudget(t *testing.T) {
	for _, c := range []struct{ budget, err string }{
		{`{"type":"tokens","total":20000}`, ""},
		{`{"type":"tokens","total":64000,"remaining":1000}`, ""},
		{`{"total":64000}`, "output_config.task_budget.type: Field required"},
		{`{"type":"dollars","total":64000}`, "output_config.task_budget.type: Input should be 'tokens'"},
		{`{"type":"tokens"}`, "output_config.task_budget.total: Field required"},
		{`{"type":"tokens","total":19999}`, "output_config.task_budget.total: Input should be greater than or equal to 20000"},
		{`{"type":"tokens","total":30000,"remaining":30001}`, "output_config.task_budget.remaining: must be less than or equal to total"},
		{`{"type":"tokens","total":30000,"remaining":-1}`, "output_config.task_budget.remaining: Input should be greater than or equal to 0"},
		{`{"type":"tokens","total":30000,"spent":1}`, "output_config.task_budget.spent: Extra inputs are not permitted"},
		{`{"type":"tokens","total":"30000"}`, "output_config.task_budget.total: Input should be a valid integer"},
		{`[]`, "output_config.task_budget: Input should be a valid dictionary"},
	} {
		body := `{"model":"m","max_tokens":5,"output_config":{"task_budget":` + c.budget + `},"messages":[{"role":"user","content":"x"}]}`
		req, err := DecodeMessagesRequest([]byte(body), false)
		if err == nil {
			err = Validate(req)
		}
		checkErr(t, err, c.err, "")
	}
}

func checkErr(t *testing.T, err error, want, code string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, want) || e.Code != code {
		t.Fatalf("error %v (code %q), want one saying %q with code %q", err, llm.AsError(err).Code, want, code)
	}
	if code != "" && !strings.Contains(string(AppendError(nil, e, "req_1")), `"details":{"error_code":"`+code+`"}`) {
		t.Fatalf("error body %s lacks details.error_code %s", AppendError(nil, e, "req_1"), code)
	}
}

// TestCompactionBlockToLLM: Anthropic's block stands as its summary for
// every deployment, and goes back whole, in an assistant turn as sent,
// to a Claude model that takes compaction.
func TestCompactionBlockToLLM(t *testing.T) {
	body := `{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[` + anthropicBlock + `]},{"role":"user","content":"Which city?"}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Messages) != 2 || req.Messages[0].Role != llm.RoleUser || req.Messages[0].Text() != CompactionSummaryHeader+"The user plans a trip to Lisbon." {
		t.Fatalf("messages %+v, want the summary as a user message first", req.Messages)
	}
	if c := req.AnthropicCompaction; c == nil || string(c.Block) != anthropicBlock || c.Role != llm.RoleAssistant {
		t.Fatalf("AnthropicCompaction %+v", req.AnthropicCompaction)
	}
	for _, c := range []struct {
		model string
		block bool
	}{{"claude-opus-4-6", true}, {"claude-sonnet-5-5", true}, {"claude-sonnet-4-5", false}, {"claude-opus-4-6@20260101", false}} {
		r := *req
		r.Model = c.model
		out, err := FromLLM(&r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(out)
		sentBlock := strings.Contains(string(b), `"messages":[{"role":"assistant","content":[`+anthropicBlock+`]},{"role":"user","content":[{"type":"text","text":"Which city?"}]}]`)
		if sentBlock != c.block || sentBlock != strings.Contains(strings.Join(out.Betas, ","), CompactBeta) {
			t.Errorf("%s: sent %s with betas %v; want the block (and its beta): %v", c.model, b, out.Betas, c.block)
		}
		if !c.block && !strings.Contains(string(b), "The user plans a trip to Lisbon.") {
			t.Errorf("%s: the summary is not in %s", c.model, b)
		}
	}
}

func TestCompactionBlockNullContentDropped(t *testing.T) {
	body := `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"compaction","content":null,"encrypted_content":null,"signature":null},{"type":"text","text":"hi"}]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Messages) != 1 || req.Messages[0].Text() != "hi" || req.AnthropicCompaction != nil {
		t.Fatalf("messages %+v, compaction %+v: want the failed compaction dropped", req.Messages, req.AnthropicCompaction)
	}
}

func TestOpenCompactions(t *testing.T) {
	body := `{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"compaction","content":"shown","encrypted_content":"swy1.sealed","signature":null}]},{"role":"user","content":"next"}]}`
	open := func(blob string) (string, bool) { return "opened " + blob, blob == "swy1.sealed" }
	mr, _ := DecodeMessagesRequest([]byte(body), false)
	if _, err := RequestToLLM(mr); err == nil || !strings.Contains(err.Error(), "made by this router") {
		t.Fatalf("a router block not opened: %v, want it refused", err)
	}
	if err := OpenCompactions(mr, open); err != nil {
		t.Fatal(err)
	}
	req, err := RequestToLLM(mr)
	if err != nil {
		t.Fatal(err)
	}
	if req.AnthropicCompaction != nil || len(req.Messages) != 2 || req.Messages[0].Text() != CompactionSummaryHeader+"opened swy1.sealed" {
		t.Fatalf("messages %+v: want the sealed summary (not the shown content) as text, and no block to send", req.Messages)
	}
	mr, _ = DecodeMessagesRequest([]byte(strings.Replace(body, "swy1.sealed", "swy1.other", 1)), false)
	err = OpenCompactions(mr, open)
	if e := llm.AsError(err); err == nil || e.Param != "messages.0.content.0.encrypted_content" {
		t.Fatalf("a block that does not open: %v, want a 400 naming its encrypted_content", err)
	}
	mr, _ = DecodeMessagesRequest([]byte(strings.Replace(body, "swy1.sealed", "anthropic", 1)), false)
	if err := OpenCompactions(mr, nil); err != nil || mr.Messages[0].Content[0].Type != BlockCompaction {
		t.Fatalf("Anthropic's block: %v, %+v; want it left for RequestToLLM", err, mr.Messages[0])
	}
}

func TestTaskBudgetFromLLM(t *testing.T) {
	body := `{"model":"m","max_tokens":5,"output_config":{"effort":"high","task_budget":{"type":"tokens", "total":64000}},"messages":[{"role":"user","content":"x"}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for model, sent := range map[string]bool{"claude-opus-4-7": true, "claude-opus-5-5": true, "claude-opus-4-6": false, "claude-opus-4-7@x": false} {
		r := *req
		r.Model = model
		out, err := FromLLM(&r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(out)
		got := strings.Contains(string(b), `"task_budget":{"type":"tokens","total":64000}`)
		if got != sent || got != strings.Contains(strings.Join(out.Betas, ","), TaskBudgetBeta) {
			t.Errorf("%s: sent %s, betas %v; want the budget and its beta: %v", model, b, out.Betas, sent)
		}
	}
}

func TestCompactionAnswerEncodes(t *testing.T) {
	sig := "c2ln"
	a := CompactionAnswer{ID: "msg_1", Model: "claude-opus-4-6", Content: "a <b> & c", EncryptedContent: "e", Signature: &sig,
		Usage: CompactionUsage(10, 0, 2, 5)}
	got := string(a.AppendJSON(nil))
	want := `{"id":"msg_1","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"compaction","content":"a <b> & c","encrypted_content":"e","signature":"c2ln"}],"stop_reason":"compaction","stop_sequence":null,"stop_details":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0,"server_tool_use":null,"iterations":[{"type":"compaction","input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":2,"output_tokens":5}]}}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	ev := string(a.AppendEvents(nil))
	for _, part := range []string{
		"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"compaction\",\"content\":\"\",\"encrypted_content\":\"\",\"signature\":\"c2ln\"}}\n\n",
		"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"compaction_delta\",\"content\":\"a <b> & c\",\"encrypted_content\":\"e\"}}\n\n",
		`"delta":{"stop_reason":"compaction","stop_sequence":null,"stop_details":null}`,
		"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
	} {
		if !strings.Contains(ev, part) {
			t.Errorf("stream lacks %q:\n%s", part, ev)
		}
	}
}

// DecodeRequest refuses a compaction request, which the canonical
// request cannot carry (a batch line forwarded with it would be answered
// as an ordinary request).
func TestDecodeRequestRefusesCompaction(t *testing.T) {
	_, err := DecodeRequest([]byte(`{"model":"m","max_tokens":5,"compaction":{"type":"summarize"},"messages":[{"role":"user","content":"x"}]}`))
	if e := llm.AsError(err); err == nil || e.Param != "compaction" {
		t.Fatalf("%v", err)
	}
}
