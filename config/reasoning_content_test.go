package config

import (
	"testing"

	"switchyard/llm"
)

// TestReasoningContent: an openai or azure deployment's reasoning_content
// is decoded into the domain type (empty: by model id); an unknown value,
// or the setting on a deployment of another kind, is an error.
func TestReasoningContent(t *testing.T) {
	const base = "providers: {compat: {kind: openai, api_key: k, base_url: 'https://api.moonshot.ai/v1'}, claude: {kind: anthropic, api_key: k}}\ndeployments:\n"
	c := mustParse(t, []byte(base+`  s: {provider: compat, model: kimi-k2-thinking, reasoning_content: send}
  o: {provider: compat, model: deepseek-reasoner, reasoning_content: omit}
  a: {provider: compat, model: deepseek-reasoner}
`), nil)
	for name, want := range map[string]llm.ReasoningContent{"s": llm.ReasoningContentSend, "o": llm.ReasoningContentOmit, "a": llm.ReasoningContentAuto} {
		if got := c.Deployments[name].LLM().ReasoningContent; got != want {
			t.Errorf("%s reasoning_content %q, want %q", name, got, want)
		}
	}
	_, err := Parse([]byte(base+"  q: {provider: compat, reasoning_content: always}\n"), nil)
	findError(t, err, "deployments.q.reasoning_content", `unknown reasoning_content "always"`)
	_, err = Parse([]byte(base+"  c: {provider: claude, reasoning_content: send}\n"), nil)
	findError(t, err, "deployments.c.reasoning_content", "applies to openai and azure deployments only")
}

// TestThoughtSignatures: an openai deployment's thought_signatures is
// decoded into the domain type (empty: by the provider's host); an
// unknown value, or the setting on a deployment of another kind, is an
// error.
func TestThoughtSignatures(t *testing.T) {
	const base = "providers: {compat: {kind: openai, api_key: k, base_url: 'https://proxy.example/v1'}, gem: {kind: gemini, api_key: k}}\ndeployments:\n"
	c := mustParse(t, []byte(base+`  s: {provider: compat, model: gemini-3-flash-preview, thought_signatures: send}
  o: {provider: compat, model: gemini-3-flash-preview, thought_signatures: omit}
  a: {provider: compat, model: gemini-3-flash-preview}
`), nil)
	for name, want := range map[string]llm.PassBack{"s": llm.PassBackSend, "o": llm.PassBackOmit, "a": llm.PassBackAuto} {
		if got := c.Deployments[name].LLM().ThoughtSignatures; got != want {
			t.Errorf("%s thought_signatures %q, want %q", name, got, want)
		}
	}
	_, err := Parse([]byte(base+"  q: {provider: compat, thought_signatures: always}\n"), nil)
	findError(t, err, "deployments.q.thought_signatures", `unknown thought_signatures "always"`)
	_, err = Parse([]byte(base+"  g: {provider: gem, thought_signatures: send}\n"), nil)
	findError(t, err, "deployments.g.thought_signatures", "applies to openai deployments only")
	c = mustParse(t, []byte(base+"  r: {provider: compat, model: google/gemini-3-pro-preview, reasoning_details: send}\n"), nil)
	if got := c.Deployments["r"].LLM().ReasoningDetails; got != llm.PassBackSend {
		t.Errorf("reasoning_details %q", got)
	}
	_, err = Parse([]byte(base+"  q: {provider: compat, reasoning_details: keep}\n"), nil)
	findError(t, err, "deployments.q.reasoning_details", `unknown reasoning_details "keep"`)
	_, err = Parse([]byte(base+"  g: {provider: gem, reasoning_details: send}\n"), nil)
	findError(t, err, "deployments.g.reasoning_details", "applies to openai deployments only")
}

