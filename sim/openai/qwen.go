package openai

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// Qwen's models (wire.QwenModeOf) answer as Alibaba's hosts do. On
// DashScope's compatible-mode path (POST /compatible-mode/v1/chat/
// completions, as https://dashscope.aliyuncs.com/compatible-mode/v1
// serves it) they take enable_thinking and thinking_budget at the top
// level (Model Studio's "Deep thinking" guide); on /v1 they take vLLM's
// chat_template_kwargs {"enable_thinking"} (vLLM's "Reasoning outputs":
// Qwen3's reasoning is on unless enable_thinking is false there). A model
// that thinks (a hybrid one as asked, else by default; a thinking-only
// one always) writes its chain of thought in reasoning_content, as
// DeepSeek's does (deepseek.go), cut to thinking_budget tokens. DashScope
// refuses a non-streamed request that would think, in its own error
// shape (code, param, message, type; then id and request_id), as peers
// quote it (infiniflow/ragflow#8972, #5912; QuantumNous/new-api#905):
// "parameter.enable_thinking must be set to false for non-streaming
// calls" for a hybrid model, "This model only support stream mode,
// please enable the stream parameter to access the model. " (with its
// trailing space) for a thinking-only one.

// qwenModel reports whether model is one of Qwen's that can think.
func qwenModel(model string) bool { return wire.QwenModeOf(model) != wire.QwenNoThinking }

// qwenParam reports whether k is a thinking parameter a Qwen model takes
// on the path of c.
func qwenParam(c *call, k, model string) bool {
	if !qwenModel(model) {
		return false
	}
	if c.dashScope {
		return k == wire.ExtraEnableThinking || k == wire.ExtraThinkingBudget
	}
	return k == wire.ExtraChatTemplateKwargs
}

// qwenThinking returns whether a Qwen model thinks for req on the path
// of c, and the thinking budget asked (0: none).
func qwenThinking(c *call, req *llm.Request) (on bool, budget int) {
	mode := wire.QwenModeOf(req.Model)
	if mode == wire.QwenNoThinking {
		return false, 0
	}
	on = mode != wire.QwenThinksWhenAsked
	raw := req.Extra[wire.ExtraEnableThinking]
	if !c.dashScope {
		var kw map[string]json.RawMessage
		_ = json.Unmarshal(req.Extra[wire.ExtraChatTemplateKwargs], &kw)
		raw = kw[wire.ExtraEnableThinking]
	} else if n, err := strconv.Atoi(string(req.Extra[wire.ExtraThinkingBudget])); err == nil && n > 0 {
		budget = n
	}
	if v, err := strconv.ParseBool(string(raw)); err == nil && mode != wire.QwenThinksAlways {
		on = v
	}
	return on, budget
}

// refuseQwenUnstreamed answers DashScope's 400 for a non-streamed request
// to a Qwen model that would think; it reports whether it did.
func refuseQwenUnstreamed(c *call, req *llm.Request) bool {
	if !c.dashScope || req.Stream {
		return false
	}
	on, _ := qwenThinking(c, req)
	if !on {
		return false
	}
	msg := "parameter.enable_thinking must be set to false for non-streaming calls"
	if wire.QwenModeOf(req.Model) == wire.QwenThinksAlways {
		msg = "This model only support stream mode, please enable the stream parameter to access the model. "
	}
	id := newUUID()
	body, _ := json.Marshal(msg) // a Go string always marshals
	c.writeJSON(http.StatusBadRequest, []byte(`{"error":{"code":"invalid_parameter_error","param":null,"message":`+string(body)+
		`,"type":"invalid_request_error"},"id":"chatcmpl-`+id+`","request_id":"`+id+`"}`+"\n"))
	return true
}

// qwenReasoning is the chain of thought a thinking Qwen model writes
// before ans, in pieces, cut to budget tokens (a word a token; 0: uncut),
// and ans with its reasoning tokens counted as written: none when it does
// not think.
func qwenReasoning(c *call, req *llm.Request, a sim.Ask, ans sim.Answer) ([]string, sim.Answer) {
	on, budget := qwenThinking(c, req)
	if !on {
		ans.CompletionTokens -= ans.ReasoningTokens
		ans.ReasoningTokens = 0
		return nil, ans
	}
	pieces := deepSeekReasoning(a, ans)
	if budget > 0 {
		pieces = cutToWords(pieces, budget)
	}
	n := 0
	for _, p := range pieces {
		n += len(strings.Fields(p))
	}
	ans.CompletionTokens += n - ans.ReasoningTokens
	ans.ReasoningTokens = n
	return pieces, ans
}

// cutToWords returns pieces holding at most n words, the last cut short.
func cutToWords(pieces []string, n int) []string {
	var out []string
	for _, p := range pieces {
		w := strings.Fields(p)
		if len(w) >= n {
			return append(out, strings.Join(w[:n], " "))
		}
		out, n = append(out, p), n-len(w)
	}
	return out
}
