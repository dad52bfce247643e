package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"

	"switchyard/config"
)

// A batch's answers carry the client's own names, as a live answer does,
// whether the router runs the line or forwards it to the provider's batch
// API: a tool property Claude refuses ("file path", "名前") is renamed on
// the way to Claude and put back in its calls' arguments; a function name
// past OpenAI's 64 characters (Claude Code's mcp__server__tool) is cut on
// the way to OpenAI and given back whole.

// batchFlavours are the two ways a router runs a batch's lines: forwarded
// to the providers' batch APIs (the demo's OpenAI and Anthropic chat
// deployments take them) and run on the router itself.
var batchFlavours = map[string]func(*config.Config){
	"forwarded": nil,
	"router":    localBatches,
}

// batchFlavourEnv is a router on a fresh SQLite store running batches
// as flavour says, polling provider batches every 100 ms, its
// configuration then given edits.
func batchFlavourEnv(t *testing.T, flavour func(*config.Config), edits ...func(*config.Config)) *env {
	t.Helper()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Batches.PollInterval = 100 * time.Millisecond
		for _, edit := range append([]func(*config.Config){flavour}, edits...) {
			if edit != nil {
				edit(c)
			}
		}
	})
	return e
}

// oddPropertiesSchema is a tool's parameters naming properties Claude
// refuses, at the top and nested.
var oddPropertiesSchema = map[string]any{
	"type": "object",
	"properties": map[string]any{
		"file path": map[string]any{"type": "string"},
		"名前":        map[string]any{"type": "string"},
		"row":       map[string]any{"type": "object", "properties": map[string]any{"Total ($M)": map[string]any{"type": "number"}}, "required": []string{"Total ($M)"}},
	},
	"required": []string{"file path", "名前", "row"},
}

// wantOwnPropertyNames fails t unless the arguments args of a call of
// the tool of oddPropertiesSchema use its own property names.
func wantOwnPropertyNames(t *testing.T, how, args string) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal([]byte(args), &got); err != nil {
		t.Fatalf("%s: arguments %q: %v", how, args, err)
	}
	row, _ := got["row"].(map[string]any)
	if _, ok := got["file path"]; !ok || got["名前"] == nil || row == nil || row["Total ($M)"] == nil {
		t.Errorf("%s: arguments %s lack the tool's own names", how, args)
	}
}

// longToolName is a function name past OpenAI's 64 characters.
var longToolName = "mcp__github_enterprise_server__" + strings.Repeat("search_issues_", 5)

func TestBatchToolPropertyNames(t *testing.T) {
	t.Parallel()
	schema, _ := json.Marshal(oddPropertiesSchema)
	body := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Save the row for Ana in /tmp/a.csv"}],` +
		`"tools":[{"type":"function","function":{"name":"save_row","parameters":` + string(schema) + `}}],"tool_choice":"required"}`
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e := batchFlavourEnv(t, flavour)
			created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, batchLine("odd", "/v1/chat/completions", body), nil)
			done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
			if done.RequestCounts.Completed != 1 || done.OutputFileID == "" {
				t.Fatalf("completed = %s", done.RawJSON())
			}
			msg := lineMessage(t, fileLines(t, e.Client, done.OutputFileID)["odd"])
			calls, _ := msg["tool_calls"].([]any)
			if len(calls) != 1 {
				t.Fatalf("message %v, want one tool call", msg)
			}
			fn, _ := calls[0].(map[string]any)["function"].(map[string]any)
			args, _ := fn["arguments"].(string)
			wantOwnPropertyNames(t, "batch line", args)
			wantForwarded(t, e, name, "anthropic")
		})
	}
}

// wantForwarded fails t unless the simulator of wire got one provider
// batch when the flavour is "forwarded", none otherwise.
func wantForwarded(t *testing.T, e *env, flavour, wire string) {
	t.Helper()
	wantProviderBatches(t, e.SimAddr, wire, flavour, 1)
}

// wantProviderBatches fails t unless the simulator of wire at addr
// (simBatchesOf) got n provider batches when the flavour is "forwarded",
// none otherwise.
func wantProviderBatches(t *testing.T, addr, wire, flavour string, n int) {
	t.Helper()
	if flavour != "forwarded" {
		n = 0
	}
	if got := simBatchesOf(t, addr, wire, nil); got.Created != n {
		t.Errorf("%s simulator saw %+v, want %d provider batches", wire, got, n)
	}
}

