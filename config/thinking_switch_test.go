package config

import (
	"strings"
	"testing"
)

func TestQwenThinkingSwitch(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    Provider
		want string
	}{
		{"dashscope", Provider{Kind: KindOpenAI, BaseURL: "https://dashscope.aliyuncs.com/compatible-mode/v1"}, ThinkingSwitchEnableThinking},
		{"dashscope intl", Provider{Kind: KindOpenAI, BaseURL: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"}, ThinkingSwitchEnableThinking},
		{"modelscope", Provider{Kind: KindOpenAI, BaseURL: "https://api-inference.modelscope.cn/v1"}, ThinkingSwitchEnableThinking},
		{"compatible-mode path", Provider{Kind: KindOpenAI, BaseURL: "http://127.0.0.1:9/compatible-mode/v1/"}, ThinkingSwitchEnableThinking},
		{"pool on dashscope", Provider{Kind: KindOpenAI, Endpoints: []Endpoint{{BaseURL: "https://dashscope.aliyuncs.com/compatible-mode/v1"}}}, ThinkingSwitchEnableThinking},
		{"vllm unset", Provider{Kind: KindOpenAI, BaseURL: "http://vllm:8000/v1"}, ThinkingSwitchNone},
		{"vllm set", Provider{Kind: KindOpenAI, BaseURL: "http://vllm:8000/v1", ThinkingSwitch: ThinkingSwitchChatTemplate}, ThinkingSwitchChatTemplate},
		{"dashscope told none", Provider{Kind: KindOpenAI, BaseURL: "https://dashscope.aliyuncs.com/compatible-mode/v1", ThinkingSwitch: ThinkingSwitchNone}, ThinkingSwitchNone},
		{"openai default host", Provider{Kind: KindOpenAI}, ThinkingSwitchNone},
		{"azure", Provider{Kind: KindAzure, BaseURL: "https://r.openai.azure.com"}, ThinkingSwitchNone},
	} {
		if got := tt.p.QwenThinkingSwitch(); got != tt.want {
			t.Errorf("%s: QwenThinkingSwitch() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestThinkingSwitchSetting(t *testing.T) {
	p := func(body string) string {
		return "deployments: {d: {provider: p}}\nroutes: {r: {deployments: [d]}}\nproviders:\n  p:\n" + body
	}
	c := mustParse(t, []byte(p("    kind: openai\n    base_url: http://vllm:8000/v1\n    api_key: k\n    thinking_switch: chat_template_kwargs\n")), nil)
	if got := c.Providers["p"].QwenThinkingSwitch(); got != ThinkingSwitchChatTemplate {
		t.Errorf("thinking_switch: chat_template_kwargs read as %q", got)
	}
	for _, tt := range []struct{ name, body, problem, hint string }{
		{"unknown value", "    kind: openai\n    api_key: k\n    thinking_switch: enable_thinkng\n", `unknown thinking_switch "enable_thinkng"`, `did you mean "enable_thinking"?`},
		{"on anthropic", "    kind: anthropic\n    api_key: k\n    thinking_switch: none\n", "thinking_switch is only for kind openai, not anthropic", "remove it"},
	} {
		_, err := Parse([]byte(p(tt.body)), nil)
		fe := findError(t, err, "providers.p.thinking_switch", tt.problem)
		if !strings.Contains(fe.Hint, tt.hint) {
			t.Errorf("%s: hint %q, want it to contain %q", tt.name, fe.Hint, tt.hint)
		}
	}
}
