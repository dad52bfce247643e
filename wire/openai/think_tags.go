package openai

import "strings"

// Open-weight reasoning models write their reasoning in the answer's
// content, between <think> and </think> before the answer, on every host
// that does not parse it out into reasoning_content: vLLM and SGLang
// started without --reasoning-parser, llama.cpp without --jinja's
// reasoning format, LM Studio, Ollama before its "thinking" field, Azure
// AI Foundry's DeepSeek-R1. Peers split it out the same way: vLLM's
// deepseek_r1, qwen3, glm45 and minimax_m2 reasoning parsers
// (docs.vllm.ai, "Reasoning Outputs"), mistral.rs's think_tags module
// ("at EOS, treat unclosed <think> content as reasoning"), LiteLLM's
// <think> parsing into reasoning_content (BerriAI/litellm#14121), Open
// WebUI's reasoning blocks (open-webui#8706), Continue (#3832).
//
// ThinkSplit does it for one choice of a stream: only a block that opens
// the answer counts (after at most maxLeadSpace bytes of whitespace); a
// <think> later in the text is the model's text. The whitespace right
// after either tag is dropped (the models write "<think>\n" and
// "</think>\n\n"), the rest comes out with the chunk that brought it:
// only what may be the start of a tag (and the whitespace before an
// opening one) waits for the next chunk, never more than maxHeld bytes. A
// block never closed is reasoning to the end (a model cut off by its
// token limit while thinking).
//
// Some chat templates write the opening tag into the prompt, so the
// answer holds only the closing one (QwQ's and DeepSeek-R1-0528's
// templates end the generation prompt with "<think>\n", per
// ggml-org/llama.cpp#11325 and unsloth/QwQ-32B discussion 1; vLLM's
// minimax_m2_append_think parser puts the missing tag back). Such an
// answer cannot be told from one that does not think until a </think>
// comes, perhaps never: an implicit splitter (the deployment's think_tags
// on) takes everything before the first </think> as reasoning; the
// default only splits an answer that opens with the tag.

const (
	openTag  = "<think>"
	closeTag = "</think>"
	// maxLeadSpace is the most whitespace before a <think> that still
	// opens the answer.
	maxLeadSpace = 16
	// maxHeld is the most a ThinkSplit holds between chunks: the
	// whitespace before an opening tag and all of it but its last byte.
	maxHeld = maxLeadSpace + len(openTag) - 1
)

// The states of a ThinkSplit.
const (
	splitLead      uint8 = iota // before the answer's first non-blank byte
	splitThinkLead              // after <think>, dropping whitespace
	splitThink                  // in the reasoning
	splitTextLead               // after </think>, dropping whitespace
	splitText                   // in the answer: everything is text
)

// ThinkSplit splits one choice's streamed content into reasoning and text.
// Its zero value is not ready; use NewThinkSplit. Not safe for concurrent
// use.
type ThinkSplit struct {
	state    uint8
	implicit bool
	n        uint8
	held     [maxHeld]byte
}

// NewThinkSplit returns a splitter for a new answer. An implicit one takes
// an answer that does not open with <think> as reasoning up to its first
// </think>.
func NewThinkSplit(implicit bool) ThinkSplit {
	return ThinkSplit{implicit: implicit}
}

// NewThinkSplitInBlock returns a splitter for the rest of an answer cut
// inside its block: a continuation of a prefill that ends in the
// reasoning (the block opened, not closed). Everything is reasoning up to
// the first </think>, as it comes (no whitespace dropped), then text.
func NewThinkSplitInBlock() ThinkSplit {
	return ThinkSplit{state: splitThink}
}

// InBlock reports whether prefill, the start of an answer, ends inside
// its <think> block: it opens with the tag (after at most maxLeadSpace
// bytes of whitespace) and holds no closing one.
func InBlock(prefill string) bool {
	rest := trimSpace(prefill)
	return len(prefill)-len(rest) <= maxLeadSpace && strings.HasPrefix(rest, openTag) && !strings.Contains(rest, closeTag)
}

// Passing reports whether the splitter has reached the answer's text and
// holds nothing: every later piece is text as it comes.
func (s *ThinkSplit) Passing() bool { return s.state == splitText && s.n == 0 }

// Held returns how many bytes the splitter holds for the next piece.
func (s *ThinkSplit) Held() int { return int(s.n) }

