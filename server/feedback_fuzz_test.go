package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"switchyard/learn"
	"switchyard/llm"
)

// FuzzFeedbackBody: any body of POST /v1/feedback is answered 204 (a
// valid rating of the caller's own request, stored) or with an OpenAI
// error of a 4xx status: 413 exactly when it is over
// learn.MaxRatingBytes, else 400 exactly when learn.DecodeRating refuses
// the body (without a leading byte order mark), 404 request_not_found
// for a rating of an unknown request. "{id}" in a body stands for the id
// of a request the caller made.
func FuzzFeedbackBody(f *testing.F) {
	for _, s := range []string{
		`{"request_id":"{id}","thumbs":"up","tags":["helpful"],"correction_cost_usd":0.5}`,
		`{"request_id":"{id}","score":0.25}`,
		`{"request_id":"req_000000000000000000000000","thumbs":"down"}`,
		`{"request_id":"{id}"}`, `{"request_id":"{id}","thumbs":"up","score":1}`,
		`{"request_id":"{id}","score":2}`, `{"request_id":"{id}","thumbs":"up","correction_cost_usd":-1}`,
		`{"request_id":"{id}","thumbs":"up","stars":5}`, `thumbs up`, ``, `null`,
		`{"request_id":"` + strings.Repeat("x", 300) + `","thumbs":"up"}`,
		"\ufeff" + `{"request_id":"{id}","thumbs":"up"}`, "\ufeff",
		`{"request_id":"{id}","thumbs":"up","tags":["` + strings.Repeat("x", learn.MaxRatingBytes) + `"]}`,
	} {
		f.Add(s)
	}
	r, _, ts := feedbackRouter(f)
	f.Cleanup(func() { r.Close(context.Background()) })
	status, id, _ := send(f, ts, "/v1/chat/completions", acmeKey, chatRequest(false, "", "hello"))
	if status != http.StatusOK || id == "" {
		f.Fatalf("chat: %d, id %q", status, id)
	}
	f.Fuzz(func(t *testing.T, body string) {
		body = strings.ReplaceAll(body, "{id}", id)
		status, _, answer := send(t, ts, "/v1/feedback", acmeKey, body)
		_, decodeErr := learn.DecodeRating([]byte(strings.TrimPrefix(body, "\ufeff")))
		if tooLarge := len(body) > learn.MaxRatingBytes; tooLarge != (status == http.StatusRequestEntityTooLarge) {
			t.Fatalf("status %d for a body of %d bytes: %s", status, len(body), answer)
		} else if tooLarge {
			return
		}
		if status == http.StatusNoContent {
			if answer != "" || decodeErr != nil {
				t.Fatalf("204 with body %q, decode error %v", answer, decodeErr)
			}
			return
		}
		var e struct {
			Error *struct {
				Message string  `json:"message"`
				Type    string  `json:"type"`
				Param   *string `json:"param"`
				Code    *string `json:"code"`
			} `json:"error"`
		}
		if json.Unmarshal([]byte(answer), &e) != nil || e.Error == nil || e.Error.Message == "" || e.Error.Type == "" {
			t.Fatalf("%d: not an OpenAI error: %q", status, answer)
		}
		var de *llm.Error
		switch {
		case status < 400 || status > 499:
			t.Fatalf("status %d for %q: %s", status, body, answer)
		case (status == http.StatusBadRequest) != (decodeErr != nil):
			t.Fatalf("status %d, DecodeRating error %v: %s", status, decodeErr, answer)
		case decodeErr != nil && !errors.As(decodeErr, &de):
			t.Fatalf("DecodeRating error %v is not an llm.Error", decodeErr)
		case status == http.StatusNotFound && (e.Error.Code == nil || *e.Error.Code != codeRequestNotFound):
			t.Fatalf("404 without code %s: %s", codeRequestNotFound, answer)
		}
	})
}
