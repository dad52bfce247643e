package gemini

import (
	"encoding/json"
	"errors"
	"io"
	"time"

	"switchyard/llm"
)

// StreamTranslator turns the events of streamGenerateContent?alt=sse into
// OpenAI-shape chunks. Each event is a whole GenerateContentResponse
// fragment: text parts are deltas (with the logprobsResult of their
// tokens, when asked for), functionCall parts arrive whole, the
// fragment with a finishReason ends its candidate, and usageMetadata is
// repeated (the last one counts; each is on its fragment's chunk, as
// llm.Chunk.UsageSoFar). Gemini sends no end marker, so a stream
// ended cleanly only if every candidate it began carried a finishReason.
//
// A StreamTranslator is not safe for concurrent use.
type StreamTranslator struct {
	// Names maps the Gemini names of functions FunctionName renamed back
	// to the client's (FunctionNames); nil when none was.
	Names map[string]string
	// Thinking passes thought parts (thought summaries) on as thinking
	// deltas, for a client that asked to see the thinking
	// (llm.Reasoning.Show); false leaves them out.
	Thinking bool
	// StopSequences says the request set stop sequences, which can end
	// an answer before its first word: then a candidate that ends STOP
	// with neither text nor a call is an empty answer. Otherwise it is
	// Gemini's known empty response (no parts, finishReason STOP), a
	// retryable error (emptyAnswer).
	StopSequences bool
	// WebSearch answers an OpenAI client's web search, which the request
	// sent as googleSearch: each candidate's first chunk starts a
	// web_search_call item and its finish completes it, with the
	// url_citation annotations of its groundingMetadata
	// (web_search_answer.go).
	WebSearch bool
	// thoughts are the thought summaries that came with a candidate's
	// first answer, sent on a chunk ahead of starts; starts are the
	// web_search_call items to start on a chunk before the fragment's
	// (startSearch).
	thoughts []llm.ChunkChoice
	starts   []llm.ChunkChoice
	model    string
	id       string
	created  int64
	cands    map[int]*candState
	usage    *UsageMetadata
	blocked  bool
	// queries counts the search queries of the candidates' grounding
	// (webSearchQueries), for the usage's web searches (usageOf).
	queries int
}

type candState struct {
	roleSent bool
	calls    int  // tool calls seen so far
	finished bool // a finishReason arrived
	answered bool // text or a call arrived
	search   *webSearchAnswer
	// searching reports that the candidate's web_search_call item was
	// started (startSearch).
	searching bool
}

// NewStreamTranslator returns a translator; model names the upstream model
// for chunks whose fragment carries no modelVersion.
func NewStreamTranslator(model string) *StreamTranslator {
	return &StreamTranslator{model: model, created: time.Now().Unix(), cands: map[int]*candState{}}
}

// Translate decodes one event's data and returns the chunks it yields,
// possibly none. An error event is returned as its *llm.Error; undecodable
// data as an *llm.Error of kind upstream.
func (t *StreamTranslator) Translate(data []byte) ([]*llm.Chunk, error) {
	if st, ok := ParseError(data); ok {
		return nil, st.LLMError()
	}
	var frag GenerateContentResponse
	if err := json.Unmarshal(data, &frag); err != nil {
		return nil, llm.Wrap(llm.KindUpstream, err, "gemini: malformed stream event")
	}
	if t.id == "" {
		// The first fragment's id, or a generated one, names every chunk.
		t.id = frag.ResponseID
		if t.id == "" {
			t.id = NewResponseID()
		}
	}
	if frag.ModelVersion != "" {
		t.model = frag.ModelVersion
	}
	if frag.UsageMetadata != nil {
		t.usage = frag.UsageMetadata
	}
	var choices []llm.ChunkChoice
	for i := range frag.Candidates {
		if r := frag.Candidates[i].FinishReason; NoAnswer(r) {
			return nil, NoAnswerError(r)
		}
		ch, ok := t.candidate(&frag.Candidates[i])
		if st := t.cands[ch.Index]; st.finished && !st.answered && !t.StopSequences &&
			frag.Candidates[i].FinishReason == FinishStop {
			return nil, emptyAnswer()
		}
		if ok {
			choices = append(choices, ch)
		}
	}
	if len(frag.Candidates) == 0 && frag.PromptFeedback != nil && frag.PromptFeedback.BlockReason != "" {
		t.blocked = true
		choices = append(choices, llm.ChunkChoice{
			Delta:        llm.Delta{Role: llm.RoleAssistant},
			FinishReason: llm.FinishContentFilter,
		})
	}
	if len(choices) == 0 {
		return nil, nil
	}
	var out []*llm.Chunk
	if len(t.thoughts) > 0 {
		out = append(out, t.chunk(t.thoughts))
		t.thoughts = nil
	}
	if len(t.starts) > 0 {
		out = append(out, t.chunk(t.starts))
		t.starts = nil
	}
	if frag.UsageMetadata == nil {
		return append(out, t.chunk(choices)), nil
	}
	// The counts so far, to bill a stream cut before its end; allocated
	// with the chunk.
	cu := &chunkUsage{usage: t.usageOf(frag.UsageMetadata)}
	cu.chunk = llm.Chunk{ID: t.id, Model: t.model, Created: t.created, Choices: choices, UsageSoFar: &cu.usage}
	return append(out, &cu.chunk), nil
}

// chunkUsage is a chunk and the usage so far it carries, allocated
// together.
type chunkUsage struct {
	chunk llm.Chunk
	usage llm.Usage
}

