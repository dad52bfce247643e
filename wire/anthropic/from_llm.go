package anthropic

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
)

// DefaultMaxTokens is the max_tokens FromLLM sends when the request sets
// none: Anthropic requires the field while OpenAI clients usually omit it.
// 4096 fits every current Claude model's output limit.
const DefaultMaxTokens = 4096

// FromLLM builds a Messages API request from a canonical request.
//
// The mapping:
//   - system and developer messages, wherever they appear, are lifted in
//     order into the top-level system blocks;
//   - tool messages become tool_result blocks in a user turn; consecutive
//     turns of the same role are merged into one (the API expects
//     alternation), and in a merged user turn tool_result blocks come
//     first, as the API requires; empty turns are dropped, and a final
//     assistant turn (a prefill) loses trailing whitespace, which the API
//     rejects; a conversation whose first turn is the assistant's gets a
//     user turn holding OpeningUserText before it, since the API requires
//     the first message to be the user's;
//   - max_tokens is req.MaxTokens or DefaultMaxTokens;
//   - tools map to input_schema ({"type":"object"} when no parameters);
//     tool_choice auto→auto, required→any, function→tool+name, none→none;
//     parallel_tool_calls=false sets disable_parallel_tool_use;
//   - data: image URIs become base64 sources, http(s) URLs url sources
//     (the OpenAI detail level has no equivalent and is dropped);
//   - service_tier is RequestTierFromLLM of req.ServiceTier;
//   - stop→stop_sequences, user→metadata.user_id (left out when longer
//     than MaxUserID, which the API refuses), TopK→top_k; the
//     thinking and top_k fields of req.Extra pass through (an OpenAI
//     client's way to set them), other extras are dropped;
//   - prompt-cache breakpoints (llm.CacheTTL) become cache_control on the
//     block, tool_use block or tool they mark (CacheFromLLM); one on a
//     tool message's last part marks its tool_result block; one on a
//     part that yields no block (an empty or whitespace-only text) is
//     dropped; a one-hour breakpoint that lands after a five-minute one
//     (tool results are moved first) is sent as five-minute, which the
//     API requires;
//   - req.Reasoning becomes thinking (it replaces one from req.Extra):
//     adaptive on models that take it (AdaptiveThinking; always on those
//     that take nothing else), else enabled with its budget — an
//     effort's from llm.BudgetFor (minimal 1024, low 2048, medium 8192,
//     high 16384, xhigh and max capped to MaxEffortBudget), at most half
//     of the client's max_tokens and at least 1024. max_tokens counts the
//     thinking, as OpenAI's max_completion_tokens counts reasoning: the
//     client's limit is kept, and without one it is DefaultMaxTokens plus
//     the budget. A limit of 1024 or less, and a forced tool_choice (any,
//     tool), which the API refuses with thinking, send no thinking;
//     effort "none" sends the lowest the model takes (chooseThinking).
//     With thinking, the sampling fields the API refuses are dropped, not
//     the thinking the client asked for: a temperature other than 1,
//     top_k, and a top_p below 0.95;
//   - what the model refuses (ModelTraits) is not sent: sampling fields
//     on Opus 4.7 and generation 5, a forced tool choice on Opus 5.5,
//     Sonnet 5.5 and Fable 5.1+ (relaxToolChoice), a prefill on Sonnet
//     4.6 and generation 5 (continuePrefill); ReasoningDrops names them;
//   - an assistant message's thinking (llm.Thinking) becomes thinking and
//     redacted_thinking blocks, in order and unchanged, before its text
//     and tool_use blocks, when the request thinks (on generation 5,
//     which thinks unasked, also without a thinking field); without
//     thinking it is dropped (the API ignores an earlier turn's thinking,
//     and refuses it in a final assistant turn);
//   - seed, presence_penalty, frequency_penalty, metadata (other than the
//     user) and participant names have no Anthropic equivalent and are
//     dropped: they are hints, not the shape of the answer.
//
// JSON mode: response_format json_schema is sent as native structured
// output (output_config.format, see applyFormat) to the models that take
// it — by the deployment's structured_output, else by the model id
// (NativeStructuredOutput) — when the schema can be sent as it is meant
// (NativeSchema: objects closed with additionalProperties false) and the
// conversation ends with no prefill. Otherwise, and always for
// json_object (which has no native form), it is emulated with a final
// system block that asks for only a JSON value (quoting the schema); the
// answer is then plain text holding the JSON, which is what an OpenAI
// client expects in message.content (the gateway drops a Markdown fence
// the model may still add: guard.StripJSONFence). A forced tool was not
// chosen: it turns the answer into a tool call, which streams as
// input_json_delta and breaks when the caller also passes tools. A
// function tool with strict true is sent strict where native structured
// output is (applyStrict).
//
// Temperature: Anthropic accepts [0,1] while OpenAI accepts [0,2]. A value
// above 1 is rejected, not clamped or rescaled, because both would silently
// change the sampling the caller asked for.
//
// Errors are *llm.Error of kind invalid_request with Param naming the
// field (in OpenAI's request shape): n > 1, temperature or top_p out of
// range, max_tokens < 1, parts other than text and images, malformed tool
// call arguments, unknown tool types, a tool_choice naming no offered tool,
// and a request with no user or assistant message.
func FromLLM(req *llm.Request) (*MessagesRequest, error) {
	if err := checkSampling(req); err != nil {
		return nil, err
	}
	out := &MessagesRequest{Model: req.Model, Stream: req.Stream, Temperature: req.Temperature, TopP: req.TopP, TopK: req.TopK,
		ServiceTier: RequestTierFromLLM(req.ServiceTier), Betas: req.AnthropicBetas}
	mt := DefaultMaxTokens
	if req.MaxTokens != nil {
		mt = *req.MaxTokens
	}
	out.MaxTokens = &mt
	if len(req.Stop) > 0 {
		out.StopSequences = append([]string(nil), req.Stop...)
	}
	if req.User != "" && utf8.RuneCountInString(req.User) <= MaxUserID { // a longer one would be refused; it only helps detect abuse
		out.Metadata = &Metadata{UserID: req.User}
	}
	system, turns, err := convertMessages(req.Messages, req.SystemInPlace)
	if err != nil {
		return nil, err
	}
	if len(turns) == 0 && len(system) > 0 {
		// A system prompt alone, which OpenAI answers: Anthropic needs a
		// user turn, so the prompt is that turn.
		turns, system = []Message{{Role: "user", Content: system}}, nil
	}
	if len(turns) == 0 {
		return nil, invalid("messages", "the request needs at least one message with content")
	}
	out.System, out.Messages = system, turns
	out.ContextManagement = req.ContextManagement
	out.Container = req.AnthropicContainer
	if out.Tools, err = convertTools(req.Tools); err != nil {
		return nil, err
	}
	if out.ToolChoice, err = convertToolChoice(req, out.Tools); err != nil {
		return nil, err
	}
	t := ModelTraits(req.ModelID())
	if t.NoForcedTool {
		relaxToolChoice(out)
	}
	if t.NoPrefill {
		continuePrefill(out)
	}
	applyStrict(out.Tools, req)
	if req.ResponseFormat != nil {
		applyFormat(out, req)
	}
	if err := applyExtra(out, req.Extra); err != nil {
		return nil, err
	}
	applyReasoning(out, req, &t)
	applyEffort(out, req)
	if out.Thinking == nil && !t.ThinksByDefault { // generation 5 thinks unasked: its blocks go back
		dropThinking(out.Messages)
	}
	keepTTLOrder(out)
	return out, nil
}

