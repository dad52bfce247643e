package gateway

import (
	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/anthropic"
)

// compactEditDropped names "compact_20260112" when req's
// context_management holds that edit (Claude compacting the conversation
// server-side) and a Claude deployment whose model does not take
// compaction (anthropic.TakesCompaction) is sent the rest of it, which
// the API would otherwise refuse: the answer reads the whole
// conversation. Another kind of deployment drops context_management
// whole (extraDropped).
func compactEditDropped(kind, model string, req *llm.Request) []string {
	if kind != config.KindAnthropic || anthropic.TakesCompaction(model) || !anthropic.CompactsContext(req.ContextManagement) {
		return nil
	}
	return []string{anthropic.EditCompact}
}
