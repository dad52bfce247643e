package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"

	"switchyard/llm"
	"switchyard/store"
	wire "switchyard/wire/anthropic"
	openai "switchyard/wire/openai"
)

// ThreadStore holds the message threads (the thread field,
// docs/anthropic-api.md): each turn is kept under its reply's message id,
// as a store.Response whose Parent is the turn it continued and whose
// Input is a JSON object {"system"?, "tools"?, "messages"} (the system
// and tools only on the turn that created the thread; the messages the
// turn added) and whose Output is the reply as a message
// ([{"role":"assistant","content":[…]}]). Implementations scope every
// call to the caller of ctx (its tenant) and are safe for concurrent use.
type ThreadStore interface {
	// Holding reports whether threads are held now; when not, a request
	// with a thread is refused with thread_unsupported_request.
	Holding() bool
	// Save stores turn t (ID, Parent, Model, Status, Object, Input and
	// Output set; the store adds the owner and the times) and returns once
	// any router sharing the store can read it. An error wrapping
	// store.ErrParentNotFound says t.Parent is no longer kept.
	Save(ctx context.Context, t *store.Response) error
	// Chain returns the turn id after its ancestors, root first, or an
	// error wrapping store.ErrResponseNotFound.
	Chain(ctx context.Context, id string) ([]*store.Response, error)
}

// unthreadedKey marks the context of a request that holds no thread.
type unthreadedKey struct{}

// Unthreaded returns ctx marked so that a request served under it holds
// no thread: one with a thread is refused with thread_unsupported_request,
// as a Message Batch's requests are (the batch runner holds no thread, and
// the SDKs' helpers go on without one on that code).
func Unthreaded(ctx context.Context) context.Context {
	return context.WithValue(ctx, unthreadedKey{}, true)
}

// threadTurn is the turn a request with a thread makes: what is stored
// under its reply's id once the reply is complete.
type threadTurn struct {
	// parent is the message id the turn continues; "" for a create.
	parent string
	// input is what the turn added: the stored Input object.
	input []byte
	// whole is, for a continue, the Input object of the whole
	// conversation, stored instead (as a new root) should parent be
	// erased before the turn is saved.
	whole []byte
}

// threadFields are the members of a request body a thread reads.
type threadFields struct {
	Thread   *wire.Thread    `json:"thread"`
	System   json.RawMessage `json:"system,omitempty"`
	Tools    json.RawMessage `json:"tools,omitempty"`
	Messages json.RawMessage `json:"messages"`
}

// threadBody returns body as the router answers it, and the turn it
// makes: unchanged with no turn when it has no thread (or is not valid
// enough to say: the decoder then answers it); for a continue, with the
// held conversation's system, tools and messages put before its own
// messages. Errors: thread_unsupported_request when no thread is held
// here, thread_not_found for a continue of a turn the caller's tenant
// does not hold (or that cannot be read: the client then replays),
// thread_fingerprint_mismatch for a continue whose system or tools
// differ from the thread's.
func (h *Handler) threadBody(ctx context.Context, body []byte) ([]byte, *threadTurn, error) {
	if !bytes.Contains(body, []byte(`"thread"`)) && !openai.EscapesLetter(body) && !openai.FoldsKey(body, "thread") { // an escape or another case may spell the key
		return body, nil, nil
	}
	var f threadFields
	if json.Unmarshal(body, &f) != nil || f.Thread == nil || len(f.Messages) == 0 || f.Messages[0] != '[' {
		return body, nil, nil
	}
	if h.Threads == nil || !h.Threads.Holding() || ctx.Value(unthreadedKey{}) != nil {
		return nil, nil, wire.ErrThreadUnsupported()
	}
	switch {
	case f.Thread.Type == wire.ThreadCreate && f.Thread.PreviousMessageID == "":
		in, err := json.Marshal(threadInput{System: f.System, Tools: f.Tools, Messages: f.Messages})
		return body, &threadTurn{input: in}, err
	case f.Thread.Type == wire.ThreadContinue && f.Thread.PreviousMessageID != "":
		return h.continueThread(ctx, body, &f)
	}
	return body, nil, nil // the decoder refuses it
}

