package openai

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// This file holds the simulated Realtime API's objects and its answer to
// response.create, in the GA spec's event order: response.created,
// response.output_item.added, conversation.item.added,
// response.content_part.added, the deltas (response.output_text.delta;
// for audio, response.output_audio.delta and
// response.output_audio_transcript.delta), their done events,
// response.content_part.done, response.output_item.done,
// conversation.item.done, response.done with the usage, then
// rate_limits.updated.

// realtimeSessionObject is the session of session.created and
// session.updated (the spec's example, field for field).
type realtimeSessionObject struct {
	Type             string   `json:"type"`
	Object           string   `json:"object"`
	ID               string   `json:"id"`
	Model            string   `json:"model"`
	OutputModalities []string `json:"output_modalities"`
	Instructions     string   `json:"instructions"`
	Tools            []any    `json:"tools"`
	ToolChoice       string   `json:"tool_choice"`
	MaxOutputTokens  string   `json:"max_output_tokens"`
	Tracing          any      `json:"tracing"`
	Prompt           any      `json:"prompt"`
	ExpiresAt        int64    `json:"expires_at"`
	Audio            struct {
		Input  realtimeAudioIn  `json:"input"`
		Output realtimeAudioOut `json:"output"`
	} `json:"audio"`
	Include any `json:"include"`
}

type realtimeFormat struct {
	Type string `json:"type"`
	Rate int    `json:"rate"`
}

type realtimeAudioIn struct {
	Format         realtimeFormat `json:"format"`
	Transcription  any            `json:"transcription"`
	NoiseReduction any            `json:"noise_reduction"`
	TurnDetection  any            `json:"turn_detection"`
}

type turnDetection struct {
	Type              string  `json:"type"`
	Threshold         float64 `json:"threshold"`
	PrefixPaddingMs   int     `json:"prefix_padding_ms"`
	SilenceDurationMs int     `json:"silence_duration_ms"`
	IdleTimeoutMs     any     `json:"idle_timeout_ms"`
	CreateResponse    bool    `json:"create_response"`
	InterruptResponse bool    `json:"interrupt_response"`
}

// realtimePart is a content part of the response.content_part events.
type realtimePart struct {
	Type       string  `json:"type"`
	Text       *string `json:"text,omitempty"`
	Transcript *string `json:"transcript,omitempty"`
}

// rateLimit is one of rate_limits.updated's.
type rateLimit struct {
	Name         string  `json:"name"`
	Limit        int     `json:"limit"`
	Remaining    int     `json:"remaining"`
	ResetSeconds float64 `json:"reset_seconds"`
}

type rateLimitsEvent struct {
	Type       string      `json:"type"`
	EventID    string      `json:"event_id"`
	RateLimits []rateLimit `json:"rate_limits"`
}

type realtimeAudioOut struct {
	Format realtimeFormat `json:"format"`
	Voice  string         `json:"voice"`
	Speed  float64        `json:"speed"`
}

func newSessionObject(model string) realtimeSessionObject {
	s := realtimeSessionObject{Type: "realtime", Object: "realtime.session", ID: "sess_" + randID(), Model: model,
		OutputModalities: []string{"audio"}, Tools: []any{}, ToolChoice: "auto", MaxOutputTokens: "inf",
		ExpiresAt: time.Now().Add(time.Hour).Unix()}
	pcm := realtimeFormat{Type: "audio/pcm", Rate: sampleRate}
	s.Audio.Input = realtimeAudioIn{Format: pcm, TurnDetection: turnDetection{Type: "server_vad", Threshold: 0.5,
		PrefixPaddingMs: 300, SilenceDurationMs: 200, CreateResponse: true, InterruptResponse: true}}
	s.Audio.Output = realtimeAudioOut{Format: pcm, Voice: "marin", Speed: 1}
	return s
}

// realtimeItem is a conversation item (RealtimeConversationItem).
type realtimeItem struct {
	ID      string            `json:"id"`
	Object  string            `json:"object,omitempty"`
	Type    string            `json:"type"`
	Status  string            `json:"status"`
	Role    string            `json:"role,omitempty"`
	Content []realtimeContent `json:"content"`
	// Output is a function_call_output's.
	Output string `json:"output,omitempty"`
}

type realtimeContent struct {
	Type       string  `json:"type"`
	Text       *string `json:"text,omitempty"`
	Transcript *string `json:"transcript,omitempty"`
}

type itemEvent struct {
	Type           string       `json:"type"`
	EventID        string       `json:"event_id"`
	PreviousItemID any          `json:"previous_item_id"`
	Item           realtimeItem `json:"item"`
}

