package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"switchyard/llm"
)

// This file reads the body of POST /v1/messages/batches:
// {"requests":[{"custom_id","params":{…}}]}. What is checked here, before
// the batch is created: the JSON, a non-empty requests list of at most
// maxRequests, each custom_id (1 to 64 of [a-zA-Z0-9_-], unique), each
// params a JSON object. Each params is a Messages request checked when it
// runs, as a live request: a wrong one is that request's errored result.

// BatchRequest is one request of a Message Batch.
type BatchRequest struct {
	// CustomID is the client's id of it, unique in the batch.
	CustomID string
	// Params is the Messages request to run (a JSON object).
	Params json.RawMessage
}

type batchBody struct {
	Requests *[]json.RawMessage `json:"requests"`
}

// batchItem is one element of requests, decoded on its own so a wrong
// type is named with its index (requests.1.custom_id).
type batchItem struct {
	CustomID *string         `json:"custom_id"`
	Params   json.RawMessage `json:"params"`
}

// DecodeBatchRequests reads the body of a Message Batch's creation and
// returns its requests, or an invalid_request_error naming the first
// wrong field (requests.N.custom_id, requests.N.params).
func DecodeBatchRequests(body []byte, maxRequests int) ([]BatchRequest, error) {
	var b batchBody
	d := json.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(&b); err != nil {
		return nil, typeError(err, "")
	}
	if _, err := d.Token(); err != io.EOF { // not More: it takes a stray "}" or "]" for the end
		return nil, invalid("The request body holds more than one JSON value, or bytes after it that are not JSON.")
	}
	if b.Requests == nil {
		return nil, invalid("requests: Field required.")
	}
	reqs := *b.Requests
	switch {
	case len(reqs) == 0:
		return nil, invalid("requests: List should have at least 1 item.")
	case len(reqs) > maxRequests:
		return nil, invalid("requests: a batch holds at most %d requests on this router (batches.max_lines); got %d.", maxRequests, len(reqs))
	}
	out := make([]BatchRequest, len(reqs))
	seen := make(map[string]int, len(reqs))
	for i, raw := range reqs {
		var q batchItem
		if err := json.Unmarshal(raw, &q); err != nil {
			return nil, typeError(err, "requests."+strconv.Itoa(i))
		}
		switch {
		case q.CustomID == nil:
			return nil, invalid("requests.%d.custom_id: Field required.", i)
		case !validCustomID(*q.CustomID):
			return nil, invalid("requests.%d.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'.", i)
		case len(q.Params) == 0 || q.Params[0] != '{':
			return nil, invalid("requests.%d.params: Input should be an object (a Messages request).", i)
		}
		if j, dup := seen[*q.CustomID]; dup {
			return nil, invalid("requests.%d.custom_id: the custom_id '%s' is also requests.%d's; each request needs its own.", i, llm.Clip(*q.CustomID), j)
		}
		seen[*q.CustomID] = i
		out[i] = BatchRequest{CustomID: *q.CustomID, Params: q.Params}
	}
	return out, nil
}

// validCustomID reports whether id matches ^[a-zA-Z0-9_-]{1,64}$.
func validCustomID(id string) bool {
	if len(id) < 1 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// invalid is an invalid_request_error (400) with a formatted message.
func invalid(format string, args ...any) *llm.Error {
	return llm.Errorf(llm.KindInvalidRequest, format, args...)
}

// typeError words a decoding error met at path ("" for the body,
// "requests.1") as the Messages API does — "requests: Input should be a
// valid list, not a JSON object" — not as encoding/json does, naming the
// router's Go types.
func typeError(err error, path string) *llm.Error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return invalid("The request body is not valid JSON: %v.", err)
	}
	at := path
	if te.Field != "" {
		field := te.Field[strings.LastIndexByte(te.Field, '.')+1:]
		at = strings.TrimPrefix(path+"."+field, ".")
	}
	if at == "" {
		return invalid("The request body is not valid JSON: the body must be an object, not a JSON %s.", te.Value)
	}
	want := "dictionary"
	switch te.Type.Kind() {
	case reflect.String:
		want = "string"
	case reflect.Slice:
		want = "list"
	}
	got, _, _ := strings.Cut(te.Value, " ") // "number 1e999": the kind alone
	return invalid("%s: Input should be a valid %s, not a JSON %s.", at, want, got)
}
