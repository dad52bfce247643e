package anthropic

import (
	"cmp"
	"encoding/json"
	"slices"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file writes canonical answers in the Messages API's shape, for
// Anthropic clients of the router: appended to a buffer, field by field in
// the order the API writes them, without allocating.

// AppendResponse appends the JSON of a complete Message answering with
// resp's first choice: id (see MessageID), type, role, model (the model
// that answered, as the API reports the snapshot that served an alias),
// content — the thinking blocks of an Anthropic deployment's answer to a
// client that asked to see them, then a text block when the answer has
// text (or a refusal), then a
// tool_use block per tool call (input: the arguments when they are a
// JSON object, else {}), with a Claude deployment's server tool blocks
// (llm.Block) as it wrote them, in place (appendWoven) — stop_reason
// (StopReason of the finish reason, pause_turn for a paused turn,
// compaction for one stopped after Claude compacted the conversation),
// stop_sequence (appendStop), usage (AppendUsage) and a Claude
// deployment's context_management.
func AppendResponse(dst []byte, resp *llm.Response, id string) []byte {
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, id)
	dst = append(dst, `,"type":"message","role":"assistant","model":`...)
	dst = jsonw.String(dst, resp.Model)
	dst = append(dst, `,"content":[`...)
	st := stop{finish: llm.FinishStop}
	if len(resp.Choices) > 0 {
		c := &resp.Choices[0]
		st = stop{c.FinishReason, c.StopSequence, c.Refusal, c.Paused, c.Compacted}
		st.finish = st.toolFinish(len(c.Message.ToolCalls()) > 0, len(c.Message.Blocks()) > 0)
		dst = appendFallbackBlocks(dst, resp.Fallbacks)
		dst = appendContent(dst, &c.Message)
		dst = trimComma(dst)
	}
	dst = append(dst, `],`...)
	dst = appendStop(dst, st)
	dst = append(dst, `,"usage":`...)
	dst = appendFallbackUsage(dst, servedUsage(resp), resp.Model, resp.Fallbacks, resp.FallbackCredit, AppendUsage)
	dst = appendContainer(dst, resp.Container)
	dst = appendContextManagement(dst, resp.ContextManagement)
	return append(dst, `,"diagnostics":null}`...)
}

// appendContextManagement appends the context_management member a Claude
// deployment wrote (what the request's context editing did), as it wrote
// it; nothing when it wrote none.
func appendContextManagement(dst []byte, cm json.RawMessage) []byte {
	if len(cm) == 0 {
		return dst
	}
	dst = append(dst, `,"context_management":`...)
	return append(dst, cm...)
}

// appendContainer appends a container member: the code execution
// container a Claude deployment said it used, as it wrote it, else null
// (anthropic-sdk-go's Message and message_delta require the member).
// diagnostics, which the Message requires too, is always null: the router
// takes no diagnostics request.
func appendContainer(dst []byte, c json.RawMessage) []byte {
	dst = append(dst, `,"container":`...)
	if len(c) == 0 {
		return append(dst, "null"...)
	}
	return append(dst, c...)
}

// stop is what an answer says of its stop.
type stop struct {
	finish  llm.FinishReason
	seq     string
	refusal *llm.RefusalDetails
	paused  bool
	// compacted: the turn stopped after a compaction (stop_reason
	// compaction).
	compacted bool
}

// toolFinish is the finish reason st reports given whether the answer
// calls client tools (calls): the Messages API says tool_use whenever an
// answer calls one and never when it calls none, so an upstream's stop
// with tool calls is tool_calls — OpenAI's when tool_choice names a
// function (vllm-project/vllm#25054 has OpenAI's answers), Google's
// OpenAI-compatible stream (googleapis/python-genai#2868), SGLang's and
// mlx-vlm's servers (sgl-project/sglang#2877, Blaizzy/mlx-vlm#1014) — and
// a tool_calls without any usable call is stop (jasonxu114514/opencode2api#27:
// Claude Code ends the turn on tool_use with no tool_use block, running
// nothing). Claude Code and the SDKs' tool runners read stop_reason to
// decide whether to run the calls. A paused or compacted turn, one
// stopped at a stop sequence, and a Claude deployment's answer with
// server tool blocks (provider blocks, whose tool_use may await a server
// tool's result) keep their reason.
func (st stop) toolFinish(calls, provider bool) llm.FinishReason {
	switch {
	case st.paused || st.compacted || st.seq != "" || provider:
		return st.finish
	case st.finish == llm.FinishStop && calls:
		return llm.FinishToolCalls
	case st.finish == llm.FinishToolCalls && !calls:
		return llm.FinishStop
	}
	return st.finish
}

