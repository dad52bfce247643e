package anthropic

import (
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// buildAsk extracts the wire-neutral question from a request.
func buildAsk(p *sim.Profile, req *wire.MessagesRequest) sim.Ask {
	a := sim.Ask{Model: p.Model, MaxTokens: *req.MaxTokens}
	var sys []string
	for _, b := range req.System {
		if ok, schema := wire.ParseJSONInstruction(b.Text); ok {
			a.JSON, a.Schema = true, schema
			continue
		}
		sys = append(sys, b.Text)
	}
	a.System = strings.Join(sys, "\n")
	if oc := req.OutputConfig; oc != nil && oc.Format != nil && oc.Format.Type == "json_schema" {
		a.JSON, a.Schema = true, oc.Format.Schema
	}
	a.PromptTokens = sim.CountTokens(strings.Join(segments(req).segs, ""))
	for _, t := range req.Tools {
		a.Tools = append(a.Tools, sim.ToolSpec{Name: t.Name, Parameters: t.InputSchema})
	}
	if tc := req.ToolChoice; tc != nil {
		a.ToolsRequired = tc.Type == wire.ToolChoiceAny
		a.ToolsNone = tc.Type == wire.ToolChoiceNone
		if tc.Type == wire.ToolChoiceTool {
			a.ForceTool = tc.Name
		}
	}
	turns := wire.MergeTurns(req.Messages)
	if n := len(turns); n > 0 && turns[n-1].Role == "assistant" {
		a.Prefill = turns[n-1].Content.Text()
	}
	for i := len(turns) - 1; i >= 0; i-- {
		if turns[i].Role != "user" {
			continue
		}
		var results []string
		for _, b := range turns[i].Content {
			if b.Type == wire.BlockToolResult {
				a.HasToolResult = true
				results = append(results, b.Content.Text())
			}
		}
		a.ToolResult = strings.Join(results, "\n")
		a.Prompt = turns[i].Content.Text()
		break
	}
	return a
}

// prompt is the request's text in the order the API caches it (tools,
// system, messages), with its last cache breakpoint.
type prompt struct {
	segs []string
	// cut is the index after the last breakpoint: 0 when there is none,
	// all segments for a top-level cache_control.
	cut int
	// hourTTL reports a breakpoint asking for the one-hour cache.
	hourTTL bool
}

func segments(req *wire.MessagesRequest) prompt {
	var p prompt
	add := func(s string, cc *wire.CacheControl) {
		p.segs = append(p.segs, s)
		if cc != nil {
			p.cut = len(p.segs)
			p.hourTTL = p.hourTTL || cc.TTL == "1h"
		}
	}
	for _, t := range req.Tools {
		add(t.Name+" "+t.Description+" "+string(t.InputSchema), t.CacheControl)
	}
	for _, b := range req.System {
		add(b.Text, b.CacheControl)
	}
	for _, m := range req.Messages {
		for i := range m.Content {
			b := &m.Content[i]
			add(blockText(b), b.CacheControl)
		}
	}
	if cc := req.CacheControl; cc != nil {
		p.cut = len(p.segs)
		p.hourTTL = p.hourTTL || cc.TTL == "1h"
	}
	return p
}

// blockText is the text a block contributes to the prompt's size.
func blockText(b *wire.ContentBlock) string {
	switch b.Type {
	case wire.BlockText:
		return b.Text
	case wire.BlockImage:
		if b.Source != nil && b.Source.Type == "base64" {
			return b.Source.Data
		}
		return strings.Repeat("[image]", 200) // about the cost of a small image
	case wire.BlockToolUse:
		return b.Name + string(b.Input)
	case wire.BlockToolResult:
		return b.Content.Text()
	case wire.BlockThinking:
		return b.Thinking
	}
	return string(b.Raw)
}

// inputUsage counts the prompt and simulates prompt caching: the prefix up
// to the last breakpoint, when long enough, is written to the cache the
// first time and read from it afterwards; input_tokens is the rest.
func (s *server) inputUsage(p *sim.Profile, req *wire.MessagesRequest) wire.Usage {
	pr := segments(req)
	total := sim.CountTokens(strings.Join(pr.segs, ""))
	u := wire.Usage{InputTokens: total, CacheCreation: &wire.CacheCreation{}, ServiceTier: "standard"}
	if pr.cut == 0 {
		return u
	}
	prefix := strings.Join(pr.segs[:pr.cut], "")
	n := sim.CountTokens(prefix)
	if n < sim.MinCachedTokens {
		return u
	}
	u.InputTokens = total - n
	if s.cache.Lookup(p.Model, prefix, n) > 0 {
		u.CacheReadInputTokens = n
		return u
	}
	u.CacheCreationInputTokens = n
	if pr.hourTTL {
		u.CacheCreation.Ephemeral1hInputTokens = n
	} else {
		u.CacheCreation.Ephemeral5mInputTokens = n
	}
	return u
}
