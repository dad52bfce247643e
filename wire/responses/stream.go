package responses

import (
	"encoding/json"

	"switchyard/llm"
)

// Streamer turns a canonical chunk stream into the Responses API's typed
// server-sent events, numbered in order: response.created and
// response.in_progress first (Start), then for each chunk the events of
// the items it opens and extends (Chunk), and at the end the events that
// close the items and the terminal response.completed or
// response.incomplete (Finish), or response.failed and an error event
// (Fail). Each method appends whole events to dst and returns it; a
// chunk's text costs no allocation. The zero value is not usable: use
// NewStreamer. A Streamer is used by one goroutine.
type Streamer struct {
	req  *Request
	meta Meta
	seq  int
	// items are the output items opened so far, in output order.
	items []streamItem
	// msg is the index in items of the open message, or -1; rs that of
	// the open reasoning item.
	msg, rs int
	// messages, calls and reasonings count the items opened of each type
	// (for ids).
	messages, calls, reasonings int
	// hosteds counts the hosted tool items opened.
	hosteds  int
	finish   llm.FinishReason
	usage    llm.Usage
	hasUsage bool
	// moderation is the answer's moderation results, as the upstream
	// wrote them; nil for none.
	moderation json.RawMessage
}

// streamItem is an output item being streamed.
type streamItem struct {
	Item
	// text, refusal and args accumulate the item's deltas, logprobs the
	// log probabilities of its text's tokens.
	text, refusal, args []byte
	logprobs            []llm.TokenLogprob
	// textPart and refusalPart are the content indexes of the message's
	// parts, -1 while not opened.
	textPart, refusalPart int
	// toolIndex is the canonical tool call index of a function call.
	toolIndex int
	// deferred marks the call of a client-executed tool, announced when
	// whole (shellcalls.go).
	deferred bool
	done     bool
	// thought is a reasoning item's thinking; nil for the other items.
	thought *thought
}

// NewStreamer returns a Streamer for the response to r described by m.
func NewStreamer(r *Request, m Meta) *Streamer {
	return &Streamer{req: r, meta: m, msg: -1, rs: -1}
}

// Start appends response.created and response.in_progress.
func (s *Streamer) Start(dst []byte) []byte {
	snap := Output{Status: StatusInProgress}
	dst = s.responseEvent(dst, "response.created", &snap)
	return s.responseEvent(dst, "response.in_progress", &snap)
}

// Chunk appends the events of c's first choice: the items it opens, the
// text, refusal and argument deltas. Its finish reason and usage are
// kept for Finish.
func (s *Streamer) Chunk(dst []byte, c *llm.Chunk) []byte {
	if c.Usage != nil {
		s.usage, s.hasUsage = *c.Usage, true
	}
	for i := range c.Choices {
		ch := &c.Choices[i]
		if ch.Index != 0 {
			continue
		}
		if ch.FinishReason != "" {
			s.finish = ch.FinishReason
			if ch.Stop != nil && ch.Stop.Moderation != "" {
				s.moderation = json.RawMessage(ch.Stop.Moderation)
			}
		}
		d := &ch.Delta
		if d.Thinking != nil && s.req.asksReasoning() {
			dst = s.thinking(dst, d.Thinking)
		}
		if d.Content != "" {
			dst = s.text(dst, d.Content, contentLogprobs(ch.Logprobs))
		}
		if d.Refusal != "" {
			dst = s.refusal(dst, d.Refusal)
		}
		for j := range d.ToolCalls {
			dst = s.callSignature(dst, &d.ToolCalls[j])
			dst = s.toolCall(dst, &d.ToolCalls[j])
		}
		if o := d.Output; o != nil && o.Hosted != nil {
			dst = s.hosted(dst, o.Hosted)
		}
		if o := d.Output; o != nil && len(o.TextAnnotations) > 0 {
			dst = s.annotations(dst, o.TextAnnotations)
		}
	}
	return dst
}

// text appends an output_text delta with the log probabilities of its
// tokens, opening the message and its text part first when needed.
func (s *Streamer) text(dst []byte, delta string, logprobs []llm.TokenLogprob) []byte {
	dst = s.openMessage(s.endReasoning(dst))
	it := &s.items[s.msg]
	if it.textPart < 0 {
		it.textPart = it.parts()
		dst = s.partAdded(dst, s.msg, it.textPart, `{"type":"output_text","annotations":[],"logprobs":[],"text":""}`)
	}
	it.text = append(it.text, delta...)
	it.logprobs = append(it.logprobs, logprobs...)
	return s.textDelta(dst, "response.output_text.delta", s.msg, it.textPart, delta, logprobs, true)
}