// threadInput is a stored turn's Input.
type threadInput struct {
	System   json.RawMessage `json:"system,omitempty"`
	Tools    json.RawMessage `json:"tools,omitempty"`
	Messages json.RawMessage `json:"messages"`
}

// continueThread is threadBody for a continue.
func (h *Handler) continueThread(ctx context.Context, body []byte, f *threadFields) ([]byte, *threadTurn, error) {
	id := f.Thread.PreviousMessageID
	rctx, cancel := h.storeTimeouts().Bound(ctx)
	chain, err := h.Threads.Chain(rctx, id)
	cancel()
	switch {
	case errors.Is(err, store.ErrResponseNotFound):
		return nil, nil, wire.ErrThreadNotFound(id)
	case err != nil: // failed, or no answer within the store's timeout: 529
		return nil, nil, llm.Wrap(llm.KindUnavailable, err, "The message thread could not be read; the router's log says why. Try again.")
	}
	whole, err := heldConversation(chain)
	if err != nil {
		return nil, nil, wire.ErrThreadNotFound(id)
	}
	var changed []string
	if sentDiffers(f.System, whole.System) {
		changed = append(changed, "system")
	}
	if sentDiffers(f.Tools, whole.Tools) {
		changed = append(changed, "tools")
	}
	if len(changed) > 0 {
		return nil, nil, wire.ErrThreadFingerprintMismatch(changed...)
	}
	if whole.Messages, err = withoutCacheControl(whole.Messages); err != nil {
		return nil, nil, wire.ErrThreadNotFound(id)
	}
	whole.Messages = appendArray(whole.Messages, f.Messages)
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return body, nil, nil
	}
	delete(members, "system")
	delete(members, "tools")
	if len(whole.System) > 0 {
		members["system"] = whole.System
	}
	if len(whole.Tools) > 0 {
		members["tools"] = whole.Tools
	}
	members["messages"] = whole.Messages
	merged, err := json.Marshal(members)
	if err != nil {
		return nil, nil, err
	}
	turn := &threadTurn{parent: id}
	if turn.input, err = json.Marshal(threadInput{Messages: f.Messages}); err == nil {
		turn.whole, err = json.Marshal(whole)
	}
	return merged, turn, err
}

// heldConversation is the conversation a chain of turns holds: the
// root's system and tools, and each turn's messages then its reply.
func heldConversation(chain []*store.Response) (threadInput, error) {
	var whole threadInput
	whole.Messages = []byte("[]")
	for i, t := range chain {
		var in threadInput
		if err := json.Unmarshal(t.Input, &in); err != nil {
			return whole, err
		}
		if i == 0 {
			whole.System, whole.Tools = in.System, in.Tools
		}
		whole.Messages = appendArray(appendArray(whole.Messages, in.Messages), t.Output)
	}
	return whole, nil
}

// withoutCacheControl returns the held messages without the
// cache_control of their blocks (and of the blocks in a tool_result), as
// the SDKs replay a thread's history: each turn may have set a
// breakpoint, and a request takes at most four, none of ttl 1h after
// one of 5m. The system's and tools' breakpoints, the thread's, stay.
func withoutCacheControl(messages []byte) ([]byte, error) {
	if !bytes.Contains(messages, []byte(`"cache_control"`)) && !bytes.Contains(messages, []byte(`\u`)) && // an escape may spell the key,
		!openai.FoldsKey(messages, "cache_control") { // and so may another case, which the decoder reads as it
		return messages, nil
	}
	d := json.NewDecoder(bytes.NewReader(messages))
	d.UseNumber()
	var msgs []map[string]any
	if err := d.Decode(&msgs); err != nil {
		return nil, err
	}
	for _, m := range msgs {
		dropCacheControl(m)
	}
	return json.Marshal(msgs)
}