// A Message Batch's requests, to Claude with properties it refuses and to
// OpenAI with a function name past 64: each result's tool_use carries the
// client's names.
func TestMessageBatchToolNames(t *testing.T) {
	t.Parallel()
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e := batchFlavourEnv(t, flavour)
			c := anthropicClient(e, respKeyA)
			odd := batchItem("odd", "claude-haiku-4-5", "Save the row for Ana in /tmp/a.csv")
			odd.Params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "save_row",
				InputSchema: sdk.ToolInputSchemaParam{Properties: oddPropertiesSchema["properties"], Required: []string{"file path", "名前", "row"}}}}}
			odd.Params.ToolChoice = sdk.ToolChoiceUnionParam{OfAny: &sdk.ToolChoiceAnyParam{}}
			long := batchItem("long", "gpt-4o-mini", "Find the open issues")
			long.Params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: longToolName,
				InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"q": map[string]any{"type": "string"}}, Required: []string{"q"}}}}}
			long.Params.ToolChoice = sdk.ToolChoiceUnionParam{OfTool: &sdk.ToolChoiceToolParam{Name: longToolName}}
			results := runMessageBatch(t, c, odd, long)
			for id, r := range results {
				if r.Result.Type != "succeeded" {
					t.Fatalf("result %s = %s", id, r.RawJSON())
				}
			}
			odds := toolUses(results["odd"].Result.Message)
			if len(odds) != 1 {
				t.Fatalf("odd: content %s", results["odd"].RawJSON())
			}
			wantOwnPropertyNames(t, "message batch", string(odds[0].Input))
			longs := toolUses(results["long"].Result.Message)
			if len(longs) != 1 || longs[0].Name != longToolName {
				t.Errorf("long: content %s, want a call of %s", results["long"].RawJSON(), longToolName)
			}
			wantForwarded(t, e, name, "anthropic")
			wantForwarded(t, e, name, "openai")
		})
	}
}

// runMessageBatch creates a Message Batch of items, awaits its end and
// returns its results by custom_id.
func runMessageBatch(t *testing.T, c sdk.Client, items ...sdk.MessageBatchNewParamsRequest) map[string]sdk.MessageBatchIndividualResponse {
	t.Helper()
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: items})
	if err != nil {
		t.Fatal(err)
	}
	awaitMessageBatch(t, c, created.ID)
	return messageResults(t, c, created.ID)
}

// toolUses are the tool_use blocks of m.
func toolUses(m sdk.Message) []sdk.ToolUseBlock {
	var out []sdk.ToolUseBlock
	for i := range m.Content {
		if b, ok := m.Content[i].AsAny().(sdk.ToolUseBlock); ok {
			out = append(out, b)
		}
	}
	return out
}

// A Message Batch's request to Claude with thinking enabled answers its
// thinking block, signed, as the live answer shows it.
func TestMessageBatchThinkingShown(t *testing.T) {
	t.Parallel()
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e := batchFlavourEnv(t, flavour)
			c := anthropicClient(e, respKeyA)
			item := batchItem("think", "claude-haiku-4-5", "How many primes are below 20?")
			item.Params.MaxTokens = 4096
			item.Params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
			r := runMessageBatch(t, c, item)["think"]
			content := r.Result.Message.Content
			if r.Result.Type != "succeeded" || len(content) < 2 {
				t.Fatalf("result = %s", r.RawJSON())
			}
			if th, ok := content[0].AsAny().(sdk.ThinkingBlock); !ok || th.Thinking == "" || th.Signature == "" {
				t.Errorf("first block %s, want the thinking, signed", content[0].RawJSON())
			}
			wantForwarded(t, e, name, "anthropic")
		})
	}
}

// A batch line naming a dated snapshot of a deployment's model (as Claude
// Code and SDK examples do) resolves as a live request's name does: the
// line is answered by that deployment, forwarded to its batch API.
func TestBatchDatedModelIDs(t *testing.T) {
	t.Parallel()
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e := batchFlavourEnv(t, flavour)
			input := chatLine("claude", "claude-haiku-4-5-20251001", "Capital of Peru?")
			done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil).ID, openai.BatchStatusCompleted)
			if done.RequestCounts.Completed != 1 || done.ErrorFileID != "" {
				t.Fatalf("completed = %s", done.RawJSON())
			}
			if m := lineMessage(t, fileLines(t, e.Client, done.OutputFileID)["claude"]); m["content"] == "" {
				t.Errorf("message %v", m)
			}
			if recs := e.recorded(t, 1); recs[0].Deployment != "claude-haiku-4-5" {
				t.Errorf("recorded on %s, want claude-haiku-4-5", recs[0].Deployment)
			}
			wantForwarded(t, e, name, "anthropic")
		})
	}
}