// refusal appends a refusal delta, opening the message and its refusal
// part first when needed.
func (s *Streamer) refusal(dst []byte, delta string) []byte {
	dst = s.openMessage(s.endReasoning(dst))
	it := &s.items[s.msg]
	if it.refusalPart < 0 {
		it.refusalPart = it.parts()
		dst = s.partAdded(dst, s.msg, it.refusalPart, `{"type":"refusal","refusal":""}`)
	}
	it.refusal = append(it.refusal, delta...)
	return s.textDelta(dst, "response.refusal.delta", s.msg, it.refusalPart, delta, nil, false)
}

// parts counts the message's content parts opened.
func (it *streamItem) parts() int {
	n := 0
	if it.textPart >= 0 {
		n++
	}
	if it.refusalPart >= 0 {
		n++
	}
	return n
}

// openMessage opens a message item unless one is open.
func (s *Streamer) openMessage(dst []byte) []byte {
	if s.msg >= 0 {
		return dst
	}
	s.msg = len(s.items)
	s.items = append(s.items, streamItem{Item: Item{Type: ItemMessage, ID: s.meta.IDs.Message(s.messages)}, textPart: -1, refusalPart: -1})
	s.messages++
	return s.itemAdded(dst, s.msg)
}

// toolCall appends a function call's events: the item when the call is
// new (which closes the open message: text that follows goes to a new
// one), then its arguments delta. The call's item stays open until
// Finish, so fragments of parallel calls may interleave.
func (s *Streamer) toolCall(dst []byte, tc *llm.ToolCallDelta) []byte {
	dst = s.endReasoning(dst)
	at := -1
	for i := range s.items {
		if it := &s.items[i]; it.Type != ItemMessage && it.Type != ItemReasoning && it.Type != ItemHosted && it.toolIndex == tc.Index {
			at = i
			break
		}
	}
	if at < 0 {
		if s.msg >= 0 {
			dst = s.closeItem(dst, s.msg, StatusCompleted)
			s.msg = -1
		}
		at = len(s.items)
		typ, id := s.meta.IDs.Call(s.calls, &llm.ToolCall{Type: tc.Type})
		deferred := typ == ItemFunctionCall && clientTool(s.req.Chat.Tools, tc.Name) != nil
		s.items = append(s.items, streamItem{Item: Item{Type: typ, ID: id, CallID: tc.ID, Name: tc.Name},
			toolIndex: tc.Index, textPart: -1, refusalPart: -1, deferred: deferred})
		s.req.qualify(&s.items[at].Item)
		s.calls++
		if !deferred {
			dst = s.itemAdded(dst, at)
		}
	}
	it := &s.items[at]
	if it.CallID == "" {
		it.CallID = tc.ID
	}
	if it.Name == "" {
		it.Name = tc.Name
	}
	s.req.qualify(&it.Item)
	if tc.Arguments == "" {
		return dst
	}
	it.args = append(it.args, tc.Arguments...)
	if it.deferred {
		return dst
	}
	if it.Type == ItemCustomToolCall {
		return s.inputDelta(dst, at, tc.Arguments)
	}
	return s.argsDelta(dst, at, tc.Arguments)
}

// Finish appends the events that end a stream the upstream ended
// cleanly: every open item closed, then response.completed, or
// response.incomplete when the output was cut by max_output_tokens or a
// content filter. cost is written as usage.cost ("" for none).
func (s *Streamer) Finish(dst []byte, cost string) []byte {
	if s.messages+s.calls+s.hosteds == 0 {
		dst = s.text(dst, "", nil)
	}
	status, _ := statusOf(s.finish)
	for i := range s.items {
		dst = s.closeItem(dst, i, itemStatus(status))
	}
	out := s.Final(cost)
	typ := "response.completed"
	if status == StatusIncomplete {
		typ = "response.incomplete"
	}
	return s.responseEvent(dst, typ, &out)
}

// Final returns the response that Finish ends the stream with (cost as
// usage.cost), appending nothing: the router stores it before the
// stream's last event goes out.
func (s *Streamer) Final(cost string) Output {
	out := s.Output()
	if s.messages+s.calls+s.hosteds == 0 {
		out.Items = append(out.Items, Item{Type: ItemMessage, ID: s.meta.IDs.Message(0)})
	}
	out.Status, out.IncompleteReason = statusOf(s.finish)
	out.Cost, out.Moderation = cost, s.moderation
	return out
}

