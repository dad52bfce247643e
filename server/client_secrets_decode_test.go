package server

import (
	"testing"
	"time"

	"switchyard/llm"
)

// A client secret request with a field of the wrong type is a 400 that
// names the field (param) in OpenAI's wording, not encoding/json's
// message naming the router's Go types.
func TestClientSecretRequestTypes(t *testing.T) {
	for _, tt := range []struct{ body, param, want string }{
		{`{"expires_after":{"seconds":"60"}}`, "expires_after.seconds", "Invalid type for 'expires_after.seconds': expected an integer, but got a string instead."},
		{`{"session":5}`, "session", "Invalid type for 'session': expected an object, but got a number instead."},
		{`{"session":{"model":5}}`, "session.model", "Invalid type for 'session.model': expected a string, but got a number instead."},
		{`[]`, "", "The request body must be a JSON object, but got an array instead."},
	} {
		_, _, err := decodeClientSecretRequest([]byte(tt.body))
		if e := llm.AsError(err); err == nil || e.Kind != llm.KindInvalidRequest || e.Param != tt.param || e.Message != tt.want {
			t.Errorf("%s: %v (param %q); want %q (param %q)", tt.body, err, e.Param, tt.want, tt.param)
		}
	}
	if req, sess, err := decodeClientSecretRequest([]byte(`{"session":{"type":"realtime","model":"gpt-realtime"}}`)); err != nil || sess.Model != "gpt-realtime" || len(req.Session) == 0 {
		t.Errorf("a good request: %+v %+v %v", req, sess, err)
	}
	if _, _, err := decodeClientSecretRequest(nil); err != nil {
		t.Errorf("an empty body: %v", err)
	}
}

// An expires_after.seconds past what a Duration holds is refused, not
// wrapped around into the accepted range (2^55+600 seconds times 1e9
// nanoseconds is 600 seconds modulo 2^64).
func TestClientSecretTTLRange(t *testing.T) {
	for _, tt := range []struct {
		body string
		want time.Duration
	}{
		{`{}`, secretTTL},
		{`{"expires_after":{"seconds":10}}`, 10 * time.Second},
		{`{"expires_after":{"anchor":"created_at","seconds":7200}}`, 2 * time.Hour},
		{`{"expires_after":{"seconds":9}}`, 0},
		{`{"expires_after":{"seconds":7201}}`, 0},
		{`{"expires_after":{"seconds":-1}}`, 0},
		{`{"expires_after":{"anchor":"now","seconds":60}}`, 0},
		{`{"expires_after":{"seconds":36028797018964568}}`, 0},
		{`{"expires_after":{"seconds":-9223372036854775198}}`, 0},
	} {
		req, _, err := decodeClientSecretRequest([]byte(tt.body))
		if err != nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		got, err := req.ttl()
		if got != tt.want || (err == nil) != (tt.want != 0) {
			t.Errorf("%s: ttl %v, %v; want %v", tt.body, got, err, tt.want)
		}
		if err != nil && llm.AsError(err).Param != "expires_after.seconds" {
			t.Errorf("%s: %v", tt.body, err)
		}
	}
}

// FuzzClientSecretRequest checks that a client secret request body
// decodes or is a 400, and that a lifetime it is granted lies in
// [secretMinTTL, secretMaxTTL] and is the seconds it asked for.
func FuzzClientSecretRequest(f *testing.F) {
	for _, s := range []string{``, `{}`, `[]`, `{"session":{"type":"realtime","model":"gpt-realtime"}}`,
		`{"expires_after":{"anchor":"created_at","seconds":600}}`, `{"expires_after":{"seconds":36028797018964568}}`,
		`{"expires_after":{"seconds":"60"}}`, `{"session":5}`, `{"expires_after":null,"session":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _, err := decodeClientSecretRequest(body)
		if err != nil {
			if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest {
				t.Fatalf("%q: %v is not a 400", body, err)
			}
			return
		}
		ttl, err := req.ttl()
		if err != nil {
			return
		}
		if ttl < secretMinTTL || ttl > secretMaxTTL {
			t.Fatalf("%q: ttl %v", body, ttl)
		}
		if req.ExpiresAfter != nil && ttl != time.Duration(req.ExpiresAfter.Seconds)*time.Second {
			t.Fatalf("%q: ttl %v for %d seconds", body, ttl, req.ExpiresAfter.Seconds)
		}
	})
}