// dropCacheControl deletes the cache_control of each block of a
// message's or block's content (a list of blocks; a string has none), and
// of the blocks a block holds. Keys are matched as the request decoder,
// encoding/json, matches them: folded ("Cache_Control", "Content").
func dropCacheControl(holder map[string]any) {
	for k, content := range holder {
		if !strings.EqualFold(k, "content") {
			continue
		}
		blocks, _ := content.([]any)
		for _, b := range blocks {
			if block, ok := b.(map[string]any); ok {
				for k := range block {
					if strings.EqualFold(k, "cache_control") {
						delete(block, k)
					}
				}
				dropCacheControl(block)
			}
		}
	}
}

// sentDiffers reports whether a field sent on a continue (nil or null
// when not sent) differs from the thread's.
func sentDiffers(sent, held json.RawMessage) bool {
	if len(sent) == 0 || bytes.Equal(bytes.TrimSpace(sent), []byte("null")) {
		return false
	}
	var a, b bytes.Buffer
	if json.Compact(&a, sent) != nil {
		return true
	}
	if len(held) > 0 && json.Compact(&b, held) != nil {
		return true
	}
	return !bytes.Equal(a.Bytes(), b.Bytes())
}

// appendArray returns the JSON array a followed by the elements of the
// JSON array b (both valid arrays).
func appendArray(a, b []byte) []byte {
	a, b = bytes.TrimSpace(a), bytes.TrimSpace(b)
	if len(b) < 2 || len(bytes.TrimSpace(b[1:len(b)-1])) == 0 {
		return a
	}
	if len(bytes.TrimSpace(a[1:len(a)-1])) == 0 {
		return append([]byte(nil), b...)
	}
	out := make([]byte, 0, len(a)+len(b))
	out = append(out, a[:len(a)-1]...)
	out = append(out, ',')
	return append(out, b[1:]...)
}

// saveTurn stores turn t under the reply message (its JSON as the client
// got it, AppendResponse), the turn it continued as its parent: as a
// new root holding the whole conversation when that parent was erased
// meanwhile. A turn that is not stored is not held, and its continue is
// answered thread_not_found; the reply goes out either way.
func (h *Handler) saveTurn(ctx context.Context, t *threadTurn, message []byte) {
	var m struct {
		ID      string          `json:"id"`
		Model   string          `json:"model"`
		Content json.RawMessage `json:"content"`
	}
	if json.Unmarshal(message, &m) != nil || len(m.Content) == 0 {
		return
	}
	out := append(append([]byte(`[{"role":"assistant","content":`), m.Content...), "}]"...)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.storeTimeout())
	defer cancel()
	r := &store.Response{ID: m.ID, Parent: t.parent, Model: m.Model, Status: "completed",
		Object: append([]byte(nil), message...), Input: t.input, Output: out}
	if err := h.Threads.Save(ctx, r); errors.Is(err, store.ErrParentNotFound) && t.whole != nil {
		r.Parent, r.Input = "", t.whole
		h.Threads.Save(ctx, r)
	}
}

// streamedReply is the reply a stream sent, as AppendResponse writes it
// (the message a complete request gets): its chunks accumulated, under
// the stream's message id, each tool call without an id given the one
// the stream gave it.
func streamedReply(acc *llm.Accumulator, enc *wire.StreamEncoder) []byte {
	resp := acc.Response()
	if len(resp.Choices) > 0 {
		m := &resp.Choices[0].Message
		if calls := m.ToolCalls(); len(calls) > 0 {
			calls = append([]llm.ToolCall(nil), calls...)
			for i := range calls {
				if calls[i].ID == "" {
					calls[i].ID = wire.StreamToolUseID(enc.MessageID(), i)
				}
			}
			m.SetToolCalls(calls)
		}
	}
	return wire.AppendResponse(nil, resp, enc.MessageID())
}
