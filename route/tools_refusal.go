package route

import (
	"switchyard/llm"
	"switchyard/wire/openai"
)

// effortSet is a set of reasoning efforts a request may ask: bit 0 for
// none asked (""), bit llm.EffortRank(e)+1 for each level e.
type effortSet uint8

// effortBit is the bit of e in an effortSet, and whether e has one (a
// level no rank knows has none).
func effortBit(e llm.Effort) (effortSet, bool) {
	if e == "" {
		return 1, true
	}
	r := llm.EffortRank(e)
	return 1 << (r + 1), r >= 0
}

// allEfforts are the efforts an effortSet holds: none asked, then every
// level.
var allEfforts = []llm.Effort{"", llm.EffortNone, llm.EffortMinimal, llm.EffortLow, llm.EffortMedium,
	llm.EffortHigh, llm.EffortXHigh, llm.EffortMax}

// toolsRefusals is the set of efforts asked at which OpenAI refuses a
// request with function tools on Chat Completions for model, whose
// deployment declares the levels declared (openai.ToolsNeedResponses),
// worked out once at config load: the route asks it several times per
// OpenAI candidate of every request with tools.
func toolsRefusals(model string, declared []llm.Effort) effortSet {
	var s effortSet
	for _, e := range allEfforts {
		if b, _ := effortBit(e); openai.ToolsNeedResponses(model, declared, e, true) {
			s |= b
		}
	}
	return s
}

// toolsRefused reports whether OpenAI refuses the request's function
// tools on Chat Completions for dep's model at the effort dep is sent
// (openai.ToolsNeedResponses: by its declared levels; none asked, the
// model's default): an OpenAI or Azure deployment only. It reads the set
// worked out at config load (toolsRefusals), and asks the rule itself
// only for a level no rank knows.
func toolsRefused(dep *Deployment, f *Features) bool {
	if !dep.openAI || f.Needs&NeedTools == 0 {
		return false
	}
	if b, ok := effortBit(f.Effort); ok {
		return dep.toolsRefusedAt&b != 0
	}
	return openai.ToolsNeedResponses(dep.ModelID(), dep.ReasoningEfforts, f.Effort, true)
}
