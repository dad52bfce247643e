package openai

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"

	"switchyard/llm"
)

// Alibaba's Qwen models think in one of three ways (Model Studio's "Deep
// thinking" guide, alibabacloud.com/help/en/model-studio/deep-thinking;
// docs.qwencloud.com/developer-guides/text-generation/thinking; vLLM's
// "Reasoning outputs"): hybrid models switch per request with
// enable_thinking, either off by default (the commercial qwen-plus,
// qwen-flash, qwen-turbo, qwen3-max, qwen3-vl-plus/flash) or on by default
// (the open-weight Qwen3 models, qwen3-8b… qwen3-235b-a22b, and Qwen3.5
// and later); thinking-only models (QwQ, the -thinking variants such as
// qwen3-235b-a22b-thinking-2507) always think; the Instruct-2507 and Coder
// models never do. Their reasoning comes back as reasoning_content
// (reasoning_content.go).
//
// Hosts take the switch in one of two places (ThinkingSwitch): DashScope's
// compatible mode and ModelScope's API read enable_thinking and
// thinking_budget (the most thinking tokens) at the top level, and refuse
// a non-streamed request that thinks with 400 "parameter.enable_thinking
// must be set to false for non-streaming calls"; vLLM and SGLang read
// chat_template_kwargs {"enable_thinking": …} and serve either way.
// Neither reads reasoning_effort for a Qwen model.

// QwenMode is how a Qwen model thinks.
type QwenMode uint8

// The Qwen modes.
const (
	// QwenNoThinking is a model that does not think (Qwen3 Instruct-2507,
	// Coder, Qwen2.5) or an id that is not Qwen's.
	QwenNoThinking QwenMode = iota
	// QwenThinksWhenAsked is a hybrid model whose thinking is off by
	// default: qwen-plus, qwen-flash, qwen-turbo, qwen3-max,
	// qwen3-vl-plus and qwen3-vl-flash.
	QwenThinksWhenAsked
	// QwenThinksByDefault is a hybrid model whose thinking is on unless
	// turned off: the open-weight Qwen3 models (qwen3-32b,
	// qwen3-235b-a22b…) and Qwen3.5 and later.
	QwenThinksByDefault
	// QwenThinksAlways is a thinking-only model: QwQ and the -thinking
	// variants. Its thinking cannot be turned off.
	QwenThinksAlways
)

// QwenModeOf returns how the Qwen model of id model thinks, read with or
// without a host's "vendor/" prefix ("Qwen/Qwen3-32B") and in any case.
func QwenModeOf(model string) QwenMode { return qwenMode(modelID(model)) }

// qwenMode is QwenModeOf of a model id (modelID).
func qwenMode(m string) QwenMode {
	switch {
	case strings.HasPrefix(m, "qwq"):
		return QwenThinksAlways
	case !strings.HasPrefix(m, "qwen"):
		return QwenNoThinking
	case strings.Contains(m, "-thinking"):
		return QwenThinksAlways
	case strings.Contains(m, "instruct"), strings.Contains(m, "coder"):
		return QwenNoThinking
	case qwen3Point(m) >= 5:
		return QwenThinksByDefault
	case strings.HasPrefix(m, "qwen3-max"), strings.HasPrefix(m, "qwen3-vl-plus"), strings.HasPrefix(m, "qwen3-vl-flash"),
		strings.HasPrefix(m, "qwen-plus"), strings.HasPrefix(m, "qwen-flash"), strings.HasPrefix(m, "qwen-turbo"):
		return QwenThinksWhenAsked
	case strings.HasPrefix(m, "qwen3-") && len(m) > len("qwen3-") && m[len("qwen3-")] >= '0' && m[len("qwen3-")] <= '9':
		return QwenThinksByDefault // qwen3-8b, qwen3-0.6b, qwen3-30b-a3b, qwen3-235b-a22b
	}
	return QwenNoThinking
}

