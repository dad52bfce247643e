package openai

import (
	"strconv"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
)

// kimiCallIDs gives a Kimi model's tool calls the ids Kimi writes,
// "functions.<name>:<n>", n counting the calls of the whole conversation
// (vllm-project/vllm#46344 shows them from Kimi K2; its chat template
// renders them back into the prompt: ikawrakow/ik_llama.cpp#955). Other
// models keep the sim's "call_…" ids.
func kimiCallIDs(req *llm.Request, ans *sim.Answer) {
	if len(ans.ToolCalls) == 0 || !strings.HasPrefix(req.Model, "kimi-") {
		return
	}
	n := 0
	for i := range req.Messages {
		n += len(req.Messages[i].ToolCalls())
	}
	for i := range ans.ToolCalls {
		ans.ToolCalls[i].ID = "functions." + ans.ToolCalls[i].Name + ":" + strconv.Itoa(n+i)
	}
}