// realtimeResponse is the response object of response.created and
// response.done.
type realtimeResponse struct {
	Object           string         `json:"object"`
	ID               string         `json:"id"`
	Status           string         `json:"status"`
	StatusDetails    any            `json:"status_details"`
	Output           []realtimeItem `json:"output"`
	ConversationID   string         `json:"conversation_id"`
	OutputModalities []string       `json:"output_modalities"`
	MaxOutputTokens  string         `json:"max_output_tokens"`
	Audio            any            `json:"audio"`
	Usage            any            `json:"usage"`
	Metadata         any            `json:"metadata"`
}

type responseEvent struct {
	Type     string           `json:"type"`
	EventID  string           `json:"event_id"`
	Response realtimeResponse `json:"response"`
}

type outputItemEvent struct {
	Type        string       `json:"type"`
	EventID     string       `json:"event_id"`
	ResponseID  string       `json:"response_id"`
	OutputIndex int          `json:"output_index"`
	Item        realtimeItem `json:"item"`
}

type partEvent struct {
	Type         string `json:"type"`
	EventID      string `json:"event_id"`
	ResponseID   string `json:"response_id"`
	ItemID       string `json:"item_id"`
	OutputIndex  int    `json:"output_index"`
	ContentIndex int    `json:"content_index"`
	Part         any    `json:"part,omitempty"`
	Delta        any    `json:"delta,omitempty"`
	Text         any    `json:"text,omitempty"`
	Transcript   any    `json:"transcript,omitempty"`
}

// respond answers response.create; it reports whether the session goes
// on (false: cut by a fault, or the client left).
func (rs *realtimeSession) respond(ctx context.Context, ev *clientEvent) bool {
	modalities := rs.sess.OutputModalities
	var r struct {
		OutputModalities []string `json:"output_modalities"`
		Instructions     string   `json:"instructions"`
	}
	if len(ev.Response) > 0 && json.Unmarshal(ev.Response, &r) == nil && len(r.OutputModalities) > 0 {
		if !validModalities(r.OutputModalities) {
			return rs.fail(ctx, ev.EventID, "invalid_request_error", "invalid_value", "response.output_modalities", "Invalid modalities: only ['text'] or ['audio'] are supported.") == nil
		}
		modalities = r.OutputModalities
	}
	audio := modalities[0] == "audio"
	prompt, inputText := rs.prompt()
	ans := rs.p.Respond(sim.Ask{Model: rs.p.Model, System: rs.sess.Instructions, Prompt: prompt, PromptTokens: inputText})
	cut := rs.fault.Kind == sim.FaultCut || strings.Contains(prompt, "[[sim:cut]]")
	after := rs.fault.After
	if after <= 0 {
		after = 3
	}
	resp := realtimeResponse{Object: "realtime.response", ID: "resp_" + randID(), Status: "in_progress", Output: []realtimeItem{},
		ConversationID: rs.conv, OutputModalities: modalities, MaxOutputTokens: "inf"}
	if audio {
		resp.Audio = map[string]any{"output": map[string]any{"format": realtimeFormat{Type: "audio/pcm", Rate: sampleRate}, "voice": rs.sess.Audio.Output.Voice}}
	}
	item := realtimeItem{ID: "item_" + randID(), Object: "realtime.item", Type: "message", Status: "in_progress", Role: "assistant", Content: []realtimeContent{}}
	pe := partEvent{ResponseID: resp.ID, ItemID: item.ID}
	var prev any
	if n := len(rs.items); n > 0 {
		prev = rs.items[n-1].ID
	}
	empty := ""
	part := realtimePart{Type: "text", Text: &empty}
	if audio {
		part = realtimePart{Type: "audio", Transcript: &empty}
	}
	events := []any{
		responseEvent{Type: "response.created", EventID: eventID(), Response: resp},
		outputItemEvent{Type: "response.output_item.added", EventID: eventID(), ResponseID: resp.ID, Item: item},
		itemEvent{Type: "conversation.item.added", EventID: eventID(), PreviousItemID: prev, Item: item},
		pe.with("response.content_part.added", func(e *partEvent) { e.Part = part }),
	}
	if !rs.sendAll(ctx, events...) || !sim.Sleep(ctx, rs.p.FirstTokenDelay()) {
		return false
	}
	for i, piece := range ans.Pieces {
		if cut && i == after {
			rs.conn.CloseNow() // the upstream dies mid-response: no close frame
			return false
		}
		deltas := []any{pe.with("response.output_text.delta", func(e *partEvent) { e.Delta = piece })}
		if audio {
			chunk := base64.StdEncoding.EncodeToString(make([]byte, 2*sampleRate*utf8.RuneCountInString(piece)/speechRate))
			deltas = []any{pe.with("response.output_audio.delta", func(e *partEvent) { e.Delta = chunk }),
				pe.with("response.output_audio_transcript.delta", func(e *partEvent) { e.Delta = piece })}
		}
		if !rs.sendAll(ctx, deltas...) || !sim.Sleep(ctx, rs.p.PieceDelay(1)) {
			return false
		}
	}
	return rs.finishResponse(ctx, resp, item, pe, prev, ans.Text, audio, inputText)
}

