package openai

import (
	"bytes"

	"switchyard/llm"
)

// fastChunk decodes the shapes nearly every streamed chunk has, OpenAI's
// own and the ones this package writes:
//
//	{"id":S,"object":"chat.completion.chunk","created":N,"model":S
//	 [,"service_tier":S|null][,"system_fingerprint":S|null],"choices":[{"index":N,
//	 "delta":D,"logprobs":null,"finish_reason":null|S}]
//	 [,"usage":null][,"obfuscation":S]}
//
// where the delta D is {"content":S}, a stream's first
// {"role":"assistant","content":S[,"refusal":null]}, or a last chunk's
// {} (logprobs and finish_reason each optional), or DeepSeek's
// {"content":S,"reasoning_content":null}, {"content":null,
// "reasoning_content":S} and {"role":"assistant","content":null,
// "reasoning_content":S} (a reasoning model's thinking), or the usage report
//
//	{"id":S,"object":"chat.completion.chunk","created":N,"model":S
//	 [,"system_fingerprint":S|null],"choices":[],"usage":U[,"obfuscation":S]}
//
// (U an object, read as the general decoder reads it), with no whitespace
// and strings that need no unescaping but the content, which the general
// decoder's string reader decodes when it must. It returns nil for
// anything else, which the general decoder then reads; for what it
// accepts it returns exactly what the general decoder would
// (FuzzFastChunk checks that). The id,
// model and fingerprint of a stream repeat in every chunk: where they
// equal prev's (nil for none), prev's strings are shared, not copied; so
// is the service tier (the usual ones are constants).
func fastChunk(data []byte, prev *llm.Chunk) *llm.Chunk {
	p := fastParser{d: data}
	var id, model, fp, content, finish span
	var created, index int64
	var role bool
	ok := p.lit(`{"id":`) && p.str(&id) &&
		p.lit(`,"object":"chat.completion.chunk","created":`) && p.num(&created) &&
		p.lit(`,"model":`) && p.str(&model) &&
		p.serviceTier() && p.fingerprint(&fp)
	if ok && p.lit(`,"choices":[],"usage":`) {
		return p.usageChunk(id, model, fp, created, prev)
	}
	ok = ok && p.lit(`,"choices":[{"index":`) && p.num(&index) &&
		p.lit(`,"delta":`) && p.delta(&role, &content) &&
		p.optLit(`,"logprobs":null`) && p.finishReason(&finish) && p.lit(`}]`) &&
		p.optLit(`,"usage":null`) && p.obfuscation() && p.lit(`}`) && p.i == len(data)
	if !ok {
		return nil
	}
	var last llm.Chunk
	if prev != nil {
		last = *prev
	}
	if p.reasoning != "" {
		return p.thinkingChunk(id, model, fp, finish, created, index, role, last)
	}
	b := &chunkWithChoice{
		c: llm.Chunk{ID: p.text(id, last.ID), Created: created, Model: p.text(model, last.Model),
			SystemFingerprint: p.text(fp, last.SystemFingerprint), ServiceTier: p.tierText(last.ServiceTier)},
		ch: [1]llm.ChunkChoice{{Index: int(index), Delta: llm.Delta{Content: p.contentText(content)},
			FinishReason: llm.FinishReason(p.finishText(finish))}},
	}
	if role {
		b.ch[0].Delta.Role = llm.RoleAssistant
	}
	b.c.Choices = b.ch[:]
	return &b.c
}