// candidate translates one candidate fragment; it reports false when there
// is nothing to send. A candidate's finishReason ends it: what a fragment
// of a finished candidate holds (a proxy's repeated last fragment, text
// after the finish) is dropped, so an answer has one finish, and nothing
// after it.
func (t *StreamTranslator) candidate(c *Candidate) (llm.ChunkChoice, bool) {
	st := t.cands[c.Index]
	if st == nil {
		st = &candState{}
		t.cands[c.Index] = st
	}
	ch := llm.ChunkChoice{Index: c.Index}
	if st.finished {
		return ch, false
	}
	if c.Content != nil {
		for _, p := range c.Content.Parts {
			switch {
			case p.Thought:
				if t.Thinking {
					addThought(&ch.Delta, p.Text)
				}
			case p.FunctionCall != nil:
				tc := toolCall(p.FunctionCall)
				if name, ok := t.Names[tc.Name]; ok {
					tc.Name = name
				}
				ch.Delta.ToolCalls = append(ch.Delta.ToolCalls, llm.ToolCallDelta{
					Index: st.calls, ID: tc.ID, Type: tc.Type, Name: tc.Name, Arguments: tc.Arguments, Signature: p.ThoughtSignature,
				})
				st.calls++
			default:
				ch.Delta.Content += p.Text
			}
		}
	}
	if t.WebSearch {
		t.searched(st, c, &ch)
	}
	st.answered = st.answered || ch.Delta.Content != "" || len(ch.Delta.ToolCalls) > 0
	if c.FinishReason != "" {
		st.finished = true
		ch.FinishReason = FinishReasonToLLM(c.FinishReason, st.calls > 0)
	}
	ch.Logprobs = LogprobsToLLM(c.LogprobsResult)
	if ch.Delta.Content == "" && len(ch.Delta.ToolCalls) == 0 && ch.Delta.Thinking == nil && ch.FinishReason == "" && (ch.Logprobs == nil || len(ch.Logprobs.Content) == 0) {
		return ch, false
	}
	if !st.roleSent {
		st.roleSent = true
		ch.Delta.Role = llm.RoleAssistant
	}
	if t.WebSearch && !st.searching && (ch.Delta.Content != "" || len(ch.Delta.ToolCalls) > 0 || ch.FinishReason != "") {
		st.searching = true
		t.startSearch(c.Index, &ch)
	}
	return ch, true
}

func (t *StreamTranslator) chunk(choices []llm.ChunkChoice) *llm.Chunk {
	return &llm.Chunk{ID: t.id, Model: t.model, Created: t.created, Choices: choices}
}

// errNoFinish is the cause of a stream that ended before its finishReason.
var errNoFinish = errors.New("gemini: stream ended before a finishReason")

// End is called when the input ended cleanly between events. It returns
// the final usage chunk (no choices) when usage was reported, or nil; and
// an *llm.Error of kind upstream when the stream ended before every
// candidate carried a finishReason: a cut stream is never a clean end.
func (t *StreamTranslator) End() (*llm.Chunk, error) {
	done := t.blocked
	if len(t.cands) > 0 {
		done = true
		for _, st := range t.cands {
			done = done && st.finished
		}
	}
	if !done {
		return nil, llm.Wrap(llm.KindUpstream, errNoFinish, "gemini: stream ended before a finishReason")
	}
	if t.usage == nil {
		return nil, nil
	}
	u := t.usageOf(t.usage)
	return &llm.Chunk{ID: t.id, Model: t.model, Created: t.created, Choices: []llm.ChunkChoice{}, Usage: &u}, nil
}

// WriteEvent writes one fragment as the API frames it: "data: " + JSON +
// "\r\n\r\n".
func WriteEvent(w io.Writer, frag any) error {
	b, err := json.Marshal(frag)
	if err != nil {
		return err
	}
	b = append(append([]byte("data: "), b...), "\r\n\r\n"...)
	_, err = w.Write(b)
	return err
}

// NoAnswerError is the error of a candidate that ended with reason, a
// finish reason saying it holds no usable answer (NoAnswer): a function
// call that cannot be used, a malformed response, an unknown stop. The
// answer has no content to give (or a cut one), and another attempt may
// well make a good one, so the error is retryable (the router fails over
// before the first byte).
func NoAnswerError(reason string) *llm.Error {
	e := llm.Errorf(llm.KindUpstream, "gemini: the model gave no usable answer (finishReason %s)", reason)
	e.Retryable = true
	return e
}

// emptyAnswer is the error of a candidate that ended STOP with neither
// text nor a call, which Gemini sends now and then (no parts at all, or
// thoughts alone) and which no client can use: gemini-cli takes it for an
// invalid stream and retries ("Model stream ended with empty response
// text", vybestack/llxprt-code#434 ports it), as AstrBot does
// (AstrBotDevs/AstrBot#6735, gemini-3-flash-preview) and LiteLLM's
// users met it on gemini-2.5-flash-lite (BerriAI/litellm#24442). So it is
// a retryable upstream error: the router fails over before the first
// byte instead of passing on an empty 200.
func emptyAnswer() *llm.Error {
	e := llm.Errorf(llm.KindUpstream, "gemini: the model answered nothing (finishReason STOP with neither text nor a function call)")
	e.Retryable = true
	return e
}

// addThought adds a thought part's text (a thought summary, sent only when
// the request set includeThoughts) to d's thinking: one block, the
// answer's first; Gemini signs no thought text.
func addThought(d *llm.Delta, text string) {
	if text == "" {
		return
	}
	if d.Thinking == nil {
		d.Thinking = &llm.ThinkingDelta{}
	}
	d.Thinking.Text += text
}
