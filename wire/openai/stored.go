package openai

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
)

// This file reads and writes what the stored Chat Completions' endpoints
// (GET /v1/chat/completions, GET, POST and DELETE …/{id}, GET
// …/{id}/messages) exchange besides a chat completion: the store and
// metadata of a request that stores one, the list queries, the lists
// with OpenAI's cursor pagination, and the deletion object.

// Limits of a stored list's page, and of metadata (OpenAI's).
const (
	DefaultStoredLimit = 20
	MaxStoredLimit     = 100
	MaxMetadataPairs   = 16
	MaxMetadataKey     = 64
	MaxMetadataValue   = 512
)

// StoredQuery selects a page of stored chat completions (Model and
// Metadata filter them) or of one's messages: after the item After ("",
// from the first), oldest first or, with Desc, newest first, at most
// Limit.
type StoredQuery struct {
	Model    string
	Metadata map[string]string
	After    string
	Limit    int
	Desc     bool
}

// invalidParam is an invalid_request error of the parameter param.
func invalidParam(param, format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, format, args...)
	e.Param = param
	return e
}

// ParseStoredQuery reads a StoredQuery from the query string of GET
// /v1/chat/completions (filters true: model and metadata[key]=value are
// read) or GET /v1/chat/completions/{id}/messages: limit (1 to 100, 20 by
// default), order (asc by default, or desc), after. Every error is an
// *llm.Error of kind invalid_request naming the parameter.
func ParseStoredQuery(v url.Values, filters bool) (StoredQuery, error) {
	q := StoredQuery{After: v.Get("after"), Limit: DefaultStoredLimit}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxStoredLimit {
			return q, invalidParam("limit", "Invalid 'limit': expected an integer between 1 and %d, but got '%s' instead.", MaxStoredLimit, llm.Clip(s))
		}
		q.Limit = n
	}
	switch o := v.Get("order"); o {
	case "", "asc":
	case "desc":
		q.Desc = true
	default:
		return q, invalidParam("order", "Invalid value: '%s'. Supported values are: 'asc' and 'desc'.", llm.Clip(o))
	}
	if !filters {
		return q, nil
	}
	q.Model = v.Get("model")
	for key, vals := range v {
		name, ok := strings.CutPrefix(key, "metadata[")
		if !ok || !strings.HasSuffix(name, "]") {
			continue
		}
		if q.Metadata == nil {
			q.Metadata = make(map[string]string, 2)
		}
		q.Metadata[strings.TrimSuffix(name, "]")] = vals[len(vals)-1]
	}
	return q, CheckMetadata(q.Metadata)
}

// CheckMetadata holds metadata to OpenAI's limits: 16 pairs, keys of at
// most 64 characters, values of at most 512; the error, an *llm.Error of
// kind invalid_request, names the parameter.
func CheckMetadata(md map[string]string) error {
	if len(md) > MaxMetadataPairs {
		return invalidParam("metadata", "Invalid 'metadata': too many properties. Expected an object with at most %d properties, but got %d instead.", MaxMetadataPairs, len(md))
	}
	for k, v := range md {
		if utf8.RuneCountInString(k) > MaxMetadataKey {
			return invalidParam("metadata", "Invalid 'metadata': keys must be at most %d characters long.", MaxMetadataKey)
		}
		if utf8.RuneCountInString(v) > MaxMetadataValue {
			return invalidParam("metadata."+k, "Invalid 'metadata.%s': string too long. Expected a string with maximum length %d.", k, MaxMetadataValue)
		}
	}
	return nil
}

// TakeStore removes the store parameter from req's pass-through fields
// (the router keeps the completion itself; an upstream is never asked to)
// and reports whether it was true. When it was, the metadata is checked
// (CheckMetadata) and removed from req too, returned as a JSON object
// ({} for none): it belongs to the stored completion. A store that is
// not a boolean or null is an invalid_request error.
func TakeStore(req *llm.Request) (store bool, metadata []byte, err error) {
	raw, ok := req.Extra["store"]
	if !ok {
		return false, nil, nil
	}
	delete(req.Extra, "store")
	switch string(raw) {
	case "true":
	case "false", "null":
		return false, nil, nil
	default:
		return false, nil, invalidParam("store", "Invalid type for 'store': expected a boolean, but got %s instead.", jsonKind(raw))
	}
	if err := CheckMetadata(req.Metadata); err != nil {
		return false, nil, err
	}
	md := AppendMetadata(nil, req.Metadata)
	req.Metadata = nil
	return true, md, nil
}

// jsonKind names the JSON type of raw as OpenAI's errors do.
func jsonKind(raw json.RawMessage) string {
	switch s := strings.TrimLeft(string(raw), " \t\r\n"); {
	case s == "":
		return "nothing"
	case s[0] == '"':
		return "a string"
	case s[0] == '{':
		return "an object"
	case s[0] == '[':
		return "an array"
	default:
		return "a number"
	}
}

// AppendMetadata appends md as a JSON object, keys in order ({} for
// none).
func AppendMetadata(dst []byte, md map[string]string) []byte {
	dst = append(dst, '{')
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(appendString(dst, k), ':')
		dst = appendString(dst, md[k])
	}
	return append(dst, '}')
}

// AppendStoredCompletion appends the stored chat completion object (a
// JSON object without metadata, as the client received it) with its
// metadata (a JSON object) added, as GET /v1/chat/completions/{id}
// returns it.
func AppendStoredCompletion(dst, object, metadata []byte) []byte {
	end := strings.LastIndexByte(string(object), '}')
	if end < 0 { // not an object: never stored so
		return append(dst, object...)
	}
	dst = append(dst, object[:end]...)
	if strings.TrimSpace(string(object[1:end])) != "" {
		dst = append(dst, ',')
	}
	dst = append(dst, `"metadata":`...)
	dst = append(dst, metadata...)
	return append(dst, object[end:]...)
}

// AppendChatCompletionDeleted appends the deletion object of DELETE
// /v1/chat/completions/{id}.
func AppendChatCompletionDeleted(dst []byte, id string) []byte {
	dst = append(dst, `{"object":"chat.completion.deleted","id":`...)
	dst = appendString(dst, id)
	return append(dst, `,"deleted":true}`...)
}

// AppendStoredList appends a list object: object "list", data (the JSON
// objects items), first_id and last_id (ids' first and last, "" for an
// empty page) and has_more.
func AppendStoredList(dst []byte, items [][]byte, ids []string, hasMore bool) []byte {
	dst = append(dst, `{"object":"list","data":[`...)
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, it...)
	}
	dst = append(dst, `],"first_id":`...)
	first, last := "", ""
	if len(ids) > 0 {
		first, last = ids[0], ids[len(ids)-1]
	}
	dst = append(appendString(dst, first), `,"last_id":`...)
	dst = append(appendString(dst, last), `,"has_more":`...)
	return append(strconv.AppendBool(dst, hasMore), '}')
}
