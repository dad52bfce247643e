package config

import (
	"fmt"
	"slices"
	"strings"

	"switchyard/llm"
)

// mediaKind refuses a media capability (images, speech, transcription),
// completions or realtime on a deployment whose provider's API has none:
// Anthropic's, Gemini's.
func (v *validator) mediaKind(path string, d *Deployment) {
	p := v.c.Providers[d.Provider]
	if p == nil || p.Kind != KindAnthropic && p.Kind != KindGemini {
		return
	}
	for i, c := range d.Capabilities {
		if c == llm.CapImages || c == llm.CapSpeech || c == llm.CapTranscription || c == llm.CapCompletions || c == llm.CapRealtime {
			v.add(fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("a provider of kind %s has no %s endpoint", p.Kind, c),
				"only deployments of kind openai and azure serve images, speech, transcription, completions and realtime")
		}
	}
}

// reasoningContent checks a deployment's reasoning_content: send,
// tags or omit, on a deployment of kind openai or azure (the OpenAI wire).
func (v *validator) reasoningContent(path string, d *Deployment) {
	switch llm.ReasoningContent(d.ReasoningContent) {
	case llm.ReasoningContentAuto:
		return
	case llm.ReasoningContentSend, llm.ReasoningContentOmit, llm.ReasoningContentTags:
	default:
		v.add(path, fmt.Sprintf("unknown reasoning_content %q", d.ReasoningContent), "send, tags or omit; leave the field out to decide by the model id")
		return
	}
	if p := v.c.Providers[d.Provider]; p != nil && p.Kind != KindOpenAI && p.Kind != KindAzure {
		v.add(path, "applies to openai and azure deployments only", "Anthropic and Gemini deployments get thinking in their own API's form; remove it")
	}
}

// thinkTags checks a deployment's think_tags: on or off, on a deployment
// of kind openai or azure (Azure AI Foundry serves DeepSeek-R1 with its
// reasoning in the content).
func (v *validator) thinkTags(path string, d *Deployment) {
	if d.ThinkTags == "" {
		return
	}
	if !slices.Contains(llm.ThinkTagsSettings, d.ThinkTags) {
		v.add(path, fmt.Sprintf("unknown think_tags %q", d.ThinkTags), "on or off; omit the field to decide by the model id")
		return
	}
	if p := v.c.Providers[d.Provider]; p != nil && p.Kind != KindOpenAI && p.Kind != KindAzure {
		v.add(path, "applies to openai and azure deployments only", "Anthropic and Gemini deployments get thinking in their own API's form; remove it")
	}
}

// hostSettings checks the settings of d the provider's host decides when
// they are unset.
func (v *validator) hostSettings(path string, d *Deployment) {
	passBacks := []string{string(llm.PassBackSend), string(llm.PassBackOmit)}
	v.hostSetting(path+".thought_signatures", "thought_signatures", d.ThoughtSignatures, passBacks, d,
		"Gemini deployments of kind gemini get their signatures in Gemini's own form; remove it")
	v.hostSetting(path+".reasoning_details", "reasoning_details", d.ReasoningDetails, passBacks, d,
		"only OpenRouter (kind openai) writes reasoning_details; remove it")
	v.hostSetting(path+".text_content", "text_content", d.TextContent, llm.TextContents, d,
		"Azure OpenAI, Anthropic and Gemini take text as the client sent it; remove it")
	v.hostSetting(path+".stream_options", "stream_options", d.StreamOptions, passBacks, d,
		"Azure OpenAI is always asked for usage, Anthropic and Gemini send it unasked; remove it")
}

// hostSetting checks a deployment's setting that the provider's host
// decides when unset (thought_signatures, reasoning_details,
// text_content): one of values, on a deployment of kind openai (the
// compatible hosts serve OpenAI's wire); elsewhere, hint says what to do.
func (v *validator) hostSetting(path, key, value string, values []string, d *Deployment, hint string) {
	if value == "" {
		return
	}
	if !slices.Contains(values, value) {
		v.add(path, fmt.Sprintf("unknown %s %q", key, value), strings.Join(values, " or ")+"; omit the field to decide by the provider's base_url")
		return
	}
	if p := v.c.Providers[d.Provider]; p != nil && p.Kind != KindOpenAI {
		v.add(path, "applies to openai deployments only", hint)
	}
}

// structuredOutput checks a deployment's structured_output: native or
// prompt, on an anthropic deployment (the one kind whose API has both).
func (v *validator) structuredOutput(path string, d *Deployment) {
	switch llm.StructuredOutput(d.StructuredOutput) {
	case llm.StructuredAuto:
		return
	case llm.StructuredNative, llm.StructuredPrompt:
	default:
		v.add(path, fmt.Sprintf("unknown structured_output %q", d.StructuredOutput), "native or prompt; omit it to decide by the model id")
		return
	}
	if p := v.c.Providers[d.Provider]; p != nil && p.Kind != KindAnthropic {
		v.add(path, "applies to anthropic deployments only", "OpenAI, Azure and Gemini deployments get response_format in their own API's native form; remove it")
	}
}
