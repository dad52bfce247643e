package openai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// DeepSeek's API (its documented base_url https://api.deepseek.com: POST
// /chat/completions, the sim's DeepSeek path) takes a message's content
// only as a string: an array of parts on any message fails the body's
// deserialization, a 400 naming the message and where its object ends
// (tailcallhq/forgecode#2008's capture; cline/cline#230,
// BerriAI/litellm#6642, QwenLM/qwen-code#2318). Groq's (POST
// /openai/v1/chat/completions, its path) refuses one on a system message
// (i-am-bee/beeai-framework#752's capture; OpenHands/OpenHands#4643).
// Both take the text as a string.

// refuseArrayContent answers as DeepSeek or Groq does a request whose
// messages carry content they take only as a string as an array, and
// reports whether it did; on any other path it does nothing.
func refuseArrayContent(c *call, body []byte) bool {
	if !c.deepSeek && !c.groq {
		return false
	}
	i, role, end := arrayContent(body, c.groq)
	if i < 0 {
		return false
	}
	if c.groq {
		msg := fmt.Sprintf("'messages.%d' : for 'role:%s' the following must be satisfied[('messages.%d.content' : value must be a string)]", i, role, i)
		b, _ := json.Marshal(map[string]map[string]string{"error": {"message": msg, "type": "invalid_request_error"}})
		c.writeJSON(http.StatusBadRequest, append(b, '\n'))
		return true
	}
	line := 1 + bytes.Count(body[:end], []byte{'\n'})
	col := end - (bytes.LastIndexByte(body[:end], '\n') + 1)
	msg := fmt.Sprintf("Failed to deserialize the JSON body into the target type: messages[%d]: invalid type: sequence, expected a string at line %d column %d", i, line, col)
	type deepSeekError struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    string  `json:"code"`
	}
	b, _ := json.Marshal(map[string]deepSeekError{"error": {Message: msg, Type: "invalid_request_error", Code: "invalid_request_error"}})
	c.writeJSON(http.StatusBadRequest, b)
	return true
}

// arrayContent returns the index and role of body's first message whose
// content is an array (a system message's alone when systemOnly), and
// the offset just past its object; -1 when there is none or body is not
// a JSON object with a messages array (the decoder judges that).
func arrayContent(body []byte, systemOnly bool) (int, string, int) {
	at, role, end := -1, "", 0
	eachMember(body, func(dec *json.Decoder, key string) bool {
		if key != "messages" {
			var skip json.RawMessage
			return dec.Decode(&skip) == nil
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return false
		}
		for i := 0; dec.More(); i++ {
			var m struct {
				Role    string          `json:"role"`
				Content json.RawMessage `json:"content"`
			}
			if dec.Decode(&m) != nil {
				return false
			}
			if len(m.Content) > 0 && m.Content[0] == '[' && (!systemOnly || m.Role == "system") {
				at, role, end = i, m.Role, int(dec.InputOffset())
				return false
			}
		}
		return false
	})
	return at, role, end
}

// eachMember calls f with each member's key of the JSON object body, in
// order, the decoder before the member's value, which f reads; it stops
// when f returns false, or at a body that is not an object.
func eachMember(body []byte, f func(dec *json.Decoder, key string) bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return
	}
	for dec.More() {
		key, err := dec.Token()
		if k, ok := key.(string); err != nil || !ok || !f(dec, k) {
			return
		}
	}
}