// finishResponse sends the done events of a response whose text was
// sent, then rate_limits.updated.
func (rs *realtimeSession) finishResponse(ctx context.Context, resp realtimeResponse, item realtimeItem, pe partEvent, prev any, text string, audio bool, inputText int) bool {
	content := realtimeContent{Type: "output_text", Text: &text}
	part := realtimePart{Type: "text", Text: &text}
	done := []any{pe.with("response.output_text.done", func(e *partEvent) { e.Text = text })}
	if audio {
		content = realtimeContent{Type: "output_audio", Transcript: &text}
		part = realtimePart{Type: "audio", Transcript: &text}
		done = []any{pe.with("response.output_audio.done", nil), pe.with("response.output_audio_transcript.done", func(e *partEvent) { e.Transcript = text })}
	}
	item.Status, item.Content = "completed", []realtimeContent{content}
	resp.Status, resp.Output = "completed", []realtimeItem{item}
	resp.Usage = rs.usage(inputText, text, audio)
	done = append(done,
		pe.with("response.content_part.done", func(e *partEvent) { e.Part = part }),
		outputItemEvent{Type: "response.output_item.done", EventID: eventID(), ResponseID: resp.ID, Item: item},
		itemEvent{Type: "conversation.item.done", EventID: eventID(), PreviousItemID: prev, Item: item},
		responseEvent{Type: "response.done", EventID: eventID(), Response: resp},
		rateLimitsEvent{Type: "rate_limits.updated", EventID: eventID(), RateLimits: []rateLimit{
			{Name: "requests", Limit: 5000, Remaining: 4999, ResetSeconds: 0.012},
			{Name: "tokens", Limit: 400000, Remaining: 395000, ResetSeconds: 0.75}}},
	)
	item.Object = ""
	rs.items = append(rs.items, item)
	return rs.sendAll(ctx, done...)
}

// with returns a copy of pe typed typ, set by set (nil: as it is).
func (pe partEvent) with(typ string, set func(*partEvent)) partEvent {
	e := pe
	e.Type, e.EventID = typ, eventID()
	if set != nil {
		set(&e)
	}
	return e
}

// prompt is the last user text of the conversation, and the tokens of
// the conversation's text with the instructions.
func (rs *realtimeSession) prompt() (string, int) {
	var last string
	n := sim.CountTokens(rs.sess.Instructions)
	for _, it := range rs.items {
		for _, c := range it.Content {
			for _, t := range []*string{c.Text, c.Transcript} {
				if t != nil {
					n += sim.CountTokens(*t)
					if it.Role == "user" {
						last = *t
					}
				}
			}
		}
		n += sim.CountTokens(it.Output)
	}
	return last, n
}

// usage is a response's usage: the conversation's text and audio as
// input, the answer (and its speech) as output.
func (rs *realtimeSession) usage(inputText int, text string, audio bool) *wire.RealtimeUsage {
	var u wire.RealtimeUsage
	outText := sim.CountTokens(text)
	outAudio := 0
	if audio {
		outAudio = max(1, 20*utf8.RuneCountInString(text)/speechRate)
	}
	u.InputTokens = inputText + rs.inputAudioTokens
	u.OutputTokens = outText + outAudio
	u.TotalTokens = u.InputTokens + u.OutputTokens
	u.InputTokenDetails.TextTokens, u.InputTokenDetails.AudioTokens = inputText, rs.inputAudioTokens
	u.OutputTokenDetails.TextTokens, u.OutputTokenDetails.AudioTokens = outText, outAudio
	return &u
}

// sendAll sends evs in order; it reports whether all were written.
func (rs *realtimeSession) sendAll(ctx context.Context, evs ...any) bool {
	for _, ev := range evs {
		if rs.send(ctx, ev) != nil {
			return false
		}
	}
	return true
}
