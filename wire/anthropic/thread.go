package anthropic

import (
	"strconv"
	"strings"

	"switchyard/llm"
)

// Thread is a request's thread field (the message-threads beta): Type
// ThreadCreate asks that the conversation, with the reply, be held under
// the reply's id; ThreadContinue resumes the conversation held under
// PreviousMessageID, the request's messages coming after it.
type Thread struct {
	Type              string `json:"type"`
	PreviousMessageID string `json:"previous_message_id,omitempty"`
}

// The thread types.
const (
	ThreadCreate   = "create"
	ThreadContinue = "continue"
)

// The error codes of message threads, written as error.details.error_code
// (DetailCodes), on which the SDKs' thread helpers act.
const (
	// CodeThreadUnsupported: the request combines thread with something
	// threads do not take, or was sent where no thread is held (a batch,
	// a router that keeps no state); the SDKs' helpers set to
	// continue_unthreaded send the whole conversation without thread.
	CodeThreadUnsupported = "thread_unsupported_request"
	// CodeThreadNotFound: no thread is held under previous_message_id
	// (never made, another organization's, expired); the SDKs replay the
	// whole conversation with thread create.
	CodeThreadNotFound = "thread_not_found"
	// CodeThreadFingerprintMismatch: a field that stays as the thread was
	// created (system, tools) was sent different on a continue.
	CodeThreadFingerprintMismatch = "thread_fingerprint_mismatch"
)

// ErrThreadUnsupported is the 400 thread_unsupported_request of a request
// with a thread where none can be held.
func ErrThreadUnsupported() *llm.Error {
	e := rejectf("thread: message threads are not supported here; send the conversation's messages without thread")
	e.Code, e.Param = CodeThreadUnsupported, "thread"
	return e
}

// errThreadWith is the 400 thread_unsupported_request of a thread sent
// with a field threads do not take, as the API refuses it.
func errThreadWith(field string) *llm.Error {
	e := rejectf("thread: message threads do not support %s; send the conversation's messages without thread, or leave %s out", field, field)
	e.Code, e.Param = CodeThreadUnsupported, field
	return e
}

// ErrThreadNotFound is the 404 thread_not_found of a continue naming id.
func ErrThreadNotFound(id string) *llm.Error {
	e := llm.Errorf(llm.KindNotFound, "thread.previous_message_id: no thread is held for message %q (it expired, was never created with thread create, or is not yours); replay the full conversation with thread: {\"type\": \"create\"}", clipValue(id))
	e.Code, e.Param = CodeThreadNotFound, "thread.previous_message_id"
	return e
}

// ErrThreadFingerprintMismatch is the 400 thread_fingerprint_mismatch of
// a continue whose fields (system, tools) differ from the thread's.
func ErrThreadFingerprintMismatch(fields ...string) *llm.Error {
	e := rejectf("%s: differs from the value the thread was created with; leave it out of a request that continues the thread, or replay the full conversation with thread: {\"type\": \"create\"} to change it", strings.Join(fields, ", "))
	e.Code, e.Param = CodeThreadFingerprintMismatch, fields[0]
	return e
}

// checkThread checks the thread field as the API does: a known type, a
// continue naming the message it continues, a create naming none; and
// no field threads do not take (fallbacks, context_management, and the
// router's compaction requests).
func checkThread(req *MessagesRequest) *llm.Error {
	t := req.Thread
	if t == nil {
		return nil
	}
	switch t.Type {
	case ThreadCreate:
		if t.PreviousMessageID != "" {
			e := rejectf("thread.create.previous_message_id: Extra inputs are not permitted")
			e.Param = "thread.previous_message_id"
			return e
		}
	case ThreadContinue:
		if t.PreviousMessageID == "" {
			e := rejectf("thread.continue.previous_message_id: Field required")
			e.Param = "thread.previous_message_id"
			return e
		}
	default:
		e := rejectf("thread.type: Input tag %q found using 'type' does not match any of the expected tags: 'create', 'continue'", clipValue(t.Type))
		e.Param = "thread.type"
		return e
	}
	switch {
	case len(req.Fallbacks) > 0:
		return errThreadWith("fallbacks")
	case len(req.ContextManagement) > 0:
		return errThreadWith("context_management")
	case len(req.Compaction) > 0:
		return errThreadWith("compaction")
	}
	return nil
}

// StreamToolUseID is the id a stream gives the tool_use block of the
// tool call at index whose chunks named no id, in the message messageID
// (what a thread keeps of a streamed reply has the ids the client saw).
func StreamToolUseID(messageID string, index int) string {
	return "toolu_" + strings.TrimPrefix(messageID, "msg_") + "_" + strconv.Itoa(index)
}

// MessageID is the id of the message the stream writes, once it has
// written message_start; "" before.
func (e *StreamEncoder) MessageID() string { return e.id }
