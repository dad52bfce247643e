package openai

import (
	"encoding/json"
	"strings"

	"switchyard/llm"
)

// OpenAI-compatible hosts of reasoning models write the model's reasoning
// beside the answer in a field of their own, on the message and on each
// stream delta: "reasoning_content" (DeepSeek, SGLang, vLLM before 0.11,
// Qwen on DashScope, Moonshot's Kimi) or "reasoning" (OpenRouter, Groq,
// vLLM from 0.11, Ollama's OpenAI endpoint). Both decode as one unsigned
// thinking block (llm.Thinking with Text alone); a message or delta that
// holds both is read from reasoning_content. A Chat Completions client
// gets it back as reasoning_content, as DeepSeek writes it.
//
// DeepSeek's thinking mode also wants it back: an assistant message of a
// user turn that called tools, sent without reasoning_content, is refused
// with 400 "Missing `reasoning_content` field in the assistant message at
// message index N" (api-docs.deepseek.com/guides/thinking_mode, "tool
// calls": the reasoning of such a turn must be passed back in every later
// request). EncodeChatRequestWith writes it on every assistant message
// when asked (ChatOptions.ReasoningContent; SendsReasoningContent decides):
// the message's thinking text, or "" when it has none, which DeepSeek
// takes (peers' fixes: continuedev/continue#11290, llm-rosetta#357).

// The members that carry reasoning text.
const (
	keyReasoningContent = "reasoning_content"
	keyReasoning        = "reasoning"
)

// reasoningField collects the reasoning text of one message or delta.
type reasoningField struct {
	text string
	// details is OpenRouter's reasoning_details array, "" for none
	// (reasoning_details.go).
	details string
	// content reports that text came from reasoning_content, which a
	// "reasoning" member does not replace.
	content bool
}

// read consumes the value of member key (reasoning_content or
// reasoning): a string is kept, null and any other value (OpenRouter's
// reasoning objects) skipped.
func (r *reasoningField) read(s *scanner, key string) error {
	if s.peek() != '"' {
		return s.skip()
	}
	v, err := s.str()
	if err != nil {
		return err
	}
	switch {
	case key == keyReasoningContent:
		r.text, r.content = v, true
	case !r.content:
		r.text = v
	}
	return nil
}

// setOn puts the text on m as its thinking block, then the
// reasoning_details block; empty text and no details set nothing.
func (r *reasoningField) setOn(m *llm.Message) {
	var blocks []llm.Thinking
	if r.text != "" {
		blocks = append(blocks, llm.Thinking{Text: r.text})
	}
	if r.details != "" {
		blocks = append(blocks, llm.OpenRouterReasoning(r.details))
	}
	if blocks != nil {
		m.SetThinking(blocks)
	}
}

// setOnDelta puts the text on d as a piece of the answer's first
// thinking block; empty text sets nothing.
func (r *reasoningField) setOnDelta(d *llm.Delta) {
	if r.text != "" {
		d.Thinking = &llm.ThinkingDelta{Text: r.text}
	}
}

// ReasoningText returns the thinking text of m, the text of its blocks
// that have one (an OpenAI reasoning item or redacted block has none),
// joined by a blank line; "" when it has none.
func ReasoningText(m *llm.Message) string {
	th := m.Thinking()
	if len(th) == 1 {
		return th[0].Text
	}
	var b strings.Builder
	for i := range th {
		if th[i].Text == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(th[i].Text)
	}
	return b.String()
}

// deltaReasoning returns the reasoning text a delta carries, "" for none.
func deltaReasoning(d *llm.Delta) string {
	if d.Thinking == nil {
		return ""
	}
	return d.Thinking.Text
}

// ChatOptions are what EncodeChatRequestWith writes beyond the request.
type ChatOptions struct {
	// ReasoningContent writes reasoning_content on every assistant
	// message: its thinking text (ReasoningText), "" when it has none.
	// For a host that wants the reasoning back (DeepSeekThinking); any
	// other, OpenAI's own included, is not sent the field.
	ReasoningContent bool
	// ThoughtSignatures writes each tool call's thought signature as its
	// extra_content.google.thought_signature, and on a Gemini 3 model
	// the sentinel on a message's first call that has none
	// (thought_signature.go). For Google's OpenAI compatibility endpoint
	// (SendsThoughtSignatures decides); any other host is not sent the
	// member.
	ThoughtSignatures bool
	// ReasoningDetails writes an assistant message's reasoning_details
	// (OpenRouter's, reasoning_details.go) back on it. For OpenRouter
	// (the adapter decides); any other host is not sent the member.
	ReasoningDetails bool
	// StringContent writes every message whose content is text alone as
	// one string, an array's parts joined by a blank line, for a host
	// that refuses an array there (DeepSeek's API on every message,
	// Groq's on a system message); any other is sent the client's form.
	StringContent bool
	// AllowedTools writes a tool_choice that allows some of the tools
	// (llm.ToolChoice.Allowed) as an allowed_tools choice, for a host
	// that takes one (OpenAI's and Azure's); any other is sent the
	// allowed tools alone and the choice's mode (llm.AllowedOnly).
	AllowedTools bool
}

