package anthropic

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// The thread field decodes and is checked as the API checks it; the
// stateless entry point (DecodeRequest, batches) refuses any thread with
// the code the SDKs' helpers go on without one on.
func TestThreadField(t *testing.T) {
	const msgs = `"messages":[{"role":"user","content":"hi"}]`
	for _, tc := range []struct {
		name, body, param, code string
		kind                    llm.ErrorKind
		count                   bool
	}{
		{name: "create", body: `{"model":"m","max_tokens":5,"thread":{"type":"create"},` + msgs + `}`},
		{name: "continue", body: `{"model":"m","max_tokens":5,"thread":{"type":"continue","previous_message_id":"msg_1"},` + msgs + `}`},
		{name: "continue without id", body: `{"model":"m","max_tokens":5,"thread":{"type":"continue"},` + msgs + `}`, param: "thread.previous_message_id", kind: llm.KindInvalidRequest},
		{name: "create with id", body: `{"model":"m","max_tokens":5,"thread":{"type":"create","previous_message_id":"msg_1"},` + msgs + `}`, param: "thread.previous_message_id", kind: llm.KindInvalidRequest},
		{name: "unknown type", body: `{"model":"m","max_tokens":5,"thread":{"type":"fork"},` + msgs + `}`, param: "thread.type", kind: llm.KindInvalidRequest},
		{name: "unknown member", body: `{"model":"m","max_tokens":5,"thread":{"type":"create","x":1},` + msgs + `}`, kind: llm.KindInvalidRequest},
		{name: "not an object", body: `{"model":"m","max_tokens":5,"thread":"create",` + msgs + `}`, kind: llm.KindInvalidRequest},
		{name: "with fallbacks", body: `{"model":"m","max_tokens":5,"thread":{"type":"create"},"fallbacks":[{"model":"x"}],` + msgs + `}`, param: "fallbacks", code: CodeThreadUnsupported, kind: llm.KindInvalidRequest},
		{name: "with context_management", body: `{"model":"m","max_tokens":5,"thread":{"type":"create"},"context_management":{"edits":[]},` + msgs + `}`, param: "context_management", code: CodeThreadUnsupported, kind: llm.KindInvalidRequest},
		{name: "count_tokens", body: `{"model":"m","thread":{"type":"create"},` + msgs + `}`, count: true, kind: llm.KindInvalidRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mr, err := DecodeMessagesRequest([]byte(tc.body), tc.count)
			if err == nil {
				err = Validate(mr)
			}
			if tc.kind == "" {
				if err != nil {
					t.Fatal(err)
				}
				if mr.Thread == nil || (mr.Thread.Type == ThreadContinue) != (mr.Thread.PreviousMessageID == "msg_1") {
					t.Errorf("thread %+v", mr.Thread)
				}
				return
			}
			e := llm.AsError(err)
			if err == nil || e.Kind != tc.kind || e.Param != tc.param || e.Code != tc.code {
				t.Fatalf("err %v (param %q, code %q)", err, e.Param, e.Code)
			}
		})
	}
}

func TestDecodeRequestRefusesThreads(t *testing.T) {
	_, err := DecodeRequest([]byte(`{"model":"m","max_tokens":5,"thread":{"type":"create"},"messages":[{"role":"user","content":"hi"}]}`))
	e := llm.AsError(err)
	if e.Kind != llm.KindInvalidRequest || e.Code != CodeThreadUnsupported {
		t.Fatalf("err %v", err)
	}
	body := string(AppendError(nil, e, "req_1"))
	if !strings.Contains(body, `"details":{"error_code":"thread_unsupported_request"}`) || !strings.HasPrefix(body, `{"type":"error","error":{"type":"invalid_request_error"`) {
		t.Errorf("error body %s", body)
	}
}

// The thread errors are written in the API's shape with their codes.
func TestThreadErrors(t *testing.T) {
	for _, tc := range []struct {
		e      *llm.Error
		prefix string
		status int
	}{
		{ErrThreadNotFound("msg_x"), `{"type":"error","error":{"type":"not_found_error"`, 404},
		{ErrThreadFingerprintMismatch("system", "tools"), `{"type":"error","error":{"type":"invalid_request_error"`, 400},
	} {
		body := string(AppendError(nil, tc.e, "req_1"))
		if !strings.HasPrefix(body, tc.prefix) || !strings.Contains(body, `"details":{"error_code":"`+tc.e.Code+`"}`) || tc.e.HTTPStatus() != tc.status {
			t.Errorf("%s: %s (%d)", tc.e.Code, body, tc.e.HTTPStatus())
		}
	}
}
