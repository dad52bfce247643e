package anthropic

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file is the simulated model's extended thinking: the thinking it
// writes (longer for a larger budget), the signatures that vouch for it,
// and the check that a thinking block sent back in a later turn is one it
// wrote, unaltered, as the real API checks.

// RedactedThinkingTrigger is the string Anthropic documents for testing:
// a prompt holding it gets a redacted_thinking block.
const RedactedThinkingTrigger = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253"

// signingKey signs the simulator's thinking. It is fixed, so that any
// simulator instance accepts what another wrote; a client cannot forge a
// signature without it, so an altered thinking text fails the check.
var signingKey = []byte("switchyard-sim-thinking-signature")

// sign returns the signature of a thinking block's text (or a redacted
// block's payload), in the shape of the real API's opaque base64.
func sign(kind, text string) string {
	m := hmac.New(sha256.New, signingKey)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(text))
	return "EqQBCkgIARABGAIiQ" + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// redactedData is the opaque payload of a redacted_thinking block: the
// encrypted thinking, here its text encoded with its signature appended.
func redactedData(text string) string {
	return base64.StdEncoding.EncodeToString([]byte(text)) + "." + sign(wire.BlockRedactedThinking, text)
}

// checkRedacted reports whether data is a redacted_thinking payload the
// simulator wrote.
func checkRedacted(data string) bool {
	enc, sig, ok := strings.Cut(data, ".")
	if !ok {
		return false
	}
	text, err := base64.StdEncoding.DecodeString(enc)
	return err == nil && hmac.Equal([]byte(sig), []byte(sign(wire.BlockRedactedThinking, string(text))))
}

// thinkingBudget is the budget the request allows: budget_tokens, or for
// adaptive thinking medium's 8192.
func thinkingBudget(th *wire.Thinking) int {
	if th.Type == wire.ThinkingEnabled {
		return th.BudgetTokens
	}
	return 8192
}

// thinkingText is what the model thinks about prompt with budget tokens:
// one line per 1024 tokens of budget, so a larger budget thinks (and
// bills) more.
func thinkingText(prompt string, budget int) string {
	var b strings.Builder
	b.WriteString("Let me think about how to answer: ")
	b.WriteString(firstLine(prompt, 80))
	steps := []string{
		" First, what is being asked.", " Then, what I know about it.", " Next, what could go wrong.",
		" Checking the details once more.", " Weighing the likeliest reading.", " Settling on a short answer.",
	}
	for i := 0; i < budget/1024; i++ {
		b.WriteString(steps[i%len(steps)])
	}
	return b.String()
}

// think sets the thinking the answer to g starts with: a signed thinking
// block, and a redacted_thinking block when the prompt holds
// RedactedThinkingTrigger; none unless thinking is on. g.thought counts
// what it costs, which the API bills inside output_tokens: all that the
// model thought, shown or not.
//
// A model of generation 5 thinks without being asked (adaptive thinking
// is its default), unless a forced tool call skips it, and shows its
// thinking only when asked (display "omitted" is its default);
// between_tools writes no thinking up front.
func think(g *generation) {
	th, t := g.req.Thinking, wire.ModelTraits(g.p.Model)
	if th == nil && t.ThinksByDefault && !forcesTool(g.req) {
		th = &wire.Thinking{Type: wire.ThinkingAdaptive}
	}
	if th == nil || th.Type == wire.ThinkingDisabled || th.Type == wire.ThinkingBetweenTools {
		return
	}
	text := thinkingText(g.ask.Prompt, thinkingBudget(th))
	g.thought = sim.CountTokens(text)
	shown := text
	if th.Display == wire.DisplayOmitted || th.Display == "" && t.ThinksByDefault {
		shown = ""
	}
	g.thinking = []wire.ContentBlock{{Type: wire.BlockThinking, Thinking: shown, Signature: sign(wire.BlockThinking, shown)}}
	if strings.Contains(g.ask.Prompt, RedactedThinkingTrigger) {
		hidden := "hidden: " + text
		g.thinking = append(g.thinking, wire.ContentBlock{Type: wire.BlockRedactedThinking, Data: redactedData(hidden)})
		g.thought += sim.CountTokens(hidden)
	}
}

// checkThinkingHistory rejects a thinking block of the history whose
// signature the simulator did not issue for its text, and a
// redacted_thinking block whose payload it did not write, worded as the
// API words it.
func checkThinkingHistory(req *wire.MessagesRequest) *apiError {
	for i, m := range req.Messages {
		for j, b := range m.Content {
			switch {
			case b.Type == wire.BlockThinking && !hmac.Equal([]byte(b.Signature), []byte(sign(wire.BlockThinking, b.Thinking))):
				return invalid("messages.%d.content.%d: Invalid `signature` in `thinking` block", i, j)
			case b.Type == wire.BlockRedactedThinking && !checkRedacted(b.Data):
				return invalid("messages.%d.content.%d: Invalid `data` in `redacted_thinking` block", i, j)
			}
		}
	}
	return nil
}

// toolLoopThinking is the API's message, verbatim, for a request that
// thinks in the middle of a tool loop whose last assistant turn does not
// start with the thinking that led to its tool calls (as the real API
// words it; the typo "preceeding" is the API's).
const toolLoopThinking = "messages.%d.content.0.type: Expected `thinking` or `redacted_thinking`, but found `%s`. " +
	"When `thinking` is enabled, a final `assistant` message must start with a thinking block " +
	"(preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks " +
	"from previous turns. To avoid this requirement, disable `thinking`. " +
	"Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking"

// checkThinkingToolLoop refuses, as the API does, a thinking request
// whose last turn answers tool calls (tool_result blocks) when the
// assistant turn that made them does not start with a thinking or
// redacted_thinking block: during tool use the thinking must be sent back.
// Consecutive turns of a role are one turn (text in an assistant message
// before the one that thought is that turn's start).
func checkThinkingToolLoop(req *wire.MessagesRequest) *apiError {
	if th := req.Thinking; th == nil || th.Type == wire.ThinkingDisabled {
		return nil
	}
	msgs := wire.MergeTurns(wire.Conversation(req.Messages)) // the API merges consecutive turns first
	last := len(msgs) - 1
	if last < 1 || msgs[last].Role != "user" || !hasBlock(msgs[last].Content, wire.BlockToolResult) {
		return nil
	}
	a := last - 1
	for a >= 0 && msgs[a].Role != "assistant" {
		a--
	}
	if a < 0 || !hasBlock(msgs[a].Content, wire.BlockToolUse) {
		return nil
	}
	switch first := msgs[a].Content[0].Type; first {
	case wire.BlockThinking, wire.BlockRedactedThinking:
		return nil
	default:
		return invalid(toolLoopThinking, a, first)
	}
}

func hasBlock(blocks wire.Blocks, kind string) bool {
	for _, b := range blocks {
		if b.Type == kind {
			return true
		}
	}
	return false
}

// forcesTool reports whether req's tool_choice forces a tool call.
func forcesTool(req *wire.MessagesRequest) bool {
	tc := req.ToolChoice
	return tc != nil && (tc.Type == wire.ToolChoiceAny || tc.Type == wire.ToolChoiceTool)
}
