package openai

import (
	"encoding/json"
	"strconv"
	"strings"

	"switchyard/llm"
)

// This file writes the messages of a stored chat completion: kept as the
// request's messages (a JSON array, as the router would send them to an
// OpenAI-format upstream), listed by GET
// /v1/chat/completions/{id}/messages each with an id, its text content,
// and its content parts when it had some.

// StoredMessages returns req's messages as a JSON array.
func StoredMessages(req *llm.Request) ([]byte, error) {
	dst := []byte{'['}
	for i := range req.Messages {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendMessage(dst, &req.Messages[i], &cacheMarks{}, ChatOptions{}, signaturesKept); err != nil {
			return nil, encodeError("messages["+strconv.Itoa(i)+"]", err)
		}
	}
	return append(dst, ']'), nil
}

// MessageID is the id of the i-th message (from 0) of the stored chat
// completion id, as OpenAI names them.
func MessageID(id string, i int) string { return id + "-" + strconv.Itoa(i) }

// AppendStoredMessages appends the list object of the page q selects
// (Model and Metadata ignored) of messages, the stored messages (a JSON
// array) of the chat completion id. An After that names no message of it
// is an invalid_request error; stored messages that do not decode are an
// internal one.
func AppendStoredMessages(dst, messages []byte, id string, q StoredQuery) ([]byte, error) {
	var all []map[string]json.RawMessage
	if err := json.Unmarshal(messages, &all); err != nil {
		return nil, llm.Wrap(llm.KindInternal, err, "The stored messages could not be read.")
	}
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
		if q.Desc {
			order[i] = len(all) - 1 - i
		}
	}
	start := 0
	if q.After != "" {
		start = -1
		for at, i := range order {
			if MessageID(id, i) == q.After {
				start = at + 1
			}
		}
		if start < 0 {
			return nil, invalidParam("after", "Invalid 'after': no message with id '%s' in this chat completion.", llm.Clip(q.After))
		}
	}
	page := order[start:min(len(order), start+q.Limit)]
	items, ids := make([][]byte, len(page)), make([]string, len(page))
	for n, i := range page {
		ids[n] = MessageID(id, i)
		items[n] = storedMessage(all[i], ids[n])
	}
	return AppendStoredList(dst, items, ids, start+len(page) < len(order)), nil
}

// storedMessage returns the message m with its id, its content as text
// and, when it was an array of parts, those parts as content_parts.
func storedMessage(m map[string]json.RawMessage, id string) []byte {
	out := make(map[string]json.RawMessage, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	out["id"], _ = json.Marshal(id)
	out["content_parts"] = json.RawMessage("null")
	if c := m["content"]; len(c) > 0 && c[0] == '[' {
		out["content_parts"] = c
		out["content"] = partsText(c)
	}
	b, _ := json.Marshal(out) // values are JSON already
	return b
}

// partsText returns the text of the text parts of parts, joined, as a
// JSON string; null when there is none.
func partsText(parts json.RawMessage) json.RawMessage {
	var ps []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	json.Unmarshal(parts, &ps) //nolint:errcheck // written by appendContent: an array of parts
	var texts []string
	for _, p := range ps {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	if len(texts) == 0 {
		return json.RawMessage("null")
	}
	b, _ := json.Marshal(strings.Join(texts, "\n"))
	return b
}
