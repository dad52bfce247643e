package openai

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"

	"switchyard/llm"
	"switchyard/sim"
)

// This file is what the simulated model answers beside its text, as the
// real API does: a spoken answer (modalities with "audio"): its audio
// object, content null and the text as the transcript; and for a request
// with web_search_options, a url_citation annotation of the answer.

// spoken is the audio format a request's spoken answer is asked in
// (audio.format), and whether it asks for one.
func spoken(req *llm.Request) (string, bool) {
	if !bytes.Contains(req.Extra["modalities"], []byte(`"audio"`)) {
		return "", false
	}
	var a struct {
		Format string `json:"format"`
	}
	json.Unmarshal(req.Extra["audio"], &a)
	return a.Format, true
}

// checkSpoken refuses a spoken answer asked without its audio parameter,
// as the API does.
func checkSpoken(c *call, req *llm.Request) bool {
	if _, ok := spoken(req); ok && len(req.Extra["audio"]) == 0 {
		c.fail(http.StatusBadRequest, apiError{Message: "Missing required parameter: 'audio'.", Type: "invalid_request_error", Param: "audio", Code: "missing_required_parameter"})
		return false
	}
	return true
}

// spokenSeconds is how long a transcript takes to say: 15 characters a
// second.
func spokenSeconds(transcript string) float64 {
	return float64(utf8.RuneCountInString(transcript)) / 15
}

// audioTokensPerSecond is the simulated rate of audio output tokens.
const audioTokensPerSecond = 20

// spokenTokens is how many audio tokens saying transcript takes.
func spokenTokens(transcript string) int {
	return int(spokenSeconds(transcript)*audioTokensPerSecond + 0.5)
}

// audioFormat maps the chat API's audio formats to the speech encoder's.
func audioFormat(format string) string {
	if format == "pcm16" {
		return "pcm"
	}
	return format
}

// audioObject is a complete spoken answer: id, expires_at, data, transcript.
func audioObject(format, transcript string) json.RawMessage {
	raw, _ := json.Marshal(struct {
		ID         string `json:"id"`
		ExpiresAt  int64  `json:"expires_at"`
		Data       string `json:"data"`
		Transcript string `json:"transcript"`
	}{newID("audio_"), time.Now().Add(time.Hour).Unix(), base64.StdEncoding.EncodeToString(silence(audioFormat(format), spokenSeconds(transcript))), transcript})
	return raw
}

// annotations are the url_citation annotations of text, for a request
// with web_search_options: one citing the whole answer.
func annotations(req *llm.Request, text string) json.RawMessage {
	if _, ok := req.Extra["web_search_options"]; !ok || text == "" {
		return nil
	}
	raw, _ := json.Marshal([]any{map[string]any{"type": "url_citation", "url_citation": map[string]any{
		"end_index": utf8.RuneCountInString(text), "start_index": 0, "title": "Simulated search result",
		"url": "https://search.example/" + sim.ID("r", text)[:9]}}})
	return raw
}

// withOutput gives the complete message m what it carries beside its
// text: as a spoken answer, content null and the audio; annotations.
func withOutput(req *llm.Request, m llm.Message) llm.Message {
	text := m.Text()
	if format, ok := spoken(req); ok && len(m.ToolCalls()) == 0 {
		m.Content, m.StringContent = nil, false
		m.SetAudio(audioObject(format, text))
	}
	m.SetAnnotations(annotations(req, text))
	return m
}

// outputDeltas turns a text answer's deltas into a spoken one's (the
// pieces as the audio's transcript, then its data in parts, then its
// expiry) and adds the annotations after the last, as the API streams
// them.
func outputDeltas(req *llm.Request, ans sim.Answer, deltas []llm.Delta) []llm.Delta {
	if len(ans.ToolCalls) > 0 {
		return deltas
	}
	if format, ok := spoken(req); ok {
		id := newID("audio_")
		for i := range deltas {
			piece, _ := json.Marshal(map[string]string{"transcript": deltas[i].Content})
			if i == 0 {
				piece, _ = json.Marshal(map[string]string{"id": id, "transcript": deltas[i].Content})
			}
			deltas[i].Content, deltas[i].Output = "", &llm.OutputDelta{Audio: piece}
		}
		data := base64.StdEncoding.EncodeToString(silence(audioFormat(format), spokenSeconds(ans.Text)))
		for _, part := range fragments(data, 4096) {
			piece, _ := json.Marshal(map[string]string{"data": part})
			deltas = append(deltas, llm.Delta{Output: &llm.OutputDelta{Audio: piece}})
		}
		expiry, _ := json.Marshal(map[string]int64{"expires_at": time.Now().Add(time.Hour).Unix()})
		deltas = append(deltas, llm.Delta{Output: &llm.OutputDelta{Audio: expiry}})
	}
	if a := annotations(req, ans.Text); a != nil {
		deltas = append(deltas, llm.Delta{Output: &llm.OutputDelta{Annotations: a}})
	}
	return deltas
}
