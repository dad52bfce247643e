package openai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// chatParams are the top-level fields of a chat completion request the real
// API accepts; any other is an "Unrecognized request argument".
var chatParams = map[string]bool{
	"audio": true, "frequency_penalty": true, "function_call": true, "functions": true,
	"logit_bias": true, "logprobs": true, "max_completion_tokens": true, "max_tokens": true,
	"messages": true, "metadata": true, "modalities": true, "model": true, "moderation": true,
	"n": true, "parallel_tool_calls": true, "prediction": true, "presence_penalty": true,
	"prompt_cache_key": true, "prompt_cache_options": true, "prompt_cache_retention": true,
	"reasoning_effort": true, "response_format": true, "safety_identifier": true, "seed": true,
	"service_tier": true, "stop": true, "store": true, "stream": true, "stream_options": true,
	"temperature": true, "tool_choice": true, "tools": true, "top_logprobs": true, "top_p": true,
	"user": true, "verbosity": true, "web_search_options": true,
}

// turn is one chat request on its way to an answer.
type turn struct {
	req   *llm.Request
	p     *sim.Profile
	ask   sim.Ask
	usage llm.Usage
	fault sim.Fault
	n     int
	// beta is what the Responses API's beta members do (beta.go); nil
	// for none.
	beta *betaRun
	// reasoning is the chain of thought a DeepSeek model in thinking
	// mode or a thinking Qwen model writes before its answer, in pieces;
	// nil for any other.
	reasoning []string
	// signs reports a Gemini 3 model on Google's compatibility path,
	// whose first tool call carries its thought signature
	// (google_compat.go).
	signs bool
	// wholeCalls reports a call on Google's compatibility path, which
	// streams each tool call whole, all at index 0 (google_compat.go).
	wholeCalls bool
	// details are the reasoning_details pieces a Gemini 3 model on
	// OpenRouter's path writes before its tool calls (openrouter.go); nil
	// for any other.
	details []string
	// mistral reports a call on the simulated Mistral API, whose stream
	// carries the usage on its last chunk, unasked (mistral.go).
	mistral bool
	// asyncFilter reports an Azure stream under the Asynchronous Filter
	// (azure_stream.go): its chunks unannotated, the annotations in
	// chunks of their own.
	asyncFilter bool
}

// chat serves POST /v1/chat/completions (and Azure's deployment route).
func (s *server) chat(c *call) {
	var body []byte
	req, ok := readRequest(c, func(b []byte) (*llm.Request, error) { body = b; return wire.DecodeChatRequest(b) })
	if !ok || refuseArrayContent(c, body) || refuseGroqMembers(c, body) || refuseMistralExtras(c, body) {
		return
	}
	c.useDeployment(&req.Model)
	p, ok := s.profile(c, req.Model)
	if !ok || s.responsesOnlyRefusal(c, p) {
		return
	}
	if !s.validateChat(c, req, p) || !checkSpoken(c, req) || thinksAsDeepSeek(req) && refuseWithoutReasoning(c, body) ||
		refuseQwenUnstreamed(c, req) || !c.googleCompat && !c.openRouter && refuseUnknownMembers(c, body) || signsCalls(c, req) && refuseUnsigned(c, req) ||
		refuseWithoutDetails(c, req) {
		return
	}
	t := s.newTurn(req, p)
	t.signs = signsCalls(c, req)
	t.wholeCalls = c.googleCompat
	t.mistral = c.mistral
	if e := t.checkWindow(); e != nil {
		c.fail(http.StatusBadRequest, *e)
		return
	}
	if s.failEarly(c, t.fault, p) {
		return
	}
	ans := s.behavior.Respond(p, t.ask)
	if r := req.Reasoning; r != nil {
		ans = sim.ScaleReasoning(ans, string(r.Effort))
	}
	if req.MaxTokens != nil {
		ans = ans.WithinBudget(*req.MaxTokens)
	}
	ans = ans.Stop(req.Stop)
	ans.Finish = toolFinish(c, req, ans)
	kimiCallIDs(req, &ans)
	if thinksAsDeepSeek(req) {
		t.reasoning = deepSeekReasoning(t.ask, ans)
	} else if qwenModel(req.Model) && !p.ThinkTags {
		t.reasoning, ans = qwenReasoning(c, req, t.ask, ans)
	} else if prefill, ok := vllmPrefill(req); ok && p.ThinkTags {
		ans = continueTagged(p, t.ask, ans, prefill)
	} else if p.ThinkTags {
		ans = thinkTagged(t.ask, ans, p.PromptOpensThink)
	}
	t.details = detailsOf(c, req.Model, ans)
	switch t.fault.Kind {
	case faultContentFilterOutput:
		ans = filterOutput(ans, 3)
	case sim.FaultRefusal:
		ans = filterOutput(ans, 0)
	}
	// Every choice is generated, and billed: n answers of the same length.
	t.usage.CompletionTokens = ans.CompletionTokens * t.n
	t.usage.ReasoningTokens = ans.ReasoningTokens * t.n
	if _, ok := spoken(req); ok && len(ans.ToolCalls) == 0 {
		// A spoken answer's audio is billed as audio output tokens, part
		// of completion_tokens (completion_tokens_details.audio_tokens).
		t.usage.AudioCompletionTokens = spokenTokens(ans.Text) * t.n
		t.usage.CompletionTokens += t.usage.AudioCompletionTokens
	}
	t.usage.TotalTokens = t.usage.PromptTokens + t.usage.CompletionTokens
	if req.Stream {
		s.stream(c, t, ans)
		return
	}
	s.complete(c, t, ans)
}

