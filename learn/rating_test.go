package learn

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

func ptr[T any](v T) *T { return &v }

func TestDecodeRating(t *testing.T) {
	tests := []struct {
		body string
		want Rating
	}{
		{`{"request_id":"req_1","thumbs":"up"}`, Rating{RequestID: "req_1", Thumbs: "up"}},
		{`{"request_id":"req_1","thumbs":"down","tags":["wrong","too_long","wrong"],"correction_cost_usd":0.25}`,
			Rating{RequestID: "req_1", Thumbs: "down", Tags: []string{"wrong", "too_long"}, CorrectionUSD: 0.25}},
		{`{"request_id":"req_1","score":0}`, Rating{RequestID: "req_1", Score: ptr(0.0)}},
		{`{"request_id":"req_1","score":1,"thumbs":null,"tags":null}`, Rating{RequestID: "req_1", Score: ptr(1.0)}},
		{` {"score":0.42,"request_id":"req_x","tags":[]} `, Rating{RequestID: "req_x", Score: ptr(0.42)}},
	}
	for _, tt := range tests {
		got, err := DecodeRating([]byte(tt.body))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DecodeRating(%s) = %+v, %v; want %+v", tt.body, got, err, tt.want)
		}
	}
}

func TestDecodeRatingErrors(t *testing.T) {
	long := strings.Repeat("a", MaxTagLen+1)
	many := `["` + strings.Repeat(`t","`, MaxTags) + `t"]`
	tests := []struct{ body, param, says string }{
		{``, "", "JSON object"},
		{`[]`, "", "JSON object"},
		{`null`, "", "JSON object"},
		{`{"request_id":"req_1","thumbs":"up"`, "", "JSON object"},
		{`{"thumbs":"up"}`, "request_id", "Missing request_id"},
		{`{"request_id":"","thumbs":"up"}`, "request_id", "request id"},
		{`{"request_id":"req 1","thumbs":"up"}`, "request_id", "request id"},
		{`{"request_id":7,"thumbs":"up"}`, "request_id", "request id"},
		{`{"request_id":"` + strings.Repeat("r", 129) + `","thumbs":"up"}`, "request_id", "at most 128"},
		{`{"request_id":"req_1"}`, "thumbs", "Missing rating"},
		{`{"request_id":"req_1","thumbs":"up","score":1}`, "score", "not both"},
		{`{"request_id":"req_1","thumbs":"sideways"}`, "thumbs", `"up" or "down"`},
		{`{"request_id":"req_1","thumbs":true}`, "thumbs", `"up" or "down"`},
		{`{"request_id":"req_1","score":1.5}`, "score", "from 0"},
		{`{"request_id":"req_1","score":-0.1}`, "score", "from 0"},
		{`{"request_id":"req_1","score":"0.5"}`, "score", "from 0"},
		{`{"request_id":"req_1","score":1e400}`, "score", "from 0"},
		{`{"request_id":"req_1","thumbs":"up","tags":"slow"}`, "tags", "list of strings"},
		{`{"request_id":"req_1","thumbs":"up","tags":[1]}`, "tags", "list of strings"},
		{`{"request_id":"req_1","thumbs":"up","tags":[""]}`, "tags", "not a tag"},
		{`{"request_id":"req_1","thumbs":"up","tags":["has space"]}`, "tags", "not a tag"},
		{`{"request_id":"req_1","thumbs":"up","tags":["` + long + `"]}`, "tags", "not a tag"},
		{`{"request_id":"req_1","thumbs":"up","tags":` + many + `}`, "tags", "At most 16"},
		{`{"request_id":"req_1","thumbs":"up","correction_cost_usd":-1}`, "correction_cost_usd", "from 0"},
		{`{"request_id":"req_1","thumbs":"up","correction_cost_usd":1e7}`, "correction_cost_usd", "from 0"},
		{`{"request_id":"req_1","thumbs":"up","correction_cost_usd":"1"}`, "correction_cost_usd", "from 0"},
		{`{"request_id":"req_1","thumbs":"up","comment":"meh"}`, "comment", "Unrecognized"},
		{`{"request_id":"req_1","thumbs":"up","pad":"` + strings.Repeat("x", MaxRatingBytes) + `"}`, "", "larger than"},
	}
	for _, tt := range tests {
		_, err := DecodeRating([]byte(tt.body))
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param != tt.param || !strings.Contains(e.Message, tt.says) {
			t.Errorf("DecodeRating(%.80s) error = %#v; want invalid_request on %q saying %q", tt.body, err, tt.param, tt.says)
		}
	}
}

func TestRatingReward(t *testing.T) {
	for _, tt := range []struct {
		r    Rating
		want float64
	}{{Rating{Thumbs: "up"}, 1}, {Rating{Thumbs: "down"}, 0}, {Rating{Score: ptr(0.3)}, 0.3}} {
		if got := tt.r.Reward(); got != tt.want {
			t.Errorf("%+v.Reward() = %v, want %v", tt.r, got, tt.want)
		}
	}
}

// FuzzDecodeRating: no body panics the decoder; an accepted rating keeps
// its invariants and survives a round trip through its JSON form.
func FuzzDecodeRating(f *testing.F) {
	for _, s := range []string{
		`{"request_id":"req_1","thumbs":"up"}`,
		`{"request_id":"req_1","score":0.5,"tags":["a","b"],"correction_cost_usd":1}`,
		`{"request_id":"req_1","thumbs":"down","score":null}`,
		`{"request_id":"\u0000","thumbs":"up"}`,
		`{"request_id":"req_1","tags":["` + strings.Repeat("x", 70) + `"]}`,
		`{"request_id":"req_1","score":1e-320}`,
		`{"request_id":"req_1","score":-0}`,
		`{}`, `[`, `"x"`, `{"a":{"b":[1,2,{"c":null}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeRating(body)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest {
				t.Fatalf("error %v is not an invalid_request llm.Error", err)
			}
			return
		}
		if (r.Thumbs != "") == (r.Score != nil) || r.RequestID == "" || len(r.Tags) > MaxTags {
			t.Fatalf("accepted an invalid rating %+v", r)
		}
		if rw := r.Reward(); !(rw >= 0 && rw <= 1) || !(r.CorrectionUSD >= 0) {
			t.Fatalf("reward %v or correction %v out of range", rw, r.CorrectionUSD)
		}
		for _, tag := range r.Tags {
			if !validTag(tag) {
				t.Fatalf("accepted tag %q", tag)
			}
		}
		again, err := DecodeRating(encodeRating(r))
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("round trip of %+v = %+v, %v", r, again, err)
		}
	})
}

func encodeRating(r Rating) []byte {
	m := map[string]any{"request_id": r.RequestID, "correction_cost_usd": r.CorrectionUSD}
	if r.Score != nil {
		m["score"] = *r.Score
	} else {
		m["thumbs"] = r.Thumbs
	}
	if r.Tags != nil {
		m["tags"] = r.Tags
	}
	b, _ := json.Marshal(m)
	return b
}