func checkSampling(req *llm.Request) error {
	if req.N != nil && *req.N > 1 {
		return invalid("n", "n=%d is not supported by Anthropic models, which return one choice per request", *req.N)
	}
	if t := req.Temperature; t != nil && (*t < 0 || *t > 1) {
		return invalid("temperature", "temperature %g is out of range for Anthropic models, which accept 0 to 1 (OpenAI's 0 to 2 scale is not rescaled)", *t)
	}
	if p := req.TopP; p != nil && (*p < 0 || *p > 1) {
		return invalid("top_p", "top_p %g is out of range: it must be between 0 and 1", *p)
	}
	if m := req.MaxTokens; m != nil && *m < 1 {
		return invalid("max_tokens", "max_tokens must be at least 1, got %d", *m)
	}
	return nil
}

func invalid(param, format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, format, args...)
	e.Param = param
	return e
}

// convertMessages splits the conversation into system blocks and
// alternating turns.
func convertMessages(msgs []llm.Message, inPlace bool) (Blocks, []Message, error) {
	var system Blocks
	var turns []Message
	for i := range msgs {
		m := &msgs[i]
		var role string
		var blocks Blocks
		var err error
		switch m.Role {
		case llm.RoleSystem, llm.RoleDeveloper:
			text, err := systemBlocks(m, i)
			if err != nil {
				return nil, nil, err
			}
			if inPlace && len(turns) > 0 {
				turns = appendTurn(turns, "system", text)
			} else {
				system = append(system, text...)
			}
			continue
		case llm.RoleUser:
			role = "user"
			blocks, err = partsToBlocks(m.Content, i)
		case llm.RoleAssistant:
			role = "assistant"
			blocks, err = assistantBlocks(m, i)
		case llm.RoleTool:
			role = "user"
			blocks, err = toolResultBlocks(m, i)
		default:
			return nil, nil, invalid(fmt.Sprintf("messages[%d].role", i), "unknown role %q", m.Role)
		}
		if err != nil {
			return nil, nil, err
		}
		turns = appendTurn(turns, role, blocks)
	}
	for i := range turns {
		if turns[i].Role == "user" {
			toolResultsFirst(turns[i].Content)
		}
	}
	return system, userFirst(trimPrefill(turns)), nil
}

