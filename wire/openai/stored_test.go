package openai

import (
	"encoding/json"
	"net/url"
	"testing"

	"switchyard/llm"
)

func TestAppendStoredCompletion(t *testing.T) {
	for _, tt := range []struct{ object, want string }{
		{`{"id":"c","object":"chat.completion"}`, `{"id":"c","object":"chat.completion","metadata":{"a":"b"}}`},
		{`{}`, `{"metadata":{"a":"b"}}`},
		{`{ }`, `{ "metadata":{"a":"b"}}`},
	} {
		if got := string(AppendStoredCompletion(nil, []byte(tt.object), []byte(`{"a":"b"}`))); got != tt.want {
			t.Errorf("AppendStoredCompletion(%s) = %s; want %s", tt.object, got, tt.want)
		}
	}
}

func TestTakeStore(t *testing.T) {
	req := &llm.Request{Extra: map[string]json.RawMessage{"store": json.RawMessage("true"), "seed_x": json.RawMessage("1")},
		Metadata: map[string]string{"b": "2", "a": "\"1"}}
	ok, md, err := TakeStore(req)
	if err != nil || !ok || string(md) != `{"a":"\"1","b":"2"}` || req.Metadata != nil || req.Extra["store"] != nil || req.Extra["seed_x"] == nil {
		t.Errorf("TakeStore = %v, %s, %v, leaving %+v; want store and metadata taken, the rest left", ok, md, err, req)
	}
	req = &llm.Request{Extra: map[string]json.RawMessage{"store": json.RawMessage("false")}, Metadata: map[string]string{"a": "1"}}
	if ok, _, err := TakeStore(req); ok || err != nil || req.Extra["store"] != nil || req.Metadata == nil {
		t.Errorf("store false: %v, %v, %+v; want store taken, metadata left", ok, err, req)
	}
}

func TestParseStoredQuery(t *testing.T) {
	v, _ := url.ParseQuery("model=gpt&metadata[team]=x&metadata[env]=prod&metadata=ignored&after=c1&limit=5&order=desc")
	q, err := ParseStoredQuery(v, true)
	if err != nil || q.Model != "gpt" || len(q.Metadata) != 2 || q.Metadata["team"] != "x" || q.Metadata["env"] != "prod" || q.After != "c1" || q.Limit != 5 || !q.Desc {
		t.Errorf("ParseStoredQuery = %+v, %v", q, err)
	}
	if q, err := ParseStoredQuery(v, false); err != nil || q.Model != "" || q.Metadata != nil {
		t.Errorf("without filters = %+v, %v; want none read", q, err)
	}
	if q, err := ParseStoredQuery(url.Values{}, true); err != nil || q.Limit != DefaultStoredLimit || q.Desc {
		t.Errorf("defaults = %+v, %v; want 20, ascending", q, err)
	}
}

func TestAppendStoredMessages(t *testing.T) {
	msgs := []byte(`[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"u"}},{"type":"text","text":"b"}]},{"role":"assistant","content":"c"}]`)
	out, err := AppendStoredMessages(nil, msgs, "cc", StoredQuery{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Data []struct {
			ID           string            `json:"id"`
			Content      *string           `json:"content"`
			ContentParts []json.RawMessage `json:"content_parts"`
		} `json:"data"`
		FirstID string `json:"first_id"`
		LastID  string `json:"last_id"`
		HasMore bool   `json:"has_more"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if len(list.Data) != 2 || *list.Data[0].Content != "a\nb" || len(list.Data[0].ContentParts) != 3 || list.Data[1].ContentParts != nil ||
		*list.Data[1].Content != "c" || list.FirstID != "cc-0" || list.LastID != "cc-1" || list.HasMore {
		t.Errorf("AppendStoredMessages = %s", out)
	}
	if _, err := AppendStoredMessages(nil, msgs, "cc", StoredQuery{Limit: 20, After: "cc-9"}); err == nil {
		t.Error("an unknown after: no error")
	}
}

// FuzzStoredQuery: any query string parses without panicking, and a
// query that parses is within the limits.
func FuzzStoredQuery(f *testing.F) {
	for _, s := range []string{"", "limit=5&order=desc", "metadata[a]=b&metadata[c]=d&model=m&after=x", "metadata[=&metadata]]=", "limit=-1", "order=%ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseStoredQuery(v, true)
		if err != nil {
			if llm.AsError(err).Kind != llm.KindInvalidRequest {
				t.Fatalf("%q: error %v is not an invalid_request", raw, err)
			}
			return
		}
		if q.Limit < 1 || q.Limit > MaxStoredLimit || CheckMetadata(q.Metadata) != nil {
			t.Fatalf("%q parsed to %+v, out of the limits", raw, q)
		}
	})
}

// FuzzStoredMessages: any stored messages and cursor list without
// panicking, as valid JSON when they list.
func FuzzStoredMessages(f *testing.F) {
	f.Add([]byte(`[{"role":"user","content":"a"},{"role":"assistant","content":null}]`), "c-0", 1, true)
	f.Add([]byte(`[{"role":"user","content":[{"type":"text","text":"x"}]}]`), "", 5, false)
	f.Add([]byte(`[1,"x",null]`), "", 2, false)
	f.Fuzz(func(t *testing.T, msgs []byte, after string, limit int, desc bool) {
		if limit < 1 || limit > MaxStoredLimit {
			return
		}
		out, err := AppendStoredMessages(nil, msgs, "c", StoredQuery{After: after, Limit: limit, Desc: desc})
		if err == nil && !json.Valid(out) {
			t.Fatalf("invalid JSON %s", out)
		}
	})
}

// FuzzTakeStore: any chat request body's store and metadata are taken
// without panicking: never left for the upstream, the metadata kept a
// valid JSON object within the limits.
func FuzzTakeStore(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}],"store":true,"metadata":{"a":"b"}}`))
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}],"store":"yes"}`))
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],"store":null,"metadata":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeChatRequest(body)
		if err != nil {
			return
		}
		storing, md, err := TakeStore(req)
		if req.Extra["store"] != nil {
			t.Fatal("store left for the upstream")
		}
		if err != nil || !storing {
			return
		}
		var back map[string]string
		if req.Metadata != nil || json.Unmarshal(md, &back) != nil || CheckMetadata(back) != nil {
			t.Fatalf("metadata %s (left %v)", md, req.Metadata)
		}
		if msgs, err := StoredMessages(req); err == nil && !json.Valid(msgs) {
			t.Fatalf("stored messages are not JSON: %s", msgs)
		}
	})
}