// Fail appends the events that end a broken stream: response.failed,
// whose response holds the output so far (its items incomplete) and the
// error, then an error event, which the official SDKs raise as the
// stream's error.
func (s *Streamer) Fail(dst []byte, e *llm.Error) []byte {
	out := s.Failed(e)
	dst = s.responseEvent(dst, "response.failed", &out)
	return s.errorEvent(dst, e)
}

// ErrorEvent appends an error event alone, with no response.failed
// before it, as an upstream may end a stream it fails (the simulator's
// FaultErrorEvent).
func (s *Streamer) ErrorEvent(dst []byte, e *llm.Error) []byte { return s.errorEvent(dst, e) }

// Failed returns the response that Fail ends the stream with, appending
// nothing.
func (s *Streamer) Failed(e *llm.Error) Output {
	out := s.Output()
	out.Status, out.Error = StatusFailed, e
	return out
}

// SetStore sets what the events' response says of its storing ("store"),
// from the next event on.
func (s *Streamer) SetStore(stored bool) { s.meta.Store = stored }

// SetModel sets the model the events' response names, from the next
// event on (a background stream's, once its deployment answered).
func (s *Streamer) SetModel(model string) { s.meta.Model = model }

// SetConversation sets the conversation the events after it name ("":
// none, when the response's items could not be added to it).
func (s *Streamer) SetConversation(id string) { s.meta.Conversation = id }

// AppendResponse appends the response object of out, as the stream's
// events write it.
func (s *Streamer) AppendResponse(dst []byte, out *Output) []byte {
	return AppendResponse(dst, s.req, &s.meta, out)
}

// Output returns the output so far: the items with their content as
// streamed, and the upstream's usage (nil when none came yet).
func (s *Streamer) Output() Output {
	out := Output{Status: StatusInProgress, Items: s.itemsNow(nil)}
	if s.hasUsage {
		u := s.usage
		out.Usage = &u
	}
	return out
}

// itemsNow returns the items as they stand, in dst.
func (s *Streamer) itemsNow(dst []Item) []Item {
	dst = dst[:0]
	for i := range s.items {
		it := &s.items[i]
		if !it.done {
			it.Text, it.Refusal, it.Arguments, it.Logprobs = string(it.text), string(it.refusal), string(it.args), it.logprobs
			s.settle(it)
		}
		item := it.Item
		if it.deferred && !it.done {
			raiseClientCall(&item, s.req.Chat.Tools)
		}
		dst = append(dst, item)
	}
	return dst
}

// closeItem appends the events that close item i: its parts' done
// events, then response.output_item.done.
func (s *Streamer) closeItem(dst []byte, i int, status string) []byte {
	it := &s.items[i]
	if it.done {
		return dst
	}
	if it.Type == ItemReasoning {
		return s.closeReasoning(dst, i)
	}
	if it.Type == ItemHosted { // never done: as it was added
		it.done = true
		return s.hostedDone(dst, i)
	}
	it.Text, it.Refusal, it.Arguments, it.Logprobs = string(it.text), string(it.refusal), string(it.args), it.logprobs
	it.done = true
	if it.deferred {
		return s.closeClientCall(dst, i, status)
	}
	if it.Type == ItemFunctionCall {
		dst = s.argsDone(dst, i)
		return s.itemDone(dst, i, status)
	}
	if it.Type == ItemCustomToolCall {
		dst = s.inputDone(dst, i)
		return s.itemDone(dst, i, status)
	}
	if it.textPart >= 0 {
		dst = s.textDone(dst, "response.output_text.done", i, it.textPart, "text", it.Text)
		dst = s.partDone(dst, i, it.textPart, false)
	}
	if it.refusalPart >= 0 {
		dst = s.textDone(dst, "response.refusal.done", i, it.refusalPart, "refusal", it.Refusal)
		dst = s.partDone(dst, i, it.refusalPart, true)
	}
	return s.itemDone(dst, i, status)
}

// Warmup appends the event that ends a warm-up (Request.Warmup) begun
// with Start: response.completed, without output or usage.
func (s *Streamer) Warmup(dst []byte) []byte {
	return s.responseEvent(dst, "response.completed", &Output{Status: StatusCompleted})
}
