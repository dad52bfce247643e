package responses

import (
	"encoding/json"
	"fmt"

	"switchyard/llm"
)

// wholeResponse is the part of a Response object DecodeUpstreamResponse
// reads.
type wholeResponse struct {
	upstreamResponse
	Output []json.RawMessage `json:"output"`
}

// wholeItem is an output item with its content parts (a message's).
type wholeItem struct {
	upstreamItem
	Content []struct {
		Type     string            `json:"type"`
		Text     string            `json:"text"`
		Refusal  string            `json:"refusal"`
		Logprobs []upstreamLogprob `json:"logprobs"`
	} `json:"content"`
}

// DecodeUpstreamResponse reads a Response object an upstream answered
// whole (a provider batch's result) into the canonical response, as the
// UpstreamDecoder reads the same answer streamed: messages' output_text
// and refusal parts, tool calls, reasoning items with encrypted_content
// as OpenAI thinking, the finish of its status and its usage. A failed
// response is the *llm.Error it holds, returned with a response of no
// choices holding only the usage it reports (the failed attempt's bill,
// as UsageSoFar is on a stream), or a nil one when it reports none; a
// body that is no Response object, or one still in progress, is an error
// wrapping ErrUpstreamEvent.
func DecodeUpstreamResponse(data []byte) (*llm.Response, error) {
	var r wholeResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: response: %v", ErrUpstreamEvent, err)
	}
	d := UpstreamDecoder{id: r.ID, model: r.Model, created: r.CreatedAt}
	var chunks []*llm.Chunk
	var err error
	for i, raw := range r.Output {
		var it wholeItem
		if err := json.Unmarshal(raw, &it); err != nil {
			return nil, fmt.Errorf("%w: output[%d]: %v", ErrUpstreamEvent, i, err)
		}
		ev := upstreamEvent{Type: "response.output_item.done", OutputIndex: i, Item: raw}
		if relayedItem(&it.upstreamItem) {
			chunks, _, _ = d.hostedItem(&ev, chunks)
			continue
		}
		if it.Type != "message" {
			if chunks, _, err = d.itemDone(&ev, &it.upstreamItem, chunks); err != nil {
				return nil, err
			}
			continue
		}
		for _, p := range it.Content {
			switch p.Type {
			case "output_text":
				n := len(chunks)
				chunks, _, _ = d.delta("response.output_text.delta", i, []byte(p.Text), chunks)
				if len(p.Logprobs) > 0 && len(chunks) > n {
					chunks[n].Choices[0].Logprobs = logprobsOf(p.Logprobs)
				}
			case "refusal":
				chunks, _, _ = d.delta("response.refusal.delta", i, []byte(p.Refusal), chunks)
			}
		}
		var msg upstreamItem
		_ = json.Unmarshal(raw, &msg)
		chunks = d.annotations(&msg, chunks)
	}
	typ := "response." + r.Status
	switch r.Status {
	case "completed", "incomplete":
	case "failed":
		var spent *llm.Response
		if u := d.usageOf(&r.upstreamResponse); u != nil {
			spent = &llm.Response{ID: r.ID, Model: r.Model, Usage: u}
		}
		if r.Error == nil {
			return spent, UpstreamError("server_error", "upstream response failed without an error")
		}
		return spent, UpstreamError(r.Error.Code, r.Error.Message)
	default:
		return nil, fmt.Errorf("%w: response status %q", ErrUpstreamEvent, r.Status)
	}
	if chunks, _, err = d.finish(&upstreamEvent{Type: typ, Response: &r.upstreamResponse}, chunks); err != nil {
		return nil, err
	}
	var acc llm.Accumulator
	for _, ch := range chunks {
		acc.Add(ch)
	}
	resp := acc.Response()
	resp.ID, resp.Model, resp.Created = r.ID, r.Model, d.createdAt()
	return resp, nil
}