// usageChunk finishes fastChunk for a stream's usage report, its usage
// object read by the general decoder's decodeUsage in place, then
// [,"obfuscation":S]} as for the other shapes.
func (p *fastParser) usageChunk(id, model, fp span, created int64, prev *llm.Chunk) *llm.Chunk {
	s := scanner{data: p.d, pos: p.i, depth: 1} // depth 1: inside the chunk, as the general decoder is
	u, err := decodeUsage(&s)
	if err != nil || u == nil {
		return nil
	}
	p.i = s.pos
	if !p.obfuscation() || !p.lit(`}`) || p.i != len(p.d) {
		return nil
	}
	var last llm.Chunk
	if prev != nil {
		last = *prev
	}
	u.ServiceTier = p.tierText(last.ServiceTier)
	return &llm.Chunk{ID: p.text(id, last.ID), Created: created, Model: p.text(model, last.Model),
		SystemFingerprint: p.text(fp, last.SystemFingerprint), ServiceTier: u.ServiceTier, Usage: u}
}

// tierText returns the service tier the chunk named: same, if it reads
// the same, else the tier (a constant for the usual ones).
func (p *fastParser) tierText(same llm.ServiceTier) llm.ServiceTier {
	b := p.d[p.tier.a:p.tier.b]
	if string(b) == string(same) {
		return same
	}
	return tierOf(string(b))
}

// text returns the body of sp as a string: same, if it reads the same,
// else a copy.
func (p *fastParser) text(sp span, same string) string {
	if b := p.d[sp.a:sp.b]; string(b) != same {
		return string(b)
	}
	return same
}

// thinkingChunk finishes fastChunk for a delta of thinking text alone:
// the chunk, its choice and its thinking in one allocation.
func (p *fastParser) thinkingChunk(id, model, fp, finish span, created, index int64, role bool, last llm.Chunk) *llm.Chunk {
	b := &chunkWithThinking{
		c: llm.Chunk{ID: p.text(id, last.ID), Created: created, Model: p.text(model, last.Model),
			SystemFingerprint: p.text(fp, last.SystemFingerprint), ServiceTier: p.tierText(last.ServiceTier)},
		td: llm.ThinkingDelta{Text: p.reasoning},
	}
	b.ch[0] = llm.ChunkChoice{Index: int(index), Delta: llm.Delta{Thinking: &b.td}, FinishReason: llm.FinishReason(p.finishText(finish))}
	if role {
		b.ch[0].Delta.Role = llm.RoleAssistant
	}
	b.c.Choices = b.ch[:]
	return &b.c
}

// chunkWithThinking holds a chunk, its one choice and the choice's
// thinking in one allocation.
type chunkWithThinking struct {
	c  llm.Chunk
	ch [1]llm.ChunkChoice
	td llm.ThinkingDelta
}

// chunkWithChoice holds a chunk and its one choice in one allocation.
type chunkWithChoice struct {
	c  llm.Chunk
	ch [1]llm.ChunkChoice
}

// span is a string's body in the document: d[a:b].
type span struct{ a, b int }

// fastParser matches a document against fixed text, left to right.
type fastParser struct {
	d []byte
	i int
	// decoded is the delta's content when it had to be decoded
	// (hasDecoded); otherwise its span is read in place.
	decoded    string
	hasDecoded bool
	// tier is the body of service_tier (empty when absent or null).
	tier span
	// reasoning is the delta's reasoning_content ("" when it had none:
	// no thinking, as for the general decoder).
	reasoning string
}

// lit consumes s if the document continues with it.
func (p *fastParser) lit(s string) bool {
	if !bytes.HasPrefix(p.d[p.i:], []byte(s)) {
		return false
	}
	p.i += len(s)
	return true
}

// optLit consumes s if it is there; it always succeeds.
func (p *fastParser) optLit(s string) bool {
	p.lit(s)
	return true
}

// str consumes a string that needs no decoding and records its body.
func (p *fastParser) str(sp *span) bool {
	if p.i >= len(p.d) || p.d[p.i] != '"' {
		return false
	}
	end := plainEnd(p.d, p.i+1)
	if end < 0 {
		return false
	}
	*sp = span{p.i + 1, end}
	p.i = end + 1
	return true
}