// qwen3Point returns N of a "qwen3.N" id (qwen3.5-plus, qwen3.6-35b-a3b);
// -1 for any other.
func qwen3Point(m string) int {
	rest, ok := strings.CutPrefix(m, "qwen3.")
	if !ok {
		return -1
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(rest[:end])
	if err != nil {
		return -1
	}
	return n
}

// ThinkingSwitch is where a host takes a Qwen model's thinking switch.
type ThinkingSwitch string

// The thinking switches.
const (
	// SwitchNone sends none: the model thinks as it does by default, and
	// the request's reasoning is sent as reasoning_effort, as to any
	// OpenAI-compatible model that declares capability reasoning.
	SwitchNone ThinkingSwitch = "none"
	// SwitchEnableThinking sends enable_thinking and thinking_budget at
	// the top level (DashScope's compatible mode, ModelScope).
	SwitchEnableThinking ThinkingSwitch = "enable_thinking"
	// SwitchChatTemplate sends chat_template_kwargs {"enable_thinking"}
	// (vLLM, SGLang).
	SwitchChatTemplate ThinkingSwitch = "chat_template_kwargs"
)

// The Extra keys of the thinking switches.
const (
	ExtraEnableThinking     = "enable_thinking"
	ExtraThinkingBudget     = "thinking_budget"
	ExtraChatTemplateKwargs = "chat_template_kwargs"
)

// QwenThinks reports whether a Qwen model thinks for req on a host whose
// switch is sw: a thinking-only model always; a hybrid one as req's
// reasoning asks (effort none turns it off), without any as by default —
// except that a non-streamed request (req.Stream false: a batch line) to
// a host with SwitchEnableThinking never has a hybrid model think, which
// DashScope refuses.
func QwenThinks(req *llm.Request, sw ThinkingSwitch) bool {
	mode := QwenModeOf(req.ModelID())
	switch {
	case mode == QwenNoThinking:
		return false
	case mode == QwenThinksAlways:
		return true
	case !req.Stream && sw == SwitchEnableThinking:
		return false
	case req.Reasoning == nil:
		return mode == QwenThinksByDefault
	}
	return req.Reasoning.Level() != llm.EffortNone
}

// SetQwenThinking writes the thinking switch of a Qwen model (QwenModeOf)
// on req for a host whose switch is sw, in place (Extra is copied first),
// and clears req.Reasoning, which such a host does not read as
// reasoning_effort: with SwitchEnableThinking, enable_thinking (as
// QwenThinks says) when the request asks reasoning or is not streamed,
// and thinking_budget (Reasoning.Budget; none for adaptive thinking) when
// it thinks as asked; with SwitchChatTemplate, chat_template_kwargs'
// enable_thinking when the request asks reasoning. A thinking-only model
// is sent no switch (with SwitchEnableThinking, its budget alone). What
// a client set itself (an enable_thinking or chat_template_kwargs'
// enable_thinking in Extra) is kept as it is. Nothing is done for any
// other model or for SwitchNone.
func SetQwenThinking(req *llm.Request, sw ThinkingSwitch) {
	mode := QwenModeOf(req.ModelID())
	if mode == QwenNoThinking || sw != SwitchEnableThinking && sw != SwitchChatTemplate || clientSwitched(req, sw) {
		return
	}
	r, on := req.Reasoning, QwenThinks(req, sw)
	req.Reasoning = nil
	set := func(k string, v json.RawMessage) {
		req.Extra = maps.Clone(req.Extra)
		if req.Extra == nil {
			req.Extra = make(map[string]json.RawMessage, 2)
		}
		req.Extra[k] = v
	}
	if sw == SwitchChatTemplate {
		if r != nil && mode != QwenThinksAlways {
			set(ExtraChatTemplateKwargs, withEnableThinking(req.Extra[ExtraChatTemplateKwargs], on))
		}
		return
	}
	if mode != QwenThinksAlways && (r != nil || !req.Stream) {
		set(ExtraEnableThinking, json.RawMessage(strconv.FormatBool(on)))
	}
	if on && r != nil && !r.Adaptive && r.Level() != llm.EffortNone {
		if _, own := req.Extra[ExtraThinkingBudget]; !own {
			set(ExtraThinkingBudget, json.RawMessage(strconv.Itoa(r.Budget())))
		}
	}
}

// clientSwitched reports whether req's client set the switch of sw
// itself.
func clientSwitched(req *llm.Request, sw ThinkingSwitch) bool {
	if sw == SwitchEnableThinking {
		_, ok := req.Extra[ExtraEnableThinking]
		return ok
	}
	var kw map[string]json.RawMessage
	if json.Unmarshal(req.Extra[ExtraChatTemplateKwargs], &kw) != nil {
		return false
	}
	_, ok := kw[ExtraEnableThinking]
	return ok
}

// withEnableThinking returns the chat_template_kwargs object raw (nil or
// not an object: a new one) with enable_thinking set to on, its other
// members kept.
func withEnableThinking(raw json.RawMessage, on bool) json.RawMessage {
	var kw map[string]json.RawMessage
	if json.Unmarshal(raw, &kw) != nil || kw == nil {
		kw = make(map[string]json.RawMessage, 1)
	}
	kw[ExtraEnableThinking] = json.RawMessage(strconv.FormatBool(on))
	out, _ := json.Marshal(kw) // members are valid JSON: they were decoded
	return out
}
