package responses

import (
	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// Log probabilities on an upstream that serves the Responses API: a
// request asking for them (llm.Request.Logprobs) asks for the output
// text's (include message.output_text.logprobs) with its top_logprobs
// alternatives; each response.output_text.delta event's logprobs (the
// ResponseLogProb shape: token, logprob, top_logprobs, no bytes) are its
// chunk's content logprobs, and an answer read whole takes its
// output_text parts' (with their bytes).

// upstreamLogprob is one token's log probability as the Responses API
// writes it (ResponseLogProb, LogProb: bytes in the whole answer's).
type upstreamLogprob struct {
	Token       string        `json:"token"`
	Logprob     float64       `json:"logprob"`
	Bytes       []int         `json:"bytes"`
	TopLogprobs []upstreamAlt `json:"top_logprobs"`
}

// upstreamAlt is one of a token's alternatives.
type upstreamAlt struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
	Bytes   []int   `json:"bytes"`
}

// appendUpstreamInclude appends include: the reasoning's encrypted
// content for a reasoning model, the output text's logprobs when asked
// for (and top_logprobs), and the hosted tools' output values the client
// asked.
func appendUpstreamInclude(dst []byte, req *llm.Request, o UpstreamOptions) []byte {
	var hosted []string
	if req.OpenAIHosted != nil {
		hosted = req.OpenAIHosted.Include
	}
	if o.Reasoning || req.Logprobs || len(hosted) > 0 {
		dst = append(dst, `,"include":[`...)
		n := 0
		add := func(v string) {
			if n > 0 {
				dst = append(dst, ',')
			}
			dst = jsonw.String(dst, v)
			n++
		}
		if o.Reasoning {
			add("reasoning.encrypted_content")
		}
		if req.Logprobs {
			add(includeLogprobs)
		}
		for _, v := range hosted {
			if v != includeLogprobs || !req.Logprobs {
				add(v)
			}
		}
		dst = append(dst, ']')
	}
	if req.Logprobs && req.TopLogprobs > 0 {
		dst = append(dst, `,"top_logprobs":`...)
		dst = jsonw.Int(dst, req.TopLogprobs)
	}
	return dst
}

// includeLogprobs is the include value asking for the output text's
// logprobs.
const includeLogprobs = "message.output_text.logprobs"

// logprobsOf is the content logprobs of the tokens lps.
func logprobsOf(lps []upstreamLogprob) *llm.Logprobs {
	toks := make([]llm.TokenLogprob, len(lps))
	for i := range lps {
		lp := &lps[i]
		t := llm.TokenLogprob{Token: lp.Token, Logprob: lp.Logprob, Bytes: bytesOf(lp.Bytes)}
		if len(lp.TopLogprobs) > 0 {
			t.TopLogprobs = make([]llm.TopLogprob, len(lp.TopLogprobs))
			for j, a := range lp.TopLogprobs {
				t.TopLogprobs[j] = llm.TopLogprob{Token: a.Token, Logprob: a.Logprob, Bytes: bytesOf(a.Bytes)}
			}
		}
		toks[i] = t
	}
	return &llm.Logprobs{Content: toks}
}

// bytesOf is a token's bytes as the API lists them (numbers 0–255); nil
// for none.
func bytesOf(list []int) []byte {
	if list == nil {
		return nil
	}
	b := make([]byte, len(list))
	for i, v := range list {
		b[i] = byte(v)
	}
	return b
}