// num consumes a non-negative integer written as JSON writes it (no
// leading zeros), of at most 15 digits.
func (p *fastParser) num(v *int64) bool {
	j := p.i
	var n int64
	for j < len(p.d) && j-p.i < 15 && p.d[j] >= '0' && p.d[j] <= '9' {
		n = n*10 + int64(p.d[j]-'0')
		j++
	}
	if j == p.i || (p.d[p.i] == '0' && j-p.i > 1) || (j < len(p.d) && p.d[j] >= '0' && p.d[j] <= '9') {
		return false
	}
	*v, p.i = n, j
	return true
}

// serviceTier consumes an optional ,"service_tier":S|null, which OpenAI
// writes in every chunk, recording its body in p.tier.
func (p *fastParser) serviceTier() bool {
	if !p.lit(`,"service_tier":`) {
		return true
	}
	return p.lit("null") || p.str(&p.tier)
}

// fingerprint consumes an optional system_fingerprint, a string or null.
func (p *fastParser) fingerprint(sp *span) bool {
	if !p.lit(`,"system_fingerprint":`) {
		return true
	}
	return p.lit("null") || p.str(sp)
}

// delta consumes a delta of one of fastChunk's shapes, recording its
// content and whether it names the assistant's role.
func (p *fastParser) delta(role *bool, content *span) bool {
	switch {
	case p.lit(`{}`):
		return true
	case p.lit(`{"content":`):
		if p.lit(`null,"reasoning_content":`) {
			return p.reasoningContent() && p.lit(`}`)
		}
		return p.content(content) && p.optLit(`,"reasoning_content":null`) && p.lit(`}`)
	case p.lit(`{"role":"assistant","content":`):
		*role = true
		if p.lit(`null,"reasoning_content":`) {
			return p.reasoningContent() && p.lit(`}`)
		}
		return p.content(content) && p.optLit(`,"refusal":null`) && p.lit(`}`)
	}
	return false
}

// reasoningContent consumes the delta's reasoning_content, a string read
// as the general decoder's str reads it, into p.reasoning.
func (p *fastParser) reasoningContent() bool {
	if p.i >= len(p.d) || p.d[p.i] != '"' {
		return false
	}
	s := scanner{data: p.d, pos: p.i}
	t, err := s.str()
	if err != nil {
		return false
	}
	p.reasoning, p.i = t, s.pos
	return true
}

// content consumes the delta's content: a string that needs no decoding
// as str does, and one with escapes ("\n", "\"", "\u00e9": answers are
// full of them) decoded by the general decoder's str into p.decoded.
func (p *fastParser) content(sp *span) bool {
	if p.str(sp) {
		return true
	}
	if p.i >= len(p.d) || p.d[p.i] != '"' {
		return false
	}
	s := scanner{data: p.d, pos: p.i}
	t, err := s.str()
	if err != nil {
		return false
	}
	p.decoded, p.hasDecoded, p.i = t, true, s.pos
	return true
}

// contentText returns the delta's content: decoded, or the body of sp.
func (p *fastParser) contentText(sp span) string {
	if p.hasDecoded {
		return p.decoded
	}
	return p.text(sp, "")
}

// finishReason consumes an optional finish_reason, null or a string.
func (p *fastParser) finishReason(sp *span) bool {
	if !p.lit(`,"finish_reason":`) {
		return true
	}
	return p.lit("null") || p.str(sp)
}

// finishText returns the finish reason's text, the usual ones without a
// copy.
func (p *fastParser) finishText(sp span) string {
	switch b := p.d[sp.a:sp.b]; string(b) {
	case "":
		return ""
	case string(llm.FinishStop):
		return string(llm.FinishStop)
	case string(llm.FinishLength):
		return string(llm.FinishLength)
	case string(llm.FinishToolCalls):
		return string(llm.FinishToolCalls)
	default:
		return string(b)
	}
}

// obfuscation consumes an optional obfuscation padding string.
func (p *fastParser) obfuscation() bool {
	var sp span
	return !p.lit(`,"obfuscation":`) || p.str(&sp)
}
