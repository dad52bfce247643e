package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// A provider's thinking_switch: where the host takes a Qwen model's
// thinking switch (switchyard/wire/openai.ThinkingSwitch; docs/providers.md,
// "Qwen's thinking models").
const (
	// ThinkingSwitchEnableThinking sends enable_thinking and
	// thinking_budget at the top level: DashScope's compatible mode,
	// ModelScope.
	ThinkingSwitchEnableThinking = "enable_thinking"
	// ThinkingSwitchChatTemplate sends chat_template_kwargs
	// {"enable_thinking"}: vLLM, SGLang.
	ThinkingSwitchChatTemplate = "chat_template_kwargs"
	// ThinkingSwitchNone sends neither: the request's reasoning goes as
	// reasoning_effort to a deployment that declares capability
	// reasoning.
	ThinkingSwitchNone = "none"
)

// thinkingSwitches lists the thinking_switch values, in the order the
// docs give them.
var thinkingSwitches = []string{ThinkingSwitchEnableThinking, ThinkingSwitchChatTemplate, ThinkingSwitchNone}

// QwenThinkingSwitch returns where p's host takes a Qwen model's thinking
// switch: p.ThinkingSwitch when set; otherwise, for kind openai,
// ThinkingSwitchEnableThinking for Alibaba's hosts (a base_url whose host
// names dashscope, as dashscope.aliyuncs.com and dashscope-intl.aliyuncs.com
// do, or modelscope, as api-inference.modelscope.cn does, or whose path
// is DashScope's /compatible-mode/v1); ThinkingSwitchNone for any other
// host and kind.
func (p *Provider) QwenThinkingSwitch() string {
	if p.Kind != KindOpenAI {
		return ThinkingSwitchNone
	}
	if p.ThinkingSwitch != "" {
		return p.ThinkingSwitch
	}
	base := p.BaseURL
	if base == "" && len(p.Endpoints) > 0 {
		base = p.Endpoints[0].BaseURL
	}
	u, err := url.Parse(base)
	if err != nil {
		return ThinkingSwitchNone
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, "dashscope") || strings.Contains(host, "modelscope") ||
		strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/compatible-mode/v1") {
		return ThinkingSwitchEnableThinking
	}
	return ThinkingSwitchNone
}

func (v *validator) thinkingSwitch(path string, p *Provider) {
	path += ".thinking_switch"
	switch {
	case p.ThinkingSwitch == "":
	case !slices.Contains(thinkingSwitches, p.ThinkingSwitch):
		v.add(path, fmt.Sprintf("unknown thinking_switch %q", p.ThinkingSwitch), choices(p.ThinkingSwitch, "values", thinkingSwitches))
	case p.Kind != KindOpenAI && slices.Contains(kinds, p.Kind):
		v.add(path, fmt.Sprintf("thinking_switch is only for kind openai, not %s", p.Kind),
			"remove it: only OpenAI-compatible hosts serve Qwen's models")
	}
}