// TestTextContent: an openai deployment's text_content is decoded into
// the domain type (empty: by the provider's host); an unknown value, or
// the setting on a deployment of another kind, is an error.
func TestTextContent(t *testing.T) {
	const base = "providers: {compat: {kind: openai, api_key: k, base_url: 'https://proxy.example/v1'}, az: {kind: azure, api_key: k, base_url: 'https://r.openai.azure.com'}}\ndeployments:\n"
	c := mustParse(t, []byte(base+`  s: {provider: compat, model: deepseek-chat, text_content: string}
  p: {provider: compat, model: deepseek-chat, text_content: parts}
  a: {provider: compat, model: deepseek-chat}
`), nil)
	for name, want := range map[string]llm.TextContent{"s": llm.TextContentString, "p": llm.TextContentParts, "a": llm.TextContentAuto} {
		if got := c.Deployments[name].LLM().TextContent; got != want {
			t.Errorf("%s text_content %q, want %q", name, got, want)
		}
	}
	_, err := Parse([]byte(base+"  q: {provider: compat, text_content: send}\n"), nil)
	findError(t, err, "deployments.q.text_content", `unknown text_content "send"`)
	_, err = Parse([]byte(base+"  z: {provider: az, model: gpt-4o, text_content: string}\n"), nil)
	findError(t, err, "deployments.z.text_content", "applies to openai deployments only")
}

// TestStreamOptions: an openai deployment's stream_options is decoded
// into the domain type (empty: by the provider's host); an unknown value,
// or the setting on a deployment of another kind, is an error.
func TestStreamOptions(t *testing.T) {
	const base = "providers: {compat: {kind: openai, api_key: k, base_url: 'https://proxy.example/v1'}, az: {kind: azure, api_key: k, base_url: 'https://r.openai.azure.com'}}\ndeployments:\n"
	c := mustParse(t, []byte(base+"  o: {provider: compat, model: mistral-large-latest, stream_options: omit}\n  a: {provider: compat, model: mistral-large-latest}\n"), nil)
	if got := c.Deployments["o"].LLM().StreamOptions; got != llm.PassBackOmit {
		t.Errorf("stream_options %q", got)
	}
	if got := c.Deployments["a"].LLM().StreamOptions; got != llm.PassBackAuto {
		t.Errorf("unset stream_options %q", got)
	}
	_, err := Parse([]byte(base+"  q: {provider: compat, stream_options: never}\n"), nil)
	findError(t, err, "deployments.q.stream_options", `unknown stream_options "never"`)
	_, err = Parse([]byte(base+"  z: {provider: az, model: gpt-4o, stream_options: omit}\n"), nil)
	findError(t, err, "deployments.z.stream_options", "applies to openai deployments only")
}

// TestThinkTags: an openai or azure deployment's think_tags is decoded
// into the domain type (empty: by the model id; YAML's on and off, which
// YAML 1.1 reads as booleans, are the words); an unknown value, or the
// setting on a deployment of another kind, is an error.
func TestThinkTags(t *testing.T) {
	const base = "providers: {vllm: {kind: openai, api_key: k, base_url: 'http://vllm:8000/v1'}, az: {kind: azure, api_key: k, base_url: 'https://r.openai.azure.com'}, claude: {kind: anthropic, api_key: k}}\ndeployments:\n"
	c := mustParse(t, []byte(base+`  on: {provider: vllm, model: my-r1-finetune, think_tags: on}
  off: {provider: vllm, model: deepseek-r1, think_tags: off}
  auto: {provider: vllm, model: deepseek-r1}
  azure: {provider: az, model: DeepSeek-R1, think_tags: "on"}
`), nil)
	for name, want := range map[string]llm.ThinkTags{"on": llm.ThinkTagsOn, "off": llm.ThinkTagsOff, "auto": llm.ThinkTagsAuto, "azure": llm.ThinkTagsOn} {
		if got := c.Deployments[name].LLM().ThinkTags; got != want {
			t.Errorf("%s think_tags %q, want %q", name, got, want)
		}
	}
	_, err := Parse([]byte(base+"  q: {provider: vllm, think_tags: always}\n"), nil)
	findError(t, err, "deployments.q.think_tags", `unknown think_tags "always"`)
	_, err = Parse([]byte(base+"  c: {provider: claude, think_tags: on}\n"), nil)
	findError(t, err, "deployments.c.think_tags", "applies to openai and azure deployments only")
}
