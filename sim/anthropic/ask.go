package anthropic

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// buildAsk extracts the wire-neutral question from a request (a
// count_tokens request may have no max_tokens: MaxTokens is 0 then).
func buildAsk(p *sim.Profile, req *wire.MessagesRequest) sim.Ask {
	a := sim.Ask{Model: p.Model}
	if req.MaxTokens != nil {
		a.MaxTokens = *req.MaxTokens
	}
	var sys []string
	for _, b := range req.System {
		if ok, schema := wire.ParseJSONInstruction(b.Text); ok {
			// Asked by prompt alone, Claude models often fence their JSON.
			a.JSON, a.Schema, a.Fence = true, schema, true
			continue
		}
		sys = append(sys, b.Text)
	}
	for _, m := range req.Messages {
		if m.Role == "system" { // a system message in the conversation
			sys = append(sys, m.Content.Text())
		}
	}
	a.System = strings.Join(sys, "\n")
	if f := req.Format(); f != nil && f.Type == wire.FormatJSONSchema {
		a.JSON, a.Schema, a.Fence = true, f.Schema, false // constrained decoding writes the JSON alone
	}
	a.PromptTokens = promptTokens(req)
	tools, _ := wire.ToolSet(req) // valid: with its tool changes applied
	for _, t := range tools {
		if len(t.Raw) > 0 || hiddenDeferred(req, &t) { // server tools run apart (serverTurn)
			continue
		}
		a.Tools = append(a.Tools, sim.ToolSpec{Name: t.Name, Parameters: toolSchema(&t)})
	}
	if tc := req.ToolChoice; tc != nil {
		a.ToolsRequired = tc.Type == wire.ToolChoiceAny
		a.ToolsNone = tc.Type == wire.ToolChoiceNone
		a.NoParallel = tc.DisableParallelToolUse
		if tc.Type == wire.ToolChoiceTool {
			a.ForceTool = tc.Name
		}
	}
	turns := wire.MergeTurns(wire.Conversation(req.Messages))
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

// promptTokens returns the tokens of req's prompt: those of each tool,
// system block and message content block, as readPrompt counts them.
func promptTokens(req *wire.MessagesRequest) int {
	n := 0
	for _, t := range req.Tools {
		n += sim.CountTokens(t.Name + " " + t.Description + " " + string(toolSchema(&t)))
	}
	for _, b := range req.System {
		n += sim.CountTokens(b.Text)
	}
	for _, m := range req.Messages {
		for i := range m.Content {
			n += sim.CountTokens(blockText(&m.Content[i]))
		}
	}
	return n
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
	case wire.BlockDocument:
		return documentText(b)
	}
	return string(b.Raw)
}

// inputUsage counts the prompt and reads it through the prompt cache
// (see cache.go). The tier is standard until serveTier says otherwise;
// the inference geography is us when the request asks it (validate has
// refused it from a model that does not take it), else global. The speed
// is fast when the request asks it of a model with fast mode (checkModel
// refused it from the others) and, on Opus 5, whose fast mode is a
// research preview, names the fast-mode beta; standard otherwise.
func (s *server) inputUsage(p *sim.Profile, req *wire.MessagesRequest) wire.Usage {
	u := s.cache.usage(readPrompt(p.Model, req), MinCacheable(p.Model))
	u.ServiceTier, u.Speed = wire.TierStandard, wire.SpeedStandard
	if req.InferenceGeo == wire.GeoUS {
		u.InferenceGeo = wire.GeoUS
	}
	if req.Speed == wire.SpeedFast && fastServed(p.Model, req.Betas) {
		u.Speed = wire.SpeedFast
	}
	return u
}

// fastSpeedup is how much faster fast mode writes: "up to 2.5x higher
// output tokens per second" (the fast-mode page); the time to the first
// token is unchanged.
const fastSpeedup = 2.5

// pieceDelay is the time g's model takes to write n tokens: the
// profile's speed, fastSpeedup times faster when the answer is served in
// fast mode (usage.speed fast).
func (g *generation) pieceDelay(n int) time.Duration {
	d := g.p.PieceDelay(n)
	if g.usage.Speed == wire.SpeedFast {
		d = time.Duration(float64(d) / fastSpeedup)
	}
	return d
}

// fastServed reports whether the model serves speed fast to a request
// with betas: a model with fast mode, and for Opus 5 (research preview)
// only under the fast-mode beta, without which the field is ignored.
func fastServed(model string, betas []string) bool {
	t := wire.ModelTraits(model)
	if t.Family == "opus" && t.Version == 500 {
		return slices.Contains(betas, wire.FastModeBeta)
	}
	return t.Fast > 0
}

// toolSchema is the input schema of t: the client's, or for an
// Anthropic-defined tool (bash, the text editor, memory) the one the model
// knows.
func toolSchema(t *wire.Tool) json.RawMessage {
	if d, ok := wire.LookupDefinedTool(t.Type); ok {
		return d.Schema
	}
	return t.InputSchema
}
