package openai

import (
	"switchyard/llm"
	"switchyard/provider/thinking"
	wire "switchyard/wire/openai"
)

// thinkTags splits the <think> block that opens each choice's content
// into the choice's thinking (wire.ThinkSplit), for a deployment whose
// model writes its reasoning so (Request.ThinkTags, by the model id when
// unset: wire.ThinkTagsModel). The thinking then takes the path of a
// host's reasoning_content (chatThinking): shown to a client that shows
// it, dropped for the others, kept under the answer's tool calls where
// the host wants it back as reasoning_content. Usage is the host's.
type thinkTags struct {
	implicit bool
	first    wire.ThinkSplit
	// others are the splitters of the choices past the first (a request
	// for n > 1); nil until one comes.
	others map[int]*wire.ThinkSplit
	// slab holds the thinking deltas handed out, so that a chunk turned
	// into thinking costs no allocation of its own: it grows by doubling
	// up to slabMax, a few allocations a stream.
	slab []llm.ThinkingDelta
	// grown is the size of the last slab.
	grown int
}

// slabMin and slabMax bound the thinking deltas thinkTags allocates at
// once.
const slabMin, slabMax = 8, 128

// newThinkTags returns the splitter of a chat request's answer, nil when
// its deployment's answers are not read for tags.
//
// A request that continues a prefill (continuedPrefill) is answered with
// the rest of its answer: inside the block when the prefill ends there
// (wire.InBlock: a stream cut while thinking, resumed), so reasoning up
// to the </think>, then text; else text alone, even for think_tags on.
func newThinkTags(req *llm.Request) *thinkTags {
	switch req.ThinkTags {
	case llm.ThinkTagsOff:
		return nil
	case llm.ThinkTagsAuto:
		if !wire.ThinkTagsModel(req.ModelID()) {
			return nil
		}
	}
	implicit := req.ThinkTags == llm.ThinkTagsOn
	if prefill, ok := continuedPrefill(req); ok {
		if !wire.InBlock(prefill) {
			return nil
		}
		return &thinkTags{implicit: implicit, first: wire.NewThinkSplitInBlock()}
	}
	return &thinkTags{implicit: implicit, first: wire.NewThinkSplit(implicit)}
}

// continuedPrefill returns the text of req's final assistant message when
// the host is asked to continue it: vLLM's continue_final_message,
// DeepSeek's prefix.
func continuedPrefill(req *llm.Request) (string, bool) {
	n := len(req.Messages)
	if n == 0 || req.Messages[n-1].Role != llm.RoleAssistant {
		return "", false
	}
	m := &req.Messages[n-1]
	if !m.Prefix && string(req.Extra["continue_final_message"]) != "true" {
		return "", false
	}
	return m.Text(), true
}

// split moves the reasoning of each choice of ch from its content to its
// thinking; a choice's finish flushes what its splitter held. It reports
// whether it took anything out of the content.
func (t *thinkTags) split(ch *llm.Chunk) bool {
	changed := false
	for i := range ch.Choices {
		c := &ch.Choices[i]
		s := t.splitter(c.Index)
		if s.Passing() {
			continue
		}
		d := &c.Delta
		in := d.Content
		r, text := s.Split(in)
		if c.FinishReason != "" {
			fr, ft := s.Flush()
			r, text = join(r, fr), join(text, ft)
		}
		changed = changed || text != in
		d.Content = text
		if r == "" {
			continue
		}
		if d.Thinking != nil { // the host wrote reasoning_content too
			d.Thinking.Text += r
			continue
		}
		d.Thinking = t.delta()
		d.Thinking.Text = r
	}
	return changed
}

// splitter returns the splitter of choice index.
func (t *thinkTags) splitter(index int) *wire.ThinkSplit {
	if index == 0 {
		return &t.first
	}
	s := t.others[index]
	if s == nil {
		if t.others == nil {
			t.others = make(map[int]*wire.ThinkSplit, 1)
		}
		s = new(wire.ThinkSplit)
		*s = wire.NewThinkSplit(t.implicit)
		t.others[index] = s
	}
	return s
}

// delta returns a new thinking delta from the slab.
func (t *thinkTags) delta() *llm.ThinkingDelta {
	if len(t.slab) == 0 {
		t.grown = min(max(2*t.grown, slabMin), slabMax)
		t.slab = make([]llm.ThinkingDelta, t.grown)
	}
	d := &t.slab[0]
	t.slab = t.slab[1:]
	return d
}

// splitTags splits the chunks of out from n on with t, dropping those
// the splitter held whole: what a Responses stream's events became
// (the text of its output_text deltas).
func splitTags(t *thinkTags, out []*llm.Chunk, n int) []*llm.Chunk {
	kept := out[:n]
	for _, ch := range out[n:] {
		if t.split(ch) && empty(ch) {
			continue
		}
		kept = append(kept, ch)
	}
	return kept
}

// splitAnswerTags moves the <think> block that opens each choice's text
// of a whole answer to req into the choice's thinking, first, as the
// stream's splitter does (newThinkTags decides).
func splitAnswerTags(req *llm.Request, resp *llm.Response) {
	t := newThinkTags(req)
	if t == nil {
		return
	}
	for i := range resp.Choices {
		m := &resp.Choices[i].Message
		for j := range m.Content {
			p := &m.Content[j]
			if p.Type != llm.PartText {
				continue
			}
			s := t.first // a fresh splitter for each choice
			r, text := s.Split(p.Text)
			fr, ft := s.Flush()
			r, p.Text = join(r, fr), join(text, ft)
			if r != "" {
				m.SetThinking(append([]llm.Thinking{{Text: r}}, m.Thinking()...))
			}
			break // only the text that opens the answer
		}
	}
}

// empty reports whether ch carries nothing: a chunk whose content the
// splitter held whole.
func empty(ch *llm.Chunk) bool { return !thinks(ch) && !thinking.Strip(ch) }

// join is a + b, without a copy when either is empty.
func join(a, b string) string {
	if b == "" {
		return a
	}
	return a + b
}
