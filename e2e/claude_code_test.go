package e2e

import (
	"encoding/json"
	"net/http"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
)

// Claude Code's requests, as the CLI sends them to ANTHROPIC_BASE_URL,
// read from the gateways' issue threads where they broke
// (anthropics/claude-code#11678 #21767, 9router#1468, copilot-api#305,
// qwen-code#4020…): POST /v1/messages?beta=true with its anthropic-beta
// list, x-app: cli and the browser-access header; system blocks cached,
// the identity block with the global scope of the prompt-caching-scope
// beta; metadata.user_id; thinking, output_config.effort and a
// clear_thinking_20251015 edit; custom tools with eager_input_streaming,
// input_examples and cache_control; tool_choice auto.

// claudeCodeBetas is the anthropic-beta header of a Claude Code request.
const claudeCodeBetas = "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14,context-management-2025-06-27,prompt-caching-scope-2026-01-05,effort-2025-11-24"

// claudeCodeKeptBetas are those a Claude deployment is sent: all but
// claude-code-20250219, which names the client and changes nothing.
const claudeCodeKeptBetas = "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14,prompt-caching-scope-2026-01-05,effort-2025-11-24,context-management-2025-06-27"

// claudeCodeTools are custom tools as Claude Code declares them.
const claudeCodeTools = `[
	{"name":"Bash","description":"Executes a bash command.","input_schema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
		"properties":{"command":{"type":"string","description":"The command to execute"}},"required":["command"]},
	 "eager_input_streaming":true,"input_examples":[{"command":"ls -la"}]},
	{"name":"Read","description":"Reads a file.","input_schema":{"type":"object","additionalProperties":false,
		"properties":{"file_path":{"type":"string"}},"required":["file_path"]},
	 "cache_control":{"type":"ephemeral"}}]`

// claudeCodeSystem is Claude Code's system prompt: the billing line, the
// identity block cached in the global scope, the instructions cached.
const claudeCodeSystem = `[
	{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.90.abc; cc_entrypoint=cli;"},
	{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.","cache_control":{"type":"ephemeral","scope":"global"}},
	{"type":"text","text":"You are an interactive CLI tool that helps users with software engineering tasks.","cache_control":{"type":"ephemeral"}}]`

// claudeCodeCall is one Claude Code request.
type claudeCodeCall struct {
	model     string
	maxTokens int64  // 32000 by default; CLAUDE_CODE_MAX_OUTPUT_TOKENS sets it
	thinking  string // the thinking object; budget max_tokens-1 by default
	messages  []any
}

// body is the request's body, stream as asked.
func (cc claudeCodeCall) body(t *testing.T, stream bool) map[string]any {
	t.Helper()
	maxTokens := cc.maxTokens
	if maxTokens == 0 {
		maxTokens = 32000
	}
	thinking := cc.thinking
	if thinking == "" {
		b, _ := json.Marshal(map[string]any{"type": "enabled", "budget_tokens": maxTokens - 1})
		thinking = string(b)
	}
	return map[string]any{
		"model": cc.model, "max_tokens": maxTokens, "stream": stream, "messages": cc.messages,
		"system": json.RawMessage(claudeCodeSystem), "tools": json.RawMessage(claudeCodeTools),
		"tool_choice":        map[string]any{"type": "auto"},
		"metadata":           map[string]any{"user_id": claudeCodeUserID},
		"thinking":           json.RawMessage(thinking),
		"output_config":      map[string]any{"effort": "high"},
		"context_management": map[string]any{"edits": []any{map[string]any{"type": "clear_thinking_20251015", "keep": "all"}}},
	}
}

// claudeCodeOptions are the request options of a Claude Code call with
// body: its headers, ?beta=true, the body as written; the response into
// resp.
func claudeCodeOptions(t *testing.T, body map[string]any, resp **http.Response) []sdkoption.RequestOption {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return []sdkoption.RequestOption{
		sdkoption.WithHeader("anthropic-beta", claudeCodeBetas),
		sdkoption.WithHeader("x-app", "cli"),
		sdkoption.WithHeader("anthropic-dangerous-direct-browser-access", "true"),
		sdkoption.WithHeader("User-Agent", "claude-cli/2.1.90 (external, cli)"),
		sdkoption.WithQuery("beta", "true"),
		sdkoption.WithRequestBody("application/json", raw),
		sdkoption.WithResponseInto(resp),
	}
}

// claudeCodeUserTurn is a user turn as Claude Code writes it: a
// system-reminder block, then the prompt, cached when it is the last
// turn (Claude Code moves that breakpoint to the latest turn).
func claudeCodeUserTurn(text string, last bool) any {
	prompt := map[string]any{"type": "text", "text": text}
	if last {
		prompt["cache_control"] = map[string]any{"type": "ephemeral"}
	}
	return map[string]any{"role": "user", "content": []any{
		map[string]any{"type": "text", "text": "<system-reminder>As you answer the user's questions, you can use the following context.</system-reminder>"},
		prompt,
	}}
}

// ask sends cc complete and returns the answer and the response.
func (cc claudeCodeCall) ask(t *testing.T, c sdk.Client) (*sdk.BetaMessage, *http.Response) {
	t.Helper()
	var resp *http.Response
	msg, err := c.Beta.Messages.New(ctxT(t), sdk.BetaMessageNewParams{}, claudeCodeOptions(t, cc.body(t, false), &resp)...)
	if err != nil {
		t.Fatalf("%s: %v", cc.model, err)
	}
	return msg, resp
}

// askStreamed sends cc streamed and returns the accumulated answer and
// the response.
func (cc claudeCodeCall) askStreamed(t *testing.T, c sdk.Client) (*sdk.BetaMessage, *http.Response) {
	t.Helper()
	var resp *http.Response
	stream := c.Beta.Messages.NewStreaming(ctxT(t), sdk.BetaMessageNewParams{}, claudeCodeOptions(t, cc.body(t, true), &resp)...)
	var msg sdk.BetaMessage
	for stream.Next() {
		if err := msg.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("%s, streamed: %v", cc.model, err)
	}
	return &msg, resp
}