// withModel returns the JSON object body with "model" set when it has
// none; anything else is returned unchanged for the decoder to judge.
func withModel(body []byte, model string) []byte {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil || obj == nil {
		return body
	}
	if _, ok := obj["model"]; ok {
		return body
	}
	obj["model"], _ = json.Marshal(model)
	out, err := json.Marshal(obj)
	if err != nil {
		return body
	}
	return out
}

// newTurn builds the wire-neutral Ask, the prompt usage (with the prompt
// cache over every message but the last) and picks the fault.
func (s *server) newTurn(req *llm.Request, p *sim.Profile) *turn {
	t := &turn{req: req, p: p, n: 1}
	if req.N != nil {
		t.n = *req.N
	}
	prefix, prefixTokens := promptText(req.Messages[:max(len(req.Messages)-1, 0)])
	_, total := promptText(req.Messages)
	for _, tool := range req.Tools {
		total += sim.CountTokens(tool.Name+tool.Description+string(tool.Parameters)+string(tool.Format)) + 8
	}
	t.usage.PromptTokens = total
	t.usage.CachedPromptTokens, t.usage.CacheWriteTokens = s.promptCache(req, p, cachePoint{key: sim.NewPrefixKey(req.Model).Add(prefix), tokens: prefixTokens})
	if !s.azure {
		t.usage.ServiceTier = servedTier(req.ServiceTier, req.Model)
	}
	t.ask = buildAsk(req, total)
	if _, ok := vllmPrefill(req); ok && p.ThinkTags {
		t.fault = sim.Fault{} // a continuation (continue_final.go)
	} else {
		prompt := t.ask.Prompt
		if s.azure {
			prompt, t.asyncFilter = asyncFilterAsked(prompt)
		}
		t.fault = s.faults.Pick(req.Model, prompt).For(req.Stream)
	}
	if !s.azure {
		t.tierFaults(s.faults)
	}
	return t
}

// tierFaults applies the faults that depend on the tier asked for: a
// flex request meets a flex_unavailable rule (or directive) for its
// model, a priority one served on the default tier by a
// priority_downgrade. A directive of either kind in a request of another
// tier does nothing.
func (t *turn) tierFaults(faults *sim.Faults) {
	switch t.fault.Kind {
	case sim.FaultFlexUnavailable:
		if t.req.ServiceTier != llm.TierFlex {
			t.fault = sim.Fault{}
		}
		return
	case sim.FaultPriorityDowngrade:
		t.fault = sim.Fault{}
		if t.usage.ServiceTier == llm.TierPriority {
			t.usage.ServiceTier = llm.TierDefault
		}
		return
	case sim.FaultNone:
	default:
		return
	}
	switch t.usage.ServiceTier {
	case llm.TierFlex:
		if ft, ok := faults.Take(sim.FaultFlexUnavailable, t.req.Model); ok {
			t.fault = ft
		}
	case llm.TierPriority:
		if _, ok := faults.Take(sim.FaultPriorityDowngrade, t.req.Model); ok {
			t.usage.ServiceTier = llm.TierDefault
		}
	}
}

