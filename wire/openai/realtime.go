package openai

import (
	"bytes"
	"encoding/json"
	"fmt"

	"switchyard/llm"
)

// This file holds the little of the Realtime API's WebSocket events the
// router reads or writes itself (it relays the rest as they come): the
// usage of a response.done server event, and the error server event. The
// shapes are the GA API's (RealtimeServerEventResponseDone,
// RealtimeServerEventError in OpenAI's OpenAPI spec).

// RealtimeResponseDone is the event type whose response carries a
// response's usage.
const RealtimeResponseDone = "response.done"

// realtimeResponseDone is what DecodeRealtimeUsage reads of a server
// event.
type realtimeResponseDone struct {
	Type     string `json:"type"`
	Response struct {
		ID     string         `json:"id"`
		Status string         `json:"status"`
		Usage  *RealtimeUsage `json:"usage"`
	} `json:"response"`
}

// RealtimeUsage is a Realtime response's usage (response.usage of
// response.done).
type RealtimeUsage struct {
	TotalTokens       int `json:"total_tokens"`
	InputTokens       int `json:"input_tokens"`
	OutputTokens      int `json:"output_tokens"`
	InputTokenDetails struct {
		TextTokens          int `json:"text_tokens"`
		AudioTokens         int `json:"audio_tokens"`
		ImageTokens         int `json:"image_tokens"`
		CachedTokens        int `json:"cached_tokens"`
		CachedTokensDetails struct {
			TextTokens  int `json:"text_tokens"`
			AudioTokens int `json:"audio_tokens"`
			ImageTokens int `json:"image_tokens"`
		} `json:"cached_tokens_details"`
	} `json:"input_token_details"`
	OutputTokenDetails struct {
		TextTokens  int `json:"text_tokens"`
		AudioTokens int `json:"audio_tokens"`
	} `json:"output_token_details"`
}

// MaybeRealtimeUsage reports whether the server event msg may be a
// response.done (it names the type somewhere, or holds a \u escape, which
// may spell the type): a cheap test the relay runs on every event before
// DecodeRealtimeUsage. Any \u escape, not only EscapesLetter's: the type's
// "." may be one ("response\u002edone").
func MaybeRealtimeUsage(msg []byte) bool {
	return bytes.Contains(msg, []byte(`"response.done"`)) || bytes.Contains(msg, []byte(`\u`))
}

// DecodeRealtimeUsage reads the server event msg: for a response.done
// with a usage, it returns the usage and true; for any other event (or a
// response.done without usage, as for a cancelled response that produced
// nothing), false. An error means msg is not a JSON object of the event
// shape (the event is relayed all the same; its usage is lost).
func DecodeRealtimeUsage(msg []byte) (RealtimeUsage, bool, error) {
	var ev realtimeResponseDone
	if err := json.Unmarshal(msg, &ev); err != nil {
		return RealtimeUsage{}, false, fmt.Errorf("openai: decode realtime server event: %w", err)
	}
	if ev.Type != RealtimeResponseDone || ev.Response.Usage == nil {
		return RealtimeUsage{}, false, nil
	}
	return *ev.Response.Usage, true, nil
}

// Usage returns u in the router's terms: the cached tokens among the
// prompt's, the cached audio among those (CachedAudioPromptTokens), the
// uncached audio input tokens as AudioPromptTokens and the spoken output
// tokens as AudioCompletionTokens; text and image tokens are priced as
// text. Negative or inconsistent counts are clamped so that no part
// exceeds its whole.
func (u RealtimeUsage) Usage() llm.Usage {
	d := &u.InputTokenDetails
	in, out := max(u.InputTokens, 0), max(u.OutputTokens, 0)
	cached := min(max(d.CachedTokens, 0), in)
	cachedAudio := min(max(d.CachedTokensDetails.AudioTokens, 0), cached)
	audio := min(max(d.AudioTokens, 0), in)
	uncachedAudio := max(audio-cachedAudio, 0)
	total := u.TotalTokens
	if total < in+out {
		total = in + out
	}
	return llm.Usage{
		PromptTokens: in, CompletionTokens: out, TotalTokens: total,
		CachedPromptTokens: cached, CachedAudioPromptTokens: cachedAudio,
		AudioPromptTokens:     min(uncachedAudio, in-cached),
		AudioCompletionTokens: min(max(u.OutputTokenDetails.AudioTokens, 0), out),
	}
}

// AppendRealtimeError appends the Realtime API's error server event for
// e: {"type":"error","event_id":…,"error":{"type":…,"code":…,"message":…,
// "param":…,"event_id":null}}.
func AppendRealtimeError(dst []byte, eventID string, e *llm.Error) []byte {
	if e == nil {
		e = &llm.Error{Kind: llm.KindInternal}
	}
	msg := e.Message
	if msg == "" {
		msg = string(e.Kind)
	}
	dst = append(dst, `{"type":"error","event_id":`...)
	dst = appendString(dst, eventID)
	dst = append(dst, `,"error":{"type":`...)
	dst = appendString(dst, ErrorType(e.Kind))
	dst = append(dst, `,"code":`...)
	dst = appendNullString(dst, ErrorCode(e))
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, msg)
	dst = append(dst, `,"param":`...)
	dst = appendNullString(dst, e.Param)
	return append(dst, `,"event_id":null}}`...)
}