// systemBlocks returns the text blocks of a system or developer message.
func systemBlocks(m *llm.Message, i int) (Blocks, error) {
	var out Blocks
	for j, p := range m.Content {
		if p.Type != llm.PartText {
			return nil, invalid(fmt.Sprintf("messages[%d].content[%d]", i, j), "%s messages may hold only text, not %s", m.Role, p.Type)
		}
		if !BlankStop(p.Text) {
			out = append(out, ContentBlock{Type: BlockText, Text: p.Text, CacheControl: CacheFromLLM(p.Cache())})
		}
	}
	return out, nil
}

// OpeningUserText is the text of the user turn put before a conversation
// whose first turn is the assistant's: the Messages API requires the first
// message to use the user role, and rejects empty text blocks.
const OpeningUserText = "."

// userFirst puts a minimal user turn before turns when they start with the
// assistant's (a greeting the application showed, say).
func userFirst(turns []Message) []Message {
	if len(turns) == 0 || turns[0].Role == "user" {
		return turns
	}
	return append([]Message{{Role: "user", Content: Blocks{{Type: BlockText, Text: OpeningUserText}}}}, turns...)
}

// appendTurn adds blocks as a turn of role, merged into the last turn when
// that has the same role. Empty turns are dropped.
func appendTurn(turns []Message, role string, blocks Blocks) []Message {
	if len(blocks) == 0 {
		return turns
	}
	if n := len(turns); n > 0 && turns[n-1].Role == role {
		turns[n-1].Content = append(turns[n-1].Content, blocks...)
		return turns
	}
	return append(turns, Message{Role: role, Content: blocks})
}

// toolResultsFirst moves tool_result blocks before the others, keeping
// each group's order.
func toolResultsFirst(b Blocks) {
	out := make(Blocks, 0, len(b))
	for _, c := range b {
		if c.Type == BlockToolResult {
			out = append(out, c)
		}
	}
	for _, c := range b {
		if c.Type != BlockToolResult {
			out = append(out, c)
		}
	}
	copy(b, out)
}

// trimPrefill removes trailing whitespace from a final assistant turn.
func trimPrefill(turns []Message) []Message {
	n := len(turns)
	if n == 0 || turns[n-1].Role != "assistant" {
		return turns
	}
	c := turns[n-1].Content
	last := &c[len(c)-1]
	if last.Type != BlockText {
		return turns
	}
	last.Text = strings.TrimRight(last.Text, " \t\r\n")
	if last.Text == "" {
		c = c[:len(c)-1]
		if len(c) == 0 {
			return turns[:n-1]
		}
		turns[n-1].Content = c
	}
	return turns
}

