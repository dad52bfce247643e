package completions

import (
	"strconv"
	"unicode/utf8"

	"switchyard/internal/jsonw"
	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// Meta is what a completion object says besides the answer: its id
// ("cmpl-…"), when it was made and the model that answered.
type Meta struct {
	ID      string
	Created int64
	Model   string
}

// AppendResponse appends the text_completion object of resp, the answer
// to req; cost, when not empty, is written as the usage's "cost".
func AppendResponse(dst []byte, req *Request, m *Meta, resp *llm.Response, cost string) []byte {
	dst = appendHead(dst, m)
	for i := range resp.Choices {
		if i > 0 {
			dst = append(dst, ',')
		}
		ch := &resp.Choices[i]
		text := ch.Message.Text()
		if text == "" {
			text = ch.Message.Refusal()
		}
		if req.Echo {
			text = req.Prompt + text
		}
		dst = appendChoice(dst, ch.Index, text, finish(ch.FinishReason), req, ch.Logprobs, utf8.RuneCountInString(req.Prompt))
	}
	dst = append(dst, ']')
	if resp.SystemFingerprint != "" {
		dst = append(dst, `,"system_fingerprint":`...)
		dst = jsonw.String(dst, resp.SystemFingerprint)
	}
	if resp.Usage != nil {
		dst = append(dst, `,"usage":`...)
		dst = wire.AppendUsage(dst, resp.Usage, cost)
	}
	return append(dst, '}')
}

// appendHead appends the object's fields before its choices' elements.
func appendHead(dst []byte, m *Meta) []byte {
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, m.ID)
	dst = append(dst, `,"object":"text_completion","created":`...)
	dst = strconv.AppendInt(dst, m.Created, 10)
	dst = append(dst, `,"model":`...)
	dst = jsonw.String(dst, m.Model)
	return append(dst, `,"choices":[`...)
}

// appendChoice appends one choice; finishReason "" writes null. offset is
// where the choice's tokens start in the text (in characters): after the
// prompt, as OpenAI counts text_offset.
func appendChoice(dst []byte, index int, text, finishReason string, req *Request, lp *llm.Logprobs, offset int) []byte {
	dst = append(dst, `{"text":`...)
	dst = jsonw.String(dst, text)
	dst = append(dst, `,"index":`...)
	dst = jsonw.Int(dst, index)
	dst = append(dst, `,"logprobs":`...)
	if req.Logprobs >= 0 && lp != nil {
		dst, _ = appendLogprobs(dst, lp, offset, req.Logprobs)
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"finish_reason":`...)
	if finishReason == "" {
		dst = append(dst, "null"...)
	} else {
		dst = jsonw.String(dst, finishReason)
	}
	return append(dst, '}')
}

// finish maps a finish reason to the API's: stop, length or
// content_filter (a chat without tools never stops on tool calls).
func finish(f llm.FinishReason) string {
	switch f {
	case llm.FinishLength, llm.FinishContentFilter:
		return string(f)
	case "":
		return ""
	}
	return string(llm.FinishStop)
}

// appendLogprobs appends lp in the API's shape — tokens, token_logprobs,
// top_logprobs (top alternatives per token, a map; null when none were
// asked for) and text_offset counted from offset — and returns the offset
// after the last token.
func appendLogprobs(dst []byte, lp *llm.Logprobs, offset, top int) ([]byte, int) {
	toks := lp.Content
	dst = append(dst, `{"tokens":[`...)
	for i := range toks {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonw.String(dst, toks[i].Token)
	}
	dst = append(dst, `],"token_logprobs":[`...)
	for i := range toks {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonw.Float(dst, toks[i].Logprob, 64)
	}
	dst = append(dst, `],"top_logprobs":`...)
	if top == 0 {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range toks {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendTop(dst, toks[i].TopLogprobs, top)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"text_offset":[`...)
	for i := range toks {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonw.Int(dst, offset)
		offset += utf8.RuneCountInString(toks[i].Token)
	}
	return append(dst, "]}"...), offset
}

// appendTop appends a token's alternatives as an object, at most n, each
// token once (the likeliest kept).
func appendTop(dst []byte, alts []llm.TopLogprob, n int) []byte {
	dst = append(dst, '{')
	written := 0
	for i := range alts {
		if written == n {
			break
		}
		dup := false
		for j := range i {
			dup = dup || alts[j].Token == alts[i].Token
		}
		if dup {
			continue
		}
		if written > 0 {
			dst = append(dst, ',')
		}
		dst = jsonw.String(dst, alts[i].Token)
		dst = append(dst, ':')
		dst = jsonw.Float(dst, alts[i].Logprob, 64)
		written++
	}
	return append(dst, '}')
}
