package openai

import (
	"switchyard/llm"
	"switchyard/sim"
)

// toolFinish is the finish_reason of an answer that calls tools, as the
// real APIs write it: "stop" when tool_choice names a function (OpenAI's
// answers, streamed or not, in vllm-project/vllm#25054, which vLLM
// follows since, vllm-project/vllm#49496) and on Google's
// OpenAI-compatible path when streamed (googleapis/python-genai#2868: its
// complete answer says "tool_calls"); "tool_calls" otherwise. An answer
// without calls keeps its own.
func toolFinish(c *call, req *llm.Request, ans sim.Answer) string {
	if len(ans.ToolCalls) == 0 {
		return ans.Finish
	}
	if namedChoice(req) || c.googleCompat && req.Stream {
		return string(llm.FinishStop)
	}
	return ans.Finish
}
