package openai

import (
	"strings"

	"switchyard/sim"
)

// A model whose profile sets ThinkTags answers as DeepSeek-R1, QwQ or a
// Qwen3 thinking model does on a host that leaves its reasoning in the
// content (vLLM or SGLang started without --reasoning-parser, llama.cpp
// without a reasoning format, LM Studio, Azure AI Foundry's DeepSeek-R1):
// "<think>\n", the chain of thought, "\n</think>\n\n", then the answer
// (the shape the models' cards and vLLM's deepseek_r1 parser describe),
// streamed in pieces of a few bytes as the tokens come, so that a tag is
// cut anywhere. PromptOpensThink leaves the opening tag out: QwQ's and
// DeepSeek-R1-0528's chat templates end the generation prompt with
// "<think>\n", so the model writes only the closing tag
// (ggml-org/llama.cpp#11325; vLLM's minimax_m2_append_think parser puts
// the missing tag back for MiniMax-M2). The reasoning is counted in
// completion_tokens with no reasoning_tokens detail: such a host cannot
// tell the two apart. An answer that calls tools is left as it is.

// tagPiece is the size of the pieces a tagged answer's thinking streams in.
const tagPiece = 5

// thinkTagged returns ans with its chain of thought written before its
// text between <think> tags (the opening one left out when promptOpens).
func thinkTagged(a sim.Ask, ans sim.Answer, promptOpens bool) sim.Answer {
	if len(ans.ToolCalls) > 0 {
		return ans
	}
	reasoning := strings.Join(deepSeekReasoning(a, ans), "")
	head := "<think>\n" + reasoning + "\n</think>\n\n"
	if promptOpens {
		head = reasoning + "\n</think>\n\n"
	}
	ans.Text = head + ans.Text
	ans.Pieces = append(fragments(head, tagPiece), ans.Pieces...)
	ans.CompletionTokens += len(strings.Fields(reasoning)) - ans.ReasoningTokens
	ans.ReasoningTokens = 0
	return ans
}