// checkWindow reports a prompt that does not fit the context window.
func (t *turn) checkWindow() *apiError {
	need := t.usage.PromptTokens
	if t.req.MaxTokens != nil {
		need += *t.req.MaxTokens
	}
	if need <= t.p.Window() && t.fault.Kind != sim.FaultContextLength {
		return nil
	}
	if need <= t.p.Window() { // the directive: as if the prompt overflowed
		need = t.p.Window() + 1
	}
	return &apiError{
		Message: fmt.Sprintf("This model's maximum context length is %d tokens. However, you requested %d tokens (%d in the messages, %d in the completion). Please reduce the length of the messages or completion.", t.p.Window(), need, t.usage.PromptTokens, need-t.usage.PromptTokens),
		Type:    "invalid_request_error",
		Param:   "messages",
		Code:    "context_length_exceeded",
	}
}

// complete answers a non-streamed request after the time the whole
// generation would take.
func (s *server) complete(c *call, t *turn, ans sim.Answer) {
	ctx := c.r.Context()
	delay := t.p.FirstTokenDelay() + t.p.PieceDelay(ans.CompletionTokens)
	if t.fault.Kind == sim.FaultStall {
		delay += faultDelay(t.fault)
	}
	if !sim.Sleep(ctx, delay) {
		return
	}
	resp := &llm.Response{
		ID:                newID("chatcmpl-"),
		Model:             t.p.Model,
		Created:           time.Now().Unix(),
		SystemFingerprint: fingerprint(t.p.Model),
		Usage:             &t.usage,
		ServiceTier:       t.usage.ServiceTier,
	}
	var toks []llm.TokenLogprob
	if len(ans.ToolCalls) == 0 {
		toks = t.tokenLogprobs(ans)
	}
	finish := llm.FinishReason(ans.Finish)
	if t.fault.Kind == sim.FaultNoFinish {
		finish = "" // "finish_reason": null
	}
	for i := 0; i < t.n; i++ {
		m := withOutput(t.req, message(choiceCalls(ans, i)))
		if t.signs {
			signMessage(&m)
		}
		if t.reasoning != nil {
			m.SetThinking([]llm.Thinking{{Text: strings.Join(t.reasoning, "")}})
		}
		if t.details != nil {
			m.SetThinking([]llm.Thinking{mergedDetails(t.details)})
		}
		resp.Choices = append(resp.Choices, llm.Choice{Index: i, Message: m, FinishReason: finish,
			Logprobs: t.choiceLogprobs(toks)})
	}
	s.okRateHeaders(c) // before writeAnswer: a cut chat answer carries them
	body := withHostUsage(wire.AppendChatResponse(nil, resp), usageHostOf(c, t.p.Model), t.p.Model, resp.Usage)
	if s.azure {
		body = azureAnnotate(body)
	}
	s.writeAnswer(c, t.fault, append(body, '\n'))
}

// choiceCalls is ans as choice i says it: its tool calls with ids of
// that choice's own (the first choice keeps ans's), as each of OpenAI's
// n choices has.
func choiceCalls(ans sim.Answer, i int) sim.Answer {
	if i == 0 || len(ans.ToolCalls) == 0 {
		return ans
	}
	calls := slices.Clone(ans.ToolCalls)
	for k := range calls {
		calls[k].ID = choiceCallID(calls[k].ID, i)
	}
	ans.ToolCalls = calls
	return ans
}

// choiceCallID is choice i's id of a call whose first choice's id is id.
func choiceCallID(id string, i int) string {
	if i == 0 || id == "" {
		return id
	}
	return sim.ID("call_", id+"/"+strconv.Itoa(i))
}

// message is the assistant message of ans.
func message(ans sim.Answer) llm.Message {
	m := llm.Message{Role: llm.RoleAssistant}
	if len(ans.ToolCalls) == 0 || ans.Text != "" {
		m.Content = []llm.Part{{Type: llm.PartText, Text: ans.Text}}
		m.StringContent = true
	}
	var calls []llm.ToolCall
	for _, tc := range ans.ToolCalls {
		calls = append(calls, llm.ToolCall{ID: tc.ID, Type: callType(tc), Name: tc.Name, Arguments: tc.Arguments})
	}
	m.SetToolCalls(calls)
	return m
}

// callType is the type of the call tc: custom for a custom tool's.
func callType(tc sim.ToolCall) string {
	if tc.Custom {
		return llm.ToolCustom
	}
	return "function"
}

// filterOutput cuts the answer short the way Azure's output filter does,
// after keep pieces (none: the answer is filtered from its start).
func filterOutput(ans sim.Answer, keep int) sim.Answer {
	ans.ToolCalls = nil
	if len(ans.Pieces) > keep {
		ans.Pieces = ans.Pieces[:keep]
	}
	ans.Text = strings.Join(ans.Pieces, "")
	ans.Finish = string(llm.FinishContentFilter)
	return ans
}

func fingerprint(model string) string { return sim.ID("fp_", model)[:13] }