// appendStop appends the stop_reason, stop_sequence and stop_details
// members: a paused turn is pause_turn; a stop at a known stop sequence
// is stop_sequence with it, any other reason is StopReason's with
// stop_sequence null (OpenAI's and Gemini's APIs do not say whether a
// sequence matched); a refusal's stop_details is {"type":"refusal"} with
// the category and explanation the upstream gave (else null), any other
// stop's null.
func appendStop(dst []byte, st stop) []byte {
	finish, seq, refusal := st.finish, st.seq, st.refusal
	dst = append(dst, `"stop_reason":`...)
	if st.paused && finish == llm.FinishStop {
		return append(dst, `"pause_turn","stop_sequence":null,"stop_details":null`...)
	}
	if st.compacted && finish == llm.FinishStop {
		return append(dst, `"compaction","stop_sequence":null,"stop_details":null`...)
	}
	if finish == llm.FinishStop && seq != "" {
		dst = append(dst, `"stop_sequence","stop_sequence":`...)
		dst = jsonw.String(dst, seq)
		return append(dst, `,"stop_details":null`...)
	}
	dst = jsonw.String(dst, StopReason(finish))
	dst = append(dst, `,"stop_sequence":null,"stop_details":`...)
	if finish != llm.FinishContentFilter {
		return append(dst, `null`...)
	}
	var r llm.RefusalDetails
	if refusal != nil {
		r = *refusal
	}
	dst = append(dst, `{"type":"refusal","category":`...)
	dst = appendNullable(dst, r.Category)
	dst = append(dst, `,"explanation":`...)
	dst = appendNullable(dst, r.Explanation)
	dst = appendCreditToken(dst, &r)
	return append(dst, '}')
}

// appendNullable appends s as a JSON string, or null when it is empty.
func appendNullable(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, `null`...)
	}
	return jsonw.String(dst, s)
}

func appendContent(dst []byte, m *llm.Message) []byte {
	text := m.Text()
	if text == "" {
		text = m.Refusal()
	}
	if len(m.Blocks()) > 0 {
		return appendWoven(dst, m, text)
	}
	first := true
	for _, th := range m.Thinking() {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendThinkingBlock(dst, &th)
	}
	if blocks := m.TextBlocks(); len(blocks) > 0 && text == m.Text() {
		if !first {
			dst = append(dst, ',')
		}
		dst = appendCitedBlocks(dst, text, blocks)
		first = false
	} else if text != "" {
		if !first {
			dst = append(dst, ',')
		}
		dst = appendTextBlock(dst, text)
		first = false
	}
	for _, tc := range m.ToolCalls() {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendToolUseBlock(dst, ClientToolID(tc.ID), tc.Name, ToolInput(tc.Arguments))
	}
	return dst
}

// appendThinkingBlock appends a thinking block (thinking, signature) or,
// for a redacted one, a redacted_thinking block (data).
func appendThinkingBlock(dst []byte, th *llm.Thinking) []byte {
	if th.Redacted != "" {
		dst = append(dst, `{"type":"redacted_thinking","data":`...)
		dst = jsonw.String(dst, th.Redacted)
		return append(dst, '}')
	}
	dst = append(dst, `{"type":"thinking","thinking":`...)
	dst = jsonw.String(dst, th.Text)
	dst = append(dst, `,"signature":`...)
	dst = jsonw.String(dst, th.Signature)
	return append(dst, '}')
}

