package responses

import (
	"slices"
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// Meta is what a response object says about itself besides its output.
type Meta struct {
	IDs IDs
	// CreatedAt is when the router took the request, in Unix seconds.
	CreatedAt int64
	// Model is the model that answered (the upstream's name), or the one
	// asked for while none has.
	Model string
	// Store says whether the response is kept (written as "store").
	Store bool
	// Conversation is the conversation the response's items are added to
	// (written as "conversation": {"id": …}); "" for none (null).
	Conversation string
	// Background says the response runs in the background (written as
	// "background").
	Background bool
}

// AppendResponse appends the response object of r (the request, echoed)
// with out, in the shape of OpenAI's Response: every field the SDKs
// require is written, null when the router has no value for it.
// output_text is not written: like OpenAI, the router leaves that
// convenience to the SDKs.
func AppendResponse(dst []byte, r *Request, m *Meta, out *Output) []byte {
	req := r.Chat
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, m.IDs.Response())
	// access_programs: null is OpenAI's implicit standard program, the
	// only one the router serves (hints.go).
	dst = append(dst, `,"object":"response","access_programs":null,"created_at":`...)
	dst = strconv.AppendInt(dst, m.CreatedAt, 10)
	dst = append(dst, `,"status":"`...)
	dst = append(dst, out.Status...)
	dst = append(dst, `","background":`...)
	dst = strconv.AppendBool(dst, m.Background)
	dst = append(dst, `,"conversation":`...)
	if m.Conversation != "" {
		dst = append(dst, `{"id":`...)
		dst = jsonw.String(dst, m.Conversation)
		dst = append(dst, '}')
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"error":`...)
	dst = appendResponseError(dst, out.Error)
	dst = append(dst, `,"incomplete_details":`...)
	if out.IncompleteReason != "" {
		dst = append(dst, `{"reason":"`...)
		dst = append(dst, out.IncompleteReason...)
		dst = append(dst, `"}`...)
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"instructions":`...)
	dst = appendOptString(dst, r.Instructions)
	dst = append(dst, `,"max_output_tokens":`...)
	dst = appendOptInt(dst, req.MaxTokens)
	dst = append(dst, `,"max_tool_calls":`...)
	dst = appendOptInt(dst, r.MaxToolCalls)
	dst = append(dst, `,"model":`...)
	dst = jsonw.String(dst, m.Model)
	if len(out.Moderation) > 0 {
		dst = append(append(dst, `,"moderation":`...), out.Moderation...)
	}
	dst = append(dst, `,"output":[`...)
	for i := range out.Items {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendItem(dst, &out.Items[i], itemStatus(out.Status), r.IncludeEncrypted)
	}
	dst = append(dst, `],"parallel_tool_calls":`...)
	dst = strconv.AppendBool(dst, req.ParallelToolCalls == nil || *req.ParallelToolCalls)
	dst = append(dst, `,"previous_response_id":`...)
	dst = appendNullString(dst, r.PreviousResponseID)
	report := cacheReport(m.Model)
	if report {
		dst = appendCacheOptions(dst, req.PromptCache)
	}
	dst = append(dst, `,"reasoning":{"effort":`...)
	dst = appendNullString(dst, r.ReasoningEffort)
	dst = append(dst, `,"summary":`...)
	dst = appendNullString(dst, r.ReasoningSummary)
	dst = append(dst, `},"service_tier":`...)
	dst = appendNullString(dst, servedTier(r, out))
	dst = append(dst, `,"store":`...)
	dst = strconv.AppendBool(dst, m.Store)
	dst = append(dst, `,"temperature":`...)
	dst = appendOptFloat(dst, req.Temperature)
	dst = append(dst, `,"text":`...)
	dst = appendTextConfig(dst, r)
	dst = append(dst, `,"tool_choice":`...)
	dst = appendAllToolChoice(dst, req)
	dst = append(dst, `,"tools":`...)
	dst = appendEchoTools(dst, r, req)
	dst = append(dst, `,"top_logprobs":`...)
	dst = strconv.AppendInt(dst, int64(req.TopLogprobs), 10)
	dst = append(dst, `,"top_p":`...)
	dst = appendOptFloat(dst, req.TopP)
	dst = append(dst, `,"truncation":"disabled","usage":`...)
	dst = appendUsage(dst, out.Usage, out.Cost, report)
	dst = append(dst, `,"user":`...)
	dst = appendNullString(dst, req.User)
	dst = append(dst, `,"metadata":`...)
	dst = appendMetadata(dst, req.Metadata)
	return append(dst, '}')
}

// servedTier is the tier that served out when its usage says, else the
// one r asked for ("" for none).
func servedTier(r *Request, out *Output) string {
	if out.Usage != nil && out.Usage.ServiceTier != "" {
		return string(out.Usage.ServiceTier)
	}
	return r.ServiceTier
}

// appendItem appends an output item with the given status; a reasoning
// item with its encrypted_content when blob is set.
func appendItem(dst []byte, it *Item, status string, blob bool) []byte {
	switch it.Type {
	case ItemReasoning:
		return appendReasoningItem(dst, it, blob)
	case ItemCustomToolCall:
		return appendCustomCall(dst, it, status)
	case ItemShellCall, ItemLocalShellCall, ItemApplyPatchCall:
		return appendClientCall(dst, it, status)
	case ItemCompaction:
		return appendCompactionItem(dst, it)
	case ItemHosted:
		return append(dst, it.Raw...)
	}
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, it.ID)
	if it.Type == ItemFunctionCall {
		dst = append(dst, `,"type":"function_call","status":"`...)
		dst = append(dst, status...)
		dst = append(dst, `","arguments":`...)
		dst = jsonw.String(dst, it.Arguments)
		dst = append(dst, `,"call_id":`...)
		dst = jsonw.String(dst, it.CallID)
		dst = append(dst, `,"name":`...)
		dst = jsonw.String(dst, it.Name)
		return append(appendNamespace(dst, it), '}')
	}
	dst = append(dst, `,"type":"message","status":"`...)
	dst = append(dst, status...)
	dst = append(dst, `","role":"assistant","content":[`...)
	if it.Text != "" || it.Refusal == "" {
		dst = appendAnnotatedPart(dst, it.Text, it.Logprobs, it.Annotations)
		if it.Refusal != "" {
			dst = append(dst, ',')
		}
	}
	if it.Refusal != "" {
		dst = appendRefusalPart(dst, it.Refusal)
	}
	return append(dst, "]}"...)
}

// appendAnnotatedPart appends an output_text content part with its
// annotations ([] for none) and the log probabilities of its tokens ([]
// when none were asked for).
func appendAnnotatedPart(dst []byte, text string, logprobs []llm.TokenLogprob, annotations []byte) []byte {
	dst = append(dst, `{"type":"output_text","annotations":`...)
	if len(annotations) == 0 {
		dst = append(dst, "[]"...)
	} else {
		dst = append(dst, annotations...)
	}
	dst = append(dst, `,"logprobs":`...)
	dst = appendLogprobs(dst, logprobs, true)
	dst = append(dst, `,"text":`...)
	dst = jsonw.String(dst, text)
	return append(dst, '}')
}

// appendRefusalPart appends a refusal content part.
func appendRefusalPart(dst []byte, refusal string) []byte {
	dst = append(dst, `{"type":"refusal","refusal":`...)
	dst = jsonw.String(dst, refusal)
	return append(dst, '}')
}

// appendResponseError appends a failed response's error object, or null.
func appendResponseError(dst []byte, e *llm.Error) []byte {
	if e == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"code":"`...)
	dst = append(dst, responseErrorCode(e)...)
	dst = append(dst, `","message":`...)
	dst = jsonw.String(dst, errorMessage(e))
	return append(dst, '}')
}

// responseErrorCode is the code of a failed response's error: one of the
// codes the Response schema allows.
func responseErrorCode(e *llm.Error) string {
	if e.Kind == llm.KindRateLimit {
		return "rate_limit_exceeded"
	}
	return "server_error"
}

// errorMessage is e's message, or its status text when it has none.
func errorMessage(e *llm.Error) string {
	if e.Message != "" {
		return e.Message
	}
	return "error " + strconv.Itoa(e.HTTPStatus())
}

// appendUsage appends the usage object (null when u is nil), with cost
// as usage.cost when not "" and, with writes, the cache writes by
// lifetime (appendWriteDetails).
func appendUsage(dst []byte, u *llm.Usage, cost string, writes bool) []byte {
	if u == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"input_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.PromptTokens), 10)
	dst = append(dst, `,"input_tokens_details":{"cached_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.CachedPromptTokens), 10)
	dst = append(dst, `,"cache_write_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.CacheWriteTokens), 10)
	if writes {
		dst = appendWriteDetails(dst, u)
	}
	dst = append(dst, `},"output_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.CompletionTokens), 10)
	dst = append(dst, `,"output_tokens_details":{"reasoning_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.ReasoningTokens), 10)
	dst = append(dst, `},"total_tokens":`...)
	total := u.TotalTokens
	if total == 0 {
		total = u.PromptTokens + u.CompletionTokens
	}
	dst = strconv.AppendInt(dst, int64(total), 10)
	if cost != "" {
		dst = append(dst, `,"cost":`...)
		dst = append(dst, cost...)
	}
	return append(dst, '}')
}

// appendTextConfig appends the text option: the output's format and, when
// asked, verbosity.
func appendTextConfig(dst []byte, r *Request) []byte {
	dst = append(dst, `{"format":`...)
	rf := r.Chat.ResponseFormat
	switch {
	case rf == nil:
		dst = append(dst, `{"type":"text"}`...)
	case rf.Type == llm.FormatJSONSchema:
		dst = append(dst, `{"type":"json_schema","name":`...)
		dst = jsonw.String(dst, rf.Name)
		dst = append(dst, `,"description":`...)
		dst = appendNullString(dst, rf.Description)
		dst = append(dst, `,"schema":`...)
		dst = append(dst, rf.Schema...)
		dst = append(dst, `,"strict":`...)
		dst = appendOptBool(dst, rf.Strict)
		dst = append(dst, '}')
	default:
		dst = append(dst, `{"type":"`...)
		dst = append(dst, rf.Type...)
		dst = append(dst, `"}`...)
	}
	if r.Verbosity != "" {
		dst = append(dst, `,"verbosity":"`...)
		dst = append(dst, r.Verbosity...)
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

// appendMetadata appends metadata as an object, keys sorted.
func appendMetadata(dst []byte, md map[string]string) []byte {
	if len(md) == 0 {
		return append(dst, "{}"...)
	}
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonw.String(dst, k)
		dst = append(dst, ':')
		dst = jsonw.String(dst, md[k])
	}
	return append(dst, '}')
}

func appendNullString(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, "null"...)
	}
	return jsonw.String(dst, s)
}

func appendOptString(dst []byte, s *string) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	return jsonw.String(dst, *s)
}

func appendOptInt(dst []byte, n *int) []byte {
	if n == nil {
		return append(dst, "null"...)
	}
	return strconv.AppendInt(dst, int64(*n), 10)
}

// appendOptFloat appends *f, or 1 (the API's default for temperature and
// top_p, which the Response schema requires) when nil.
func appendOptFloat(dst []byte, f *float64) []byte {
	if f == nil {
		return append(dst, '1')
	}
	return jsonw.Float(dst, *f, 64)
}

func appendOptBool(dst []byte, b *bool) []byte {
	if b == nil {
		return append(dst, "null"...)
	}
	return strconv.AppendBool(dst, *b)
}
