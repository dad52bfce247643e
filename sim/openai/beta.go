package openai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// This file serves the members of OpenAI's beta Responses API on the
// sim's /v1/responses, on the beta path its SDKs call (?beta=true; a
// beta member sent to the plain path is refused as an unknown
// parameter, which is the sim's reading of a beta):
//
//   - multi_agent: the root agent spawns max_concurrent_subagents
//     subagents (3, the documented default, when unset; at most
//     maxSubagents). For each, a multi_agent_call (action spawn_agent),
//     the subagent's message tagged with its agent ({"agent_name":
//     "subagent_N"}) and the call's multi_agent_call_output returning that
//     message's text, in the SDK's item shapes; then the root's answer,
//     untagged. The spawn's arguments ({"agent_name","task"}) and the
//     subagents' names are the sim's own (the SDK says only that arguments
//     is a JSON string). The subagents' tokens are the response's usage
//     too, which has no per-agent breakdown.
//   - moderation: the input's text (every message's) and the answer's
//     scored by the named moderation model as /v1/moderations scores them
//     (moderationResult), the response's moderation {input, output}
//     holding each as a moderation_result. A block policy stops a flagged
//     response: a flagged input gets no answer (output empty, no output
//     tokens, the output's result that of the empty output), a flagged
//     answer is withheld; either ends incomplete, reason content_filter
//     (the finish the SDK's incomplete_details reasons name for filtered
//     content).

// maxSubagents bounds the subagents the sim spawns.
const maxSubagents = 8

// betaRun is what a request's beta members do to its answer.
type betaRun struct {
	subagents int
	mod       *moderationRun
	// agents are multi_agent's items, made by apply; agentUsage their
	// tokens.
	agents     *hostedRun
	agentUsage llm.Usage
	// moderation is the response's moderation member, made by apply.
	moderation json.RawMessage
}

// moderationRun is a moderation member: its model and policies, the
// input's result.
type moderationRun struct {
	p                 *sim.Profile
	blockIn, blockOut bool
	input             llm.ModerationResult
}

// betaParams is the beta members as the sim reads them.
type betaParams struct {
	MaxConcurrentSubagents *int   `json:"max_concurrent_subagents"`
	Model                  string `json:"model"`
	Policy                 struct {
		Input, Output struct {
			Mode string `json:"mode"`
		}
	} `json:"policy"`
}

// betaOf reads req's beta members; nil, true for none. A beta member off
// the beta path, or a moderation model the sim does not serve, is
// answered 400.
func (s *server) betaOf(c *call, req *llm.Request) (*betaRun, bool) {
	h := req.OpenAIHosted
	if h == nil || !h.Beta {
		return nil, true
	}
	run := &betaRun{}
	for _, p := range h.Params {
		var bp betaParams
		_ = json.Unmarshal(p.Value, &bp) // checked by the decoder
		switch p.Name {
		case "multi_agent":
			run.subagents = 3
			if n := bp.MaxConcurrentSubagents; n != nil {
				run.subagents = min(*n, maxSubagents)
			}
		case "moderation":
			mp, ok := s.models[bp.Model]
			if !ok || !mp.Moderation {
				c.fail(http.StatusBadRequest, apiError{Message: fmt.Sprintf("The moderation model '%s' does not exist or you do not have access to it.", bp.Model),
					Type: "invalid_request_error", Param: "moderation.model", Code: "model_not_found"})
				return nil, false
			}
			run.mod = &moderationRun{p: mp, blockIn: bp.Policy.Input.Mode == "block", blockOut: bp.Policy.Output.Mode == "block"}
			run.mod.input = moderationResult(mp, inputTexts(req), nil)
		default:
			continue
		}
		if c.r.URL.Query().Get("beta") != "true" {
			c.fail(http.StatusBadRequest, apiError{Message: "Unknown parameter: '" + p.Name + "'.", Type: "invalid_request_error", Param: p.Name, Code: "unknown_parameter"})
			return nil, false
		}
	}
	return run, true
}

