package server

import (
	"testing"

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
