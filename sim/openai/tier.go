package openai

import (
	"strconv"
	"strings"

	"switchyard/llm"
)

// servedTier is the tier OpenAI says served a request for model that
// asked for asked: the one asked for, default for auto or none (a
// project whose own tier setting is the default one); for fast or
// priority (one tier, fast mode being priority processing renamed), fast
// from GPT-6 on and priority before, as OpenAI's fast-mode guide says.
func servedTier(asked llm.ServiceTier, model string) llm.ServiceTier {
	switch asked {
	case "", llm.TierAuto:
		return llm.TierDefault
	case llm.TierFast, llm.TierPriority:
		if namesFast(model) {
			return llm.TierFast
		}
		return llm.TierPriority
	}
	return asked
}

// namesFast reports whether OpenAI's answers name fast mode "fast" for
// model: a GPT model of major version 6 or later.
func namesFast(model string) bool {
	rest, ok := strings.CutPrefix(model, "gpt-")
	if !ok {
		return false
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	major, err := strconv.Atoi(rest[:end])
	return err == nil && major >= 6
}