// partsToBlocks converts user content: text, images and documents.
func partsToBlocks(parts []llm.Part, msg int) (Blocks, error) {
	var out Blocks
	for j, p := range parts {
		switch p.Type {
		case llm.PartText:
			// The API refuses a text block without non-whitespace text,
			// which OpenAI's accepts: such text is left out, like empty.
			if !BlankStop(p.Text) {
				out = append(out, ContentBlock{Type: BlockText, Text: p.Text, CacheControl: CacheFromLLM(p.Cache())})
			}
		case llm.PartImage:
			src, err := imageSource(p.ImageURL())
			if err != nil {
				return nil, invalid(fmt.Sprintf("messages[%d].content[%d].image_url", msg, j), "%s", err.Error())
			}
			out = append(out, ContentBlock{Type: BlockImage, Source: src, CacheControl: CacheFromLLM(p.Cache())})
		case llm.PartDocument:
			b, err := documentBlock(p.Document(), p.Cache())
			if err != nil {
				return nil, invalid(fmt.Sprintf("messages[%d].content[%d]", msg, j), "%s", err.Error())
			}
			out = append(out, b)
		default:
			return nil, invalid(fmt.Sprintf("messages[%d].content[%d]", msg, j), "content parts of type %q are not supported by Anthropic models; send text, images or PDF files (file_data)", clientPartType(&p))
		}
	}
	return out, nil
}

func assistantBlocks(m *llm.Message, msg int) (Blocks, error) {
	if len(m.Blocks()) > 0 {
		return wovenAssistantBlocks(m, msg)
	}
	out, err := partsToBlocks(m.Content, msg)
	if err != nil {
		return nil, err
	}
	if th := m.Thinking(); len(th) > 0 {
		out = append(thinkingBlocks(th), out...)
	}
	if len(out) == 0 && m.Refusal() != "" {
		out = append(out, ContentBlock{Type: BlockText, Text: m.Refusal()})
	}
	for j := range m.ToolCalls() {
		b, err := toolUseBlock(m, msg, j)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// toolUseBlock is the tool_use block of m's tool call j.
func toolUseBlock(m *llm.Message, msg, j int) (ContentBlock, error) {
	tc := &m.ToolCalls()[j]
	input, err := toolInput(tc.Arguments)
	if err != nil {
		return ContentBlock{}, invalid(fmt.Sprintf("messages[%d].tool_calls[%d].function.arguments", msg, j), "tool call arguments must be a JSON object: %v", err)
	}
	if tc.ID == "" || tc.Name == "" {
		return ContentBlock{}, invalid(fmt.Sprintf("messages[%d].tool_calls[%d]", msg, j), "a tool call needs an id and a function name")
	}
	return ContentBlock{Type: BlockToolUse, ID: tc.ID, Name: tc.Name, Input: input, CacheControl: CacheFromLLM(tc.Cache)}, nil
}

// toolInput checks that args is a JSON object ("" means {}).
func toolInput(args string) (json.RawMessage, error) {
	if strings.TrimSpace(args) == "" {
		return json.RawMessage("{}"), nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(args), &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, fmt.Errorf("got null")
	}
	return json.RawMessage(args), nil
}

func toolResultBlocks(m *llm.Message, msg int) (Blocks, error) {
	if m.ToolCallID() == "" {
		return nil, invalid(fmt.Sprintf("messages[%d].tool_call_id", msg), "a tool message needs the tool_call_id it answers")
	}
	content, err := partsToBlocks(m.Content, msg)
	if len(m.Blocks()) > 0 { // tool_reference blocks of a client's tool search
		content, err = wovenParts(m, msg, 0)
	}
	if err != nil {
		return nil, err
	}
	result := ContentBlock{Type: BlockToolResult, ToolUseID: m.ToolCallID(), Content: content, HasContent: len(content) > 0}
	if n := len(m.Content); n > 0 && m.Content[n-1].Cache() != llm.NoCache {
		// The last part's breakpoint marks the whole result, not its
		// last inner block (see llm.CacheTTL).
		result.CacheControl = CacheFromLLM(m.Content[n-1].Cache())
		if k := len(content); k > 0 && content[k-1].CacheControl != nil {
			content[k-1].CacheControl = nil
		}
	}
	return Blocks{result}, nil
}