// appendCitedBlocks appends the text blocks of an answer that cites its
// documents: text cut at each block's start, each with its citations (a
// block that cites nothing has no citations member, as the API writes
// it). A start past the text or before the one before is clamped.
func appendCitedBlocks(dst []byte, text string, blocks []llm.TextBlock) []byte {
	for i := range blocks {
		start, end := min(max(blocks[i].Start, 0), len(text)), len(text)
		if i+1 < len(blocks) {
			end = min(max(blocks[i+1].Start, start), len(text))
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"type":"text","text":`...)
		dst = jsonw.String(dst, text[start:end])
		if c := blocks[i].Citations; len(c) > 0 {
			dst = append(dst, `,"citations":[`...)
			for j := range c {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = append(dst, c[j]...)
			}
			dst = append(dst, ']')
		}
		dst = append(dst, '}')
	}
	return dst
}

func appendTextBlock(dst []byte, text string) []byte {
	dst = append(dst, `{"type":"text","text":`...)
	dst = jsonw.String(dst, text)
	return append(dst, '}')
}

func appendToolUseBlock(dst []byte, id, name, input string) []byte {
	dst = append(dst, `{"type":"tool_use","id":`...)
	dst = jsonw.String(dst, id)
	dst = append(dst, `,"name":`...)
	dst = jsonw.String(dst, name)
	dst = append(dst, `,"input":`...)
	dst = append(dst, input...)
	return append(dst, '}')
}

// ToolInput returns a tool call's arguments as a tool_use input: the
// arguments when they are a JSON object, else {} (the Messages API's input
// is always an object; a model of another wire format may have sent
// something else).
func ToolInput(args string) string {
	i := 0
	for i < len(args) && (args[i] == ' ' || args[i] == '\t' || args[i] == '\n' || args[i] == '\r') {
		i++
	}
	if i == len(args) || args[i] != '{' || !json.Valid([]byte(args)) {
		return "{}"
	}
	return args
}

// servedUsage is resp's usage naming the tier that served resp (the
// response's when its usage says none).
func servedUsage(resp *llm.Response) *llm.Usage {
	if resp.Usage == nil || resp.Usage.ServiceTier != "" || resp.ServiceTier == "" {
		return resp.Usage
	}
	u := *resp.Usage
	u.ServiceTier = resp.ServiceTier
	return &u
}

// UsageFromLLM splits canonical usage into the Messages API's counts:
// input_tokens is the prompt less the cache writes and reads (which the
// API counts apart), never below zero. A nil u is all zeros.
func UsageFromLLM(u *llm.Usage) (input, cacheWrite, cacheRead, output int) {
	if u == nil {
		return 0, 0, 0, 0
	}
	input = max(u.PromptTokens-u.CacheWriteTokens-u.CachedPromptTokens, 0)
	return input, u.CacheWriteTokens, u.CachedPromptTokens, u.CompletionTokens
}

// AppendUsage appends a Message's usage object: input_tokens,
// cache_creation_input_tokens, cache_read_input_tokens (UsageFromLLM),
// cache_creation (the cache writes split by lifetime: the one-hour ones,
// Usage.CacheWrite1hTokens, and the rest), output_tokens,
// output_tokens_details (thinking_tokens: the reasoning tokens),
// server_tool_use (null when no server tool ran), service_tier
// (TierFromLLM of the tier that served it), inference_geo (a Claude
// deployment's, else "not_available") and speed (a Claude deployment's,
// else "standard") — every member anthropic-sdk-go's Usage requires.
func AppendUsage(dst []byte, u *llm.Usage) []byte {
	dst = appendUsageCounts(dst, u)
	hour := 0
	if u != nil {
		hour = min(max(u.CacheWrite1hTokens, 0), u.CacheWriteTokens)
	}
	_, write, _, out := UsageFromLLM(u)
	dst = append(dst, `,"cache_creation":{"ephemeral_5m_input_tokens":`...)
	dst = jsonw.Int(dst, max(write-hour, 0))
	dst = append(dst, `,"ephemeral_1h_input_tokens":`...)
	dst = jsonw.Int(dst, hour)
	dst = append(dst, `},"output_tokens":`...)
	dst = jsonw.Int(dst, out)
	dst = appendOutputDetails(dst, u, out)
	var tier llm.ServiceTier
	geo, speed := "not_available", SpeedStandard
	if u != nil {
		tier = u.ServiceTier
		geo = cmp.Or(u.InferenceGeo, geo)
		speed = cmp.Or(u.Speed, speed)
	}
	dst = appendServerToolUse(dst, u)
	dst = append(dst, `,"service_tier":"`...)
	dst = append(dst, TierFromLLM(tier)...)
	dst = append(dst, `","inference_geo":`...)
	dst = jsonw.String(dst, geo)
	dst = append(dst, `,"speed":`...)
	dst = jsonw.String(dst, speed)
	return append(dst, '}')
}

// appendOutputDetails appends output_tokens_details: thinking_tokens, the
// reasoning tokens of u, at most out (the output tokens; u may be nil).
func appendOutputDetails(dst []byte, u *llm.Usage, out int) []byte {
	thinking := 0
	if u != nil {
		thinking = min(max(u.ReasoningTokens, 0), out)
	}
	dst = append(dst, `,"output_tokens_details":{"thinking_tokens":`...)
	dst = jsonw.Int(dst, thinking)
	return append(dst, '}')
}

// appendUsageCounts opens a usage object with its input counts.
func appendUsageCounts(dst []byte, u *llm.Usage) []byte {
	in, write, read, _ := UsageFromLLM(u)
	dst = append(dst, `{"input_tokens":`...)
	dst = jsonw.Int(dst, in)
	dst = append(dst, `,"cache_creation_input_tokens":`...)
	dst = jsonw.Int(dst, write)
	dst = append(dst, `,"cache_read_input_tokens":`...)
	return jsonw.Int(dst, read)
}

// AppendError appends the error body {"type":"error","error":{"type",
// "message"},"request_id"} of e (ErrorTypeFor its kind); an empty
// requestID is written as null, as the API's schema allows.
func AppendError(dst []byte, e *llm.Error, requestID string) []byte {
	dst = append(dst, `{"type":"error","error":{"type":`...)
	dst = jsonw.String(dst, string(ErrorTypeFor(e.Kind)))
	dst = append(dst, `,"message":`...)
	dst = jsonw.String(dst, e.Message)
	if slices.Contains(DetailCodes, e.Code) {
		dst = append(dst, `,"details":{"error_code":`...)
		dst = append(jsonw.String(dst, e.Code), '}')
	}
	dst = append(dst, `},"request_id":`...)
	dst = jsonw.NullString(dst, requestID)
	return append(dst, '}')
}

// MessageID returns the id of the Message answering a request: the
// upstream's own when it is a Messages API id (msg_…), else "msg_"
// followed by the router's request id without its "req_" prefix, so the
// id names the request in the router's log.
func MessageID(upstream, requestID string) string {
	if len(upstream) > 4 && upstream[:4] == "msg_" {
		return upstream
	}
	if len(requestID) > 4 && requestID[:4] == "req_" {
		requestID = requestID[4:]
	}
	return "msg_" + requestID
}
