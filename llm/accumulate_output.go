package llm

import (
	"encoding/json"
	"strings"
)

// OutputDelta is a delta's share of what an answer carries beside its
// text, each field as the upstream wrote it (nil when absent): in
// OpenAI's shape (Audio, Annotations) or in the provider's own (Block).
type OutputDelta struct {
	// Audio is a piece of a spoken answer: an audio object holding some
	// of id, data (base64, to be joined), transcript (to be joined) and
	// expires_at.
	Audio json.RawMessage
	// Annotations is an array of annotations of the answer's text (a
	// search model's url_citation objects).
	Annotations json.RawMessage
	// Block is a piece of a provider block (Anthropic's server tool
	// blocks, see Block), nil when absent. Only an encoder of the
	// provider's own wire format writes it; the others, which read Audio
	// and Annotations alone, skip it.
	Block *BlockDelta
	// Hosted is a piece of an OpenAI hosted tool item (see
	// Message.Hosted) in BlockDelta's shape: Start the item as it was
	// added, Whole the item done; nil when absent. Only the Responses
	// API's encoder writes it.
	Hosted *BlockDelta
	// TextAnnotations is an array of annotations of the answer's text in
	// the Responses API's shape (see Message.TextAnnotations).
	TextAnnotations json.RawMessage
}

// outputAcc gathers a stream's OutputDelta pieces: a spoken answer's
// audio, joined as the OpenAI SDKs join it (data and transcript
// concatenated, id and expires_at kept), and the annotations, the
// elements of every piece's array in order.
type outputAcc struct {
	audio       bool
	id          string
	expiresAt   json.RawMessage
	data        strings.Builder
	transcript  strings.Builder
	annotations []json.RawMessage
	text        []json.RawMessage
}

// maxAnnotations bounds the annotations an answer keeps.
const maxAnnotations = 4096

// add folds one delta's pieces in; a piece that is not what it should be
// (an object, an array) is dropped.
func (o *outputAcc) add(d *OutputDelta) {
	if len(d.Audio) > 0 {
		var a struct {
			ID         string          `json:"id"`
			Data       string          `json:"data"`
			Transcript string          `json:"transcript"`
			ExpiresAt  json.RawMessage `json:"expires_at"`
		}
		if json.Unmarshal(d.Audio, &a) == nil {
			o.audio = true
			if a.ID != "" {
				o.id = a.ID
			}
			if len(a.ExpiresAt) > 0 && string(a.ExpiresAt) != "null" {
				o.expiresAt = a.ExpiresAt
			}
			o.data.WriteString(a.Data)
			o.transcript.WriteString(a.Transcript)
		}
	}
	if len(d.Annotations) > 0 {
		var list []json.RawMessage
		if json.Unmarshal(d.Annotations, &list) == nil {
			o.annotations = append(o.annotations, list[:min(len(list), maxAnnotations-len(o.annotations))]...)
		}
	}
	if len(d.TextAnnotations) > 0 {
		var list []json.RawMessage
		if json.Unmarshal(d.TextAnnotations, &list) == nil {
			o.text = append(o.text, list[:min(len(list), maxAnnotations-len(o.text))]...)
		}
	}
}

// set writes what was gathered on m: its audio object (id, expires_at,
// data, transcript) and its annotations array.
func (o *outputAcc) set(m *Message) {
	if o.audio {
		expires := o.expiresAt
		if expires == nil {
			expires = json.RawMessage("null")
		}
		audio, _ := json.Marshal(struct {
			ID         string          `json:"id"`
			ExpiresAt  json.RawMessage `json:"expires_at"`
			Data       string          `json:"data"`
			Transcript string          `json:"transcript"`
		}{o.id, expires, o.data.String(), o.transcript.String()})
		m.SetAudio(audio)
	}
	if len(o.annotations) > 0 {
		list, _ := json.Marshal(o.annotations)
		m.SetAnnotations(list)
	}
	if len(o.text) > 0 {
		list, _ := json.Marshal(o.text)
		m.SetTextAnnotations(list)
	}
}
