package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// compactInput is a coding session: a request, a tool call and its
// result, the assistant's reply, and a second request.
func compactInput() []responses.ResponseInputItemUnionParam {
	return []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("Fix the failing test in parser_test.go, please.", responses.EasyInputMessageRoleUser),
		responses.ResponseInputItemParamOfFunctionCall(`{"path":"parser_test.go"}`, "call_read_1", "read_file"),
		{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String("call_read_1"),
			Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String("func TestParse(t *testing.T) { ... }")}}},
		responses.ResponseInputItemParamOfMessage("The test expected a trailing newline; I fixed parse.go.", responses.EasyInputMessageRoleAssistant),
		responses.ResponseInputItemParamOfMessage("Now update the README too.", responses.EasyInputMessageRoleUser),
	}
}

// Codex CLI's compaction (POST /v1/responses/compact) on a Claude
// deployment: the answer is the user messages and a compaction item whose
// summary the routed model wrote from the whole session (tool calls and
// results as text, so no tools are needed); another replica sharing the
// key continues the session from those items on another provider, the
// summary in the model's input; a router with another key refuses the
// item rather than lose the context silently.
func TestResponsesCompaction(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, withSharedKey)
	other, otherTap := newTapEnv(t, withSharedKey)
	stranger := newEnv(t, nil)
	c, err := e.Client.Responses.Compact(ctxT(t), responses.ResponseCompactParams{Model: "claude-sonnet-4-5",
		Input: responses.ResponseCompactParamsInputUnion{OfResponseInputItemArray: compactInput()}})
	if err != nil {
		t.Fatal(err)
	}
	n := len(c.Output)
	if c.Object != "response.compaction" || !strings.HasPrefix(c.ID, "resp_") || n != 3 || c.Usage.InputTokens == 0 {
		t.Fatalf("compacted %s", c.RawJSON())
	}
	if m := c.Output[0].AsMessage(); c.Output[0].Type != "message" || m.Role != "user" || !strings.Contains(c.Output[1].RawJSON(), "README") {
		t.Errorf("user messages %s", c.RawJSON())
	}
	item := c.Output[n-1].AsCompaction()
	if c.Output[n-1].Type != "compaction" || !strings.HasPrefix(item.ID, "cmp_") || !strings.HasPrefix(item.EncryptedContent, "swy1.") {
		t.Fatalf("compaction item %s", c.Output[n-1].RawJSON())
	}
	sent := string(mustJSON(tp.lastBody(t, "/v1/messages")))
	if !strings.Contains(sent, "parser_test.go") || !strings.Contains(sent, "called read_file as call_read_1") || strings.Contains(sent, `"tools"`) {
		t.Errorf("the summary request: %.600s", sent)
	}

	next := []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("Fix the failing test in parser_test.go, please.", responses.EasyInputMessageRoleUser),
		responses.ResponseInputItemParamOfMessage("Now update the README too.", responses.EasyInputMessageRoleUser),
		responses.ResponseInputItemParamOfCompaction(item.EncryptedContent),
		responses.ResponseInputItemParamOfMessage("What did we change so far?", responses.EasyInputMessageRoleUser),
	}
	params := responses.ResponseNewParams{Model: "gpt-4o-mini", Input: responses.ResponseNewParamsInputUnion{OfInputItemList: next}}
	got, err := other.Client.Responses.New(ctxT(t), params)
	if err != nil || got.OutputText() == "" {
		t.Fatalf("continued on another replica: %v", err)
	}
	var chat struct {
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(mustJSON(otherTap.lastBody(t, "/chat/completions")), &chat); err != nil || len(chat.Messages) != 4 ||
		!strings.Contains(string(chat.Messages[2].Content), "Summary of the conversation before this point") {
		t.Errorf("the continued request: %+v (%v)", chat.Messages, err)
	}

	_, err = stranger.Client.Responses.New(ctxT(t), params)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Param != "input[2].encrypted_content" {
		t.Errorf("a compaction item under another key: %v", err)
	}
}