// inputTexts are the texts of req's messages.
func inputTexts(req *llm.Request) []string {
	texts := make([]string, 0, len(req.Messages))
	for i := range req.Messages {
		texts = append(texts, req.Messages[i].Text())
	}
	return texts
}

// apply runs the beta members on ans, the answer to prompt: the
// moderation (blocking it when its policy says) and the subagents.
func (run *betaRun) apply(ans sim.Answer, prompt string) sim.Answer {
	if m := run.mod; m != nil {
		out := ans.Text
		blocked := m.blockIn && m.input.Flagged
		switch {
		case blocked:
			ans, out = sim.Answer{Finish: string(llm.FinishContentFilter)}, ""
		case m.blockOut && moderationResult(m.p, []string{out}, nil).Flagged:
			ans = filterOutput(ans, 0)
		}
		run.moderation = m.results(out)
		if blocked {
			return ans // no agent ran
		}
	}
	if run.subagents > 0 {
		run.spawn(prompt)
	}
	return ans
}

// results is the response's moderation member: the input's result and
// that of output.
func (m *moderationRun) results(output string) json.RawMessage {
	dst := append([]byte(`{"input":`), m.appendResult(nil, &m.input)...)
	res := moderationResult(m.p, []string{output}, nil)
	dst = append(append(dst, `,"output":`...), m.appendResult(nil, &res)...)
	return append(dst, '}')
}

// appendResult appends res as a moderation_result of m's model.
func (m *moderationRun) appendResult(dst []byte, res *llm.ModerationResult) []byte {
	dst = jsonw.String(append(dst, `{"type":"moderation_result","model":`...), m.p.Model)
	body := wire.AppendModerationResult(nil, res) // {"flagged":…}
	return append(append(dst, ','), body[1:]...)
}

// spawn makes the items of run's subagents, each given prompt.
func (run *betaRun) spawn(prompt string) {
	agents := &hostedRun{}
	base := randAlnum(16)
	task := clip(prompt, 60)
	for i := 1; i <= run.subagents; i++ {
		n := strconv.Itoa(i)
		name := "subagent_" + n
		call := "call_" + base + "_" + n
		finding := fmt.Sprintf("%s looked into %q: nothing further to add.", name, task)
		args, _ := json.Marshal(map[string]string{"agent_name": name, "task": task})
		head := `{"id":"mac_` + base + "_" + n + `","type":"multi_agent_call","action":"spawn_agent","arguments":`
		agents.starts = append(agents.starts, json.RawMessage(head+`"","call_id":"`+call+`"}`))
		agents.items = append(agents.items, json.RawMessage(head+string(jsonw.String(nil, string(args)))+`,"call_id":"`+call+`"}`))
		text := jsonw.String(nil, finding)
		tag := `,"agent":{"agent_name":"` + name + `"}}`
		msg := `{"id":"msg_` + base + "_" + n + `","type":"message","role":"assistant","status":`
		agents.starts = append(agents.starts, json.RawMessage(msg+`"in_progress","content":[]`+tag))
		agents.items = append(agents.items, json.RawMessage(msg+`"completed","content":[{"type":"output_text","text":`+string(text)+`,"annotations":[]}]`+tag))
		output := `{"id":"maco_` + base + "_" + n + `","type":"multi_agent_call_output","action":"spawn_agent","call_id":"` + call + `","output":[{"type":"output_text","text":` + string(text) + `,"annotations":[]}]}`
		agents.starts = append(agents.starts, json.RawMessage(output))
		agents.items = append(agents.items, json.RawMessage(output))
		run.agentUsage.PromptTokens += sim.CountTokens(task) + 12
		run.agentUsage.CompletionTokens += sim.CountTokens(finding)
	}
	run.agents = agents
}

// bill adds the subagents' tokens to u.
func (run *betaRun) bill(u *llm.Usage) {
	u.PromptTokens += run.agentUsage.PromptTokens
	u.CompletionTokens += run.agentUsage.CompletionTokens
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
}
