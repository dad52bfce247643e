package anthropic

import (
	"encoding/json"
	"slices"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file serves the advisor tool and the browser and computer
// toolsets as Claude would, at the wire level, deterministically.
//
// The advisor tool runs on Anthropic's side: a turn that asks afresh of a
// request declaring it consults the advisor first — a server_tool_use
// block named advisor with an empty input, then an advisor_tool_result
// block holding the advice (an advisor_result with its text) — and goes
// on with its answer, in the same response. The API refuses the tool
// without its beta or without the advisor's model.
//
// A toolset's members run on the client's side: a turn that asks afresh
// of a request declaring one calls a member, a tool_use block named after
// it (the computer toolset's screenshot, the browser toolset's
// get_page_text), with stop_reason tool_use.

// advisorAdvice is the advice the simulated advisor gives.
const advisorAdvice = "Plan: restate the goal, list the steps, do the riskiest one first, and check each result before going on."

// toolsetMember is the member the simulator calls of each toolset.
var toolsetMember = map[string]string{
	"computer_toolset_20260801": "screenshot",
	"browser_toolset_20260801":  "get_page_text",
}

// checkAdvisor refuses an advisor tool as the API would: without the
// advisor beta, or without the model that advises.
func checkAdvisor(req *wire.MessagesRequest) *apiError {
	for i, t := range req.Tools {
		if t.Type != wire.AdvisorToolType {
			continue
		}
		if !slices.Contains(req.Betas, wire.AdvisorBeta) {
			return invalid("tools.%d: the advisor tool requires the anthropic-beta header %s", i, wire.AdvisorBeta)
		}
		var v struct {
			Model string `json:"model"`
		}
		if json.Unmarshal(t.Raw, &v) != nil || v.Model == "" {
			return invalid("tools.%d.%s.model: Field required", i, t.Type)
		}
	}
	return nil
}

// advise answers g by consulting the advisor first (see the file's
// comment); id is the server_tool_use block's, name the tool's.
func advise(g *generation, id, name string) {
	g.server = []wire.ContentBlock{
		serverToolUse(id, name, struct{}{}),
		rawBlock(map[string]any{"type": wire.BlockAdvisorToolResult, "tool_use_id": id,
			"content": map[string]string{"type": "advisor_result", "text": advisorAdvice}}),
	}
	if g.text == "" {
		g.text = "Following the advice, here is the plan."
		g.pieces = sim.Split(g.text)
	}
	g.cited, g.tools, g.stopReason = nil, nil, wire.StopEndTurn
}

// advisorUsage reports the advisor's consultation in g's usage.iterations,
// when g consulted it, as the API does: the executor's sampling ("message",
// its counts the top-level ones) and the advisor's ("advisor_message", on
// its own model, reading the whole conversation and writing the advice),
// which the top-level counts leave out: it is billed at the advisor
// model's rates.
func (g *generation) advisorUsage() {
	model := advisorModel(g.req)
	if model == "" || len(g.server) == 0 {
		return
	}
	u := &g.usage
	u.Iterations = []wire.UsageIteration{
		{Type: "message", Model: g.p.Model, InputTokens: u.InputTokens, CacheCreationInputTokens: u.CacheCreationInputTokens,
			CacheReadInputTokens: u.CacheReadInputTokens, OutputTokens: u.OutputTokens, CacheCreation: &wire.CacheCreation{}},
		{Type: "advisor_message", Model: model, InputTokens: u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens,
			OutputTokens: sim.CountTokens(advisorAdvice) + advisorThinking, CacheCreation: &wire.CacheCreation{}},
	}
}

// advisorThinking is what the advisor thinks before its advice, in
// tokens: the docs give 1,400 to 1,800 tokens in all for 400 to 700 of
// advice.
const advisorThinking = 1000

// advisorModel is the model of the advisor tool g's request declares, ""
// when it declares none.
func advisorModel(req *wire.MessagesRequest) string {
	for _, t := range req.Tools {
		if t.Type != wire.AdvisorToolType {
			continue
		}
		var v struct {
			Model string `json:"model"`
		}
		if json.Unmarshal(t.Raw, &v) == nil {
			return v.Model
		}
	}
	return ""
}

// toolsetTurn answers g with a call of a member of its request's toolset,
// when it declares one and its last user turn asks afresh; it reports
// whether it did.
func toolsetTurn(g *generation) bool {
	if g.ask.HasToolResult || g.refused || g.ask.Prompt == "" {
		return false
	}
	for _, t := range g.req.Tools {
		if member, ok := toolsetMember[t.Type]; ok {
			g.text, g.pieces, g.cited = "", nil, nil
			g.tools = []sim.ToolCall{{ID: sim.ID("toolu_01", g.id+member), Name: member, Arguments: "{}"}}
			g.stopReason = wire.StopToolUse
			return true
		}
	}
	return false
}

// isAdvisor reports an advisor tool's type.
func isAdvisor(typ string) bool { return strings.HasPrefix(typ, "advisor_") }