// SendsReasoningContent reports whether req's assistant messages are
// sent with reasoning_content (ChatOptions.ReasoningContent): as its
// deployment's reasoning_content setting says (req.ReasoningContent),
// else for a DeepSeek or Kimi model in thinking mode (DeepSeekThinking,
// KimiThinking).
func SendsReasoningContent(req *llm.Request) bool {
	switch req.ReasoningContent {
	case llm.ReasoningContentSend:
		return true
	case llm.ReasoningContentOmit, llm.ReasoningContentTags:
		return false
	}
	return DeepSeekThinking(req) || KimiThinking(req)
}

// KimiThinking reports whether req goes to a Moonshot Kimi model in
// thinking mode, which refuses a tool loop whose assistant tool-call
// messages lack reasoning_content: 400 "thinking is enabled but
// reasoning_content is missing in assistant tool call message at index 2"
// (Moonshot's API, and OpenRouter, SiliconFlow and others serving Kimi:
// QuantumNous/new-api#3121, mastra#12592, opencode#10996 #16318,
// pi#987, Kilo-Org/kilocode#5544; an empty string passes, per
// obsidian-yolo#243 and pi#987). The thinking models: kimi-k2-thinking
// (and -turbo), and Kimi K2.5 and later, which think by default; a
// request's thinking {"type": "disabled"} turns it off.
func KimiThinking(req *llm.Request) bool {
	m := modelID(req.ModelID())
	if !kimiThinksByDefault(m) {
		return false
	}
	if enabled, set := thinkingAsked(req); set {
		return enabled
	}
	return true
}

// kimiThinksByDefault reports whether a model id (modelID) is a Kimi
// thinking model: kimi-k2-thinking…, or a Kimi version from 2.5 on.
func kimiThinksByDefault(m string) bool {
	if !strings.HasPrefix(m, "kimi-k") {
		return false
	}
	if strings.HasPrefix(m, "kimi-k2-thinking") {
		return true
	}
	v, _, _ := strings.Cut(m[len("kimi-k"):], "-")
	major, minor, ok := gptVersion(v)
	return ok && (major > 2 || major == 2 && minor >= 5)
}

// thinkingAsked reads the thinking switch of req as DeepSeek and Kimi
// take it (an Extra field {"type": "enabled"|"disabled"}): whether it
// enables thinking, and whether one was sent.
func thinkingAsked(req *llm.Request) (enabled, set bool) {
	raw, ok := req.Extra["thinking"]
	if !ok {
		return false, false
	}
	var t struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &t) != nil || t.Type == "" {
		return false, false
	}
	return t.Type == "enabled", true
}

// DeepSeekThinking reports whether req goes to a DeepSeek model in
// thinking mode, which wants reasoning_content back on the assistant
// messages of a tool loop: a DeepSeek model id (with or without a host's
// "vendor/" prefix) whose request's thinking (an Extra field, as DeepSeek
// takes it: {"type": "enabled"|"disabled"}) enables it, or, without one,
// a model that thinks by default (DeepSeekThinkingModel).
func DeepSeekThinking(req *llm.Request) bool {
	m := modelID(req.ModelID())
	if !strings.HasPrefix(m, "deepseek-") {
		return false
	}
	if enabled, set := thinkingAsked(req); set {
		return enabled
	}
	return deepSeekThinksByDefault(m)
}

// DeepSeekThinkingModel reports whether model is a DeepSeek model that
// thinks unless told not to: deepseek-reasoner (thinking mode of
// DeepSeek's current model) and the V4 models (deepseek-v4-pro,
// deepseek-v4-flash…), whose thinking mode is on by default.
// deepseek-chat thinks only when asked (thinking enabled).
func DeepSeekThinkingModel(model string) bool {
	return deepSeekThinksByDefault(modelID(model))
}

func deepSeekThinksByDefault(m string) bool {
	return m == "deepseek-reasoner" || strings.HasPrefix(m, "deepseek-v4")
}
