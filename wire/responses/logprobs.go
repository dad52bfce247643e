package responses

import (
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// IncludeLogprobs is the include value that asks for the log probabilities
// of the output text's tokens.
const IncludeLogprobs = "message.output_text.logprobs"

// appendLogprobs appends an output_text part's logprobs, the LogProb
// shape: [{"token","logprob","bytes":[…],"top_logprobs":[{"token",
// "logprob","bytes"}]}], bytes [] when unknown (the field is not
// nullable here). withBytes false writes the ResponseLogProb shape the
// text delta and done events carry instead, which has no bytes.
func appendLogprobs(dst []byte, toks []llm.TokenLogprob, withBytes bool) []byte {
	dst = append(dst, '[')
	for i := range toks {
		if i > 0 {
			dst = append(dst, ',')
		}
		t := &toks[i]
		dst = appendTokenHead(dst, t.Token, t.Logprob, t.Bytes, withBytes)
		dst = append(dst, `,"top_logprobs":[`...)
		for j := range t.TopLogprobs {
			if j > 0 {
				dst = append(dst, ',')
			}
			top := &t.TopLogprobs[j]
			dst = append(appendTokenHead(dst, top.Token, top.Logprob, top.Bytes, withBytes), '}')
		}
		dst = append(dst, "]}"...)
	}
	return append(dst, ']')
}

// appendTokenHead appends `{"token":…,"logprob":…` and, withBytes,
// `,"bytes":[…]`, the object left open.
func appendTokenHead(dst []byte, token string, logprob float64, b []byte, withBytes bool) []byte {
	dst = append(dst, `{"token":`...)
	dst = jsonw.String(dst, token)
	dst = append(dst, `,"logprob":`...)
	dst = jsonw.Float(dst, logprob, 64)
	if !withBytes {
		return dst
	}
	dst = append(dst, `,"bytes":[`...)
	for i, c := range b {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(c), 10)
	}
	return append(dst, ']')
}

// contentLogprobs returns the content tokens of lp, or nil.
func contentLogprobs(lp *llm.Logprobs) []llm.TokenLogprob {
	if lp == nil {
		return nil
	}
	return lp.Content
}