// Split takes the next piece of the content and returns the reasoning and
// the text it completes, each a piece of the input (no copy) unless bytes
// held from the last piece start it.
func (s *ThinkSplit) Split(piece string) (reasoning, text string) {
	if s.state == splitText && s.n == 0 {
		return "", piece
	}
	in := piece
	if s.n > 0 {
		in = string(s.held[:s.n]) + piece // a tag split across pieces: rare
		s.n = 0
	}
	if s.state == splitLead {
		if in = s.lead(in); s.state == splitLead || s.state == splitText {
			return "", in
		}
	}
	if s.state == splitThinkLead {
		if in = trimSpace(in); in == "" {
			return "", ""
		}
		s.state = splitThink
	}
	if s.state == splitThink {
		reasoning, in = s.think(in)
	}
	if s.state == splitTextLead {
		if in = trimSpace(in); in != "" {
			s.state = splitText
		}
	}
	return reasoning, in
}

// lead reads the start of the answer: it holds what may still open a
// block (returning ""), or moves past an opening tag (returning what
// follows it), or finds none (returning in whole, as text or, for an
// implicit splitter, as the reasoning's start).
func (s *ThinkSplit) lead(in string) string {
	rest := trimSpace(in)
	space := len(in) - len(rest)
	switch {
	case space > maxLeadSpace:
	case strings.HasPrefix(rest, openTag):
		s.state = splitThinkLead
		return rest[len(openTag):]
	case strings.HasPrefix(openTag, rest):
		s.hold(in)
		return ""
	}
	if s.implicit {
		s.state = splitThinkLead
	} else {
		s.state = splitText
	}
	return in
}

// think reads reasoning: up to a closing tag, after which the rest is
// returned as text; without one, all but what may start the tag.
func (s *ThinkSplit) think(in string) (reasoning, rest string) {
	if i := strings.Index(in, closeTag); i >= 0 {
		s.state = splitTextLead
		return in[:i], in[i+len(closeTag):]
	}
	for k := min(len(closeTag)-1, len(in)); k > 0; k-- {
		if in[len(in)-k:] == closeTag[:k] {
			s.hold(in[len(in)-k:])
			return in[:len(in)-k], ""
		}
	}
	return in, ""
}

// hold keeps b for the next piece.
func (s *ThinkSplit) hold(b string) {
	s.n = uint8(copy(s.held[:], b))
}

// Flush ends the answer: what the splitter held is reasoning in a block
// never closed, else text (an answer that ended on what looked like the
// start of a tag); for an implicit splitter that saw no tag, reasoning.
func (s *ThinkSplit) Flush() (reasoning, text string) {
	if s.n == 0 {
		return "", ""
	}
	held := string(s.held[:s.n])
	s.n = 0
	switch {
	case s.state == splitThink:
		return held, ""
	case s.state == splitLead && s.implicit:
		return trimSpace(held), ""
	}
	return "", held
}

// SplitThinkTags splits a whole answer's content as a ThinkSplit split
// its pieces.
func SplitThinkTags(content string, implicit bool) (reasoning, text string) {
	s := NewThinkSplit(implicit)
	reasoning, text = s.Split(content)
	r, t := s.Flush()
	return reasoning + r, text + t
}

// trimSpace drops the whitespace that starts s.
func trimSpace(s string) string { return strings.TrimLeft(s, " \t\r\n") }

// ThinkTagsModel reports whether a model id (with or without a host's
// "vendor/" prefix, in any case) is one known to write its reasoning
// between <think> tags in the content where the host does not parse it
// out: the models vLLM's <think> reasoning parsers serve — the DeepSeek-R1
// series and its distills and QwQ (deepseek_r1), Qwen3 (qwen3), GLM-4.5
// and later and GLM-Z1 (glm45), MiniMax-M2 (minimax_m2).
func ThinkTagsModel(model string) bool {
	m := modelID(model)
	switch {
	case strings.Contains(m, "deepseek-r1"), strings.HasPrefix(m, "qwq"), strings.HasPrefix(m, "qwen3"),
		strings.HasPrefix(m, "minimax-m2"), strings.HasPrefix(m, "glm-z1"):
		return true
	}
	for _, p := range []string{"glm-4.5", "glm-4.6", "glm-4.7", "glm-5"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}
