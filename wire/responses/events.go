package responses

import (
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// begin appends the start of an event of type typ, up to its sequence
// number: `event: typ`, then `data: {"type":typ,"sequence_number":n`.
func (s *Streamer) begin(dst []byte, typ string) []byte {
	dst = beginEvent(dst, typ, int64(s.seq))
	s.seq++
	return dst
}

// beginEvent appends the start of an event of type typ numbered seq.
func beginEvent(dst []byte, typ string, seq int64) []byte {
	dst = append(dst, "event: "...)
	dst = append(dst, typ...)
	dst = append(dst, "\ndata: {\"type\":\""...)
	dst = append(dst, typ...)
	dst = append(dst, `","sequence_number":`...)
	return strconv.AppendInt(dst, seq, 10)
}

// end closes an event begun with begin.
func end(dst []byte) []byte { return append(dst, "}\n\n"...) }

// responseEvent appends an event carrying the whole response in out.
func (s *Streamer) responseEvent(dst []byte, typ string, out *Output) []byte {
	dst = s.begin(dst, typ)
	dst = append(dst, `,"response":`...)
	dst = AppendResponse(dst, s.req, &s.meta, out)
	return end(dst)
}

// appendIndexes appends the item id and output index of item i.
func (s *Streamer) appendIndexes(dst []byte, i int) []byte {
	dst = append(dst, `,"item_id":`...)
	dst = jsonw.String(dst, s.items[i].ID)
	dst = append(dst, `,"output_index":`...)
	return strconv.AppendInt(dst, int64(i), 10)
}

// itemAdded appends response.output_item.added for item i, empty.
func (s *Streamer) itemAdded(dst []byte, i int) []byte {
	it := &s.items[i]
	dst = s.begin(dst, "response.output_item.added")
	dst = append(dst, `,"output_index":`...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, `,"item":{"id":`...)
	dst = jsonw.String(dst, it.ID)
	if it.Type == ItemCustomToolCall {
		dst = append(dst, `,"type":"custom_tool_call","status":"in_progress","call_id":`...)
		dst = jsonw.String(dst, it.CallID)
		dst = append(dst, `,"input":"","name":`...)
		dst = appendNamespace(jsonw.String(dst, it.Name), &it.Item)
	} else if it.Type == ItemFunctionCall {
		dst = append(dst, `,"type":"function_call","status":"in_progress","arguments":"","call_id":`...)
		dst = jsonw.String(dst, it.CallID)
		dst = append(dst, `,"name":`...)
		dst = appendNamespace(jsonw.String(dst, it.Name), &it.Item)
	} else if it.Type == ItemReasoning {
		dst = append(dst, `,"type":"reasoning","summary":[]`...)
	} else {
		dst = append(dst, `,"type":"message","status":"in_progress","role":"assistant","content":[]`...)
	}
	return end(append(dst, '}'))
}

// itemDone appends response.output_item.done for item i, whole.
func (s *Streamer) itemDone(dst []byte, i int, status string) []byte {
	dst = s.begin(dst, "response.output_item.done")
	dst = append(dst, `,"output_index":`...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, `,"item":`...)
	dst = appendItem(dst, &s.items[i].Item, status, s.req.IncludeEncrypted)
	return end(dst)
}

// partAdded appends response.content_part.added with part, empty.
func (s *Streamer) partAdded(dst []byte, i, part int, empty string) []byte {
	dst = s.begin(dst, "response.content_part.added")
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"content_index":`...)
	dst = strconv.AppendInt(dst, int64(part), 10)
	dst = append(dst, `,"part":`...)
	dst = append(dst, empty...)
	return end(dst)
}

// partDone appends response.content_part.done with the whole part: the
// refusal when refusal is set, the text otherwise.
func (s *Streamer) partDone(dst []byte, i, part int, refusal bool) []byte {
	dst = s.begin(dst, "response.content_part.done")
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"content_index":`...)
	dst = strconv.AppendInt(dst, int64(part), 10)
	dst = append(dst, `,"part":`...)
	if refusal {
		dst = appendRefusalPart(dst, s.items[i].Refusal)
	} else {
		dst = appendAnnotatedPart(dst, s.items[i].Text, s.items[i].Logprobs, s.items[i].Annotations)
	}
	return end(dst)
}

// textDelta appends a text or refusal delta event; withLogprobs adds the
// logprobs an output_text delta carries (those of its tokens, [] when
// none were asked for).
func (s *Streamer) textDelta(dst []byte, typ string, i, part int, delta string, logprobs []llm.TokenLogprob, withLogprobs bool) []byte {
	dst = s.begin(dst, typ)
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"content_index":`...)
	dst = strconv.AppendInt(dst, int64(part), 10)
	dst = append(dst, `,"delta":`...)
	dst = jsonw.String(dst, delta)
	if withLogprobs {
		dst = appendLogprobs(append(dst, `,"logprobs":`...), logprobs, false)
	}
	return end(dst)
}

// textDone appends response.output_text.done (field "text") or
// response.refusal.done (field "refusal") with the whole value.
func (s *Streamer) textDone(dst []byte, typ string, i, part int, field, value string) []byte {
	dst = s.begin(dst, typ)
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"content_index":`...)
	dst = strconv.AppendInt(dst, int64(part), 10)
	dst = append(dst, `,"`...)
	dst = append(dst, field...)
	dst = append(dst, `":`...)
	dst = jsonw.String(dst, value)
	if field == "text" {
		dst = appendLogprobs(append(dst, `,"logprobs":`...), s.items[i].Logprobs, false)
	}
	return end(dst)
}

// argsDelta appends response.function_call_arguments.delta.
func (s *Streamer) argsDelta(dst []byte, i int, delta string) []byte {
	dst = s.begin(dst, "response.function_call_arguments.delta")
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"delta":`...)
	dst = jsonw.String(dst, delta)
	return end(dst)
}

// argsDone appends response.function_call_arguments.done.
func (s *Streamer) argsDone(dst []byte, i int) []byte {
	dst = s.begin(dst, "response.function_call_arguments.done")
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"name":`...)
	dst = jsonw.String(dst, s.items[i].Name)
	dst = append(dst, `,"arguments":`...)
	dst = jsonw.String(dst, s.items[i].Arguments)
	return end(dst)
}

// errorEvent appends an error event. Its code, message and param are at
// the top level, as the API reference documents the event; the same
// error also sits under "error", as OpenAI sends it in practice and as
// the official SDKs read it to raise the stream's error.
func (s *Streamer) errorEvent(dst []byte, e *llm.Error) []byte {
	dst = appendErrorEvent(dst, int64(s.seq), e)
	s.seq++
	return dst
}

// appendErrorEvent appends the error event of e numbered seq.
func appendErrorEvent(dst []byte, seq int64, e *llm.Error) []byte {
	dst = beginEvent(dst, "error", seq)
	code := wire.ErrorCode(e)
	if code == "" {
		code = wire.ErrorType(e.Kind)
	}
	dst = append(dst, `,"code":`...)
	dst = jsonw.String(dst, code)
	dst = append(dst, `,"message":`...)
	dst = jsonw.String(dst, errorMessage(e))
	dst = append(dst, `,"param":`...)
	dst = appendNullString(dst, e.Param)
	dst = append(dst, `,"error":`...)
	body := wire.AppendError(nil, e) // {"error":{...}}: an error path, one allocation
	dst = append(dst, body[len(`{"error":`):len(body)-1]...)
	return end(dst)
}
