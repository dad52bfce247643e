package anthropic

import (
	"strings"
	"testing"
)

// A held turn's cache_control spelled with a \u escape (valid JSON, which
// Claude reads) goes like the plain one: a thread's history replayed
// whole must not bring its turns' breakpoints past the four Claude takes.
func TestWithoutCacheControlEscaped(t *testing.T) {
	in := `[{"role":"user","content":[{"type":"text","text":"a","cache\u005fcontrol":{"type":"ephemeral"}}]}]`
	out, err := withoutCacheControl([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "cache") || !strings.Contains(string(out), `"text":"a"`) {
		t.Errorf("withoutCacheControl(%s) = %s", in, out)
	}
}

// A thread member whose key is spelled with a \u escape (valid JSON,
// which the request decoder reads as a thread) is a thread too: created
// and held, not refused as unsupported by a router that holds threads.
func TestThreadKeyEscaped(t *testing.T) {
	th := &memThreads{}
	b := &seenBackend{fakeBackend: fakeBackend{resp: textReply("hi")}}
	w := serveThreads(t, b, th, "req_1", `{"model":"auto","max_tokens":20,"\u0074hread":{"type":"create"},"messages":[{"role":"user","content":"Hello"}]}`)
	if w.Code != 200 || th.turns["msg_1"] == nil {
		t.Fatalf("%d %s; held %v", w.Code, w.Body, th.turns)
	}
}

// A thread member whose key is in another case ("Thread", valid JSON that
// the request decoder, encoding/json, reads as thread) is a thread too.
func TestThreadKeyInAnotherCase(t *testing.T) {
	th := &memThreads{}
	b := &seenBackend{fakeBackend: fakeBackend{resp: textReply("hi")}}
	w := serveThreads(t, b, th, "req_1", `{"model":"auto","max_tokens":20,"Thread":{"type":"create"},"messages":[{"role":"user","content":"Hello"}]}`)
	if w.Code != 200 || th.turns["msg_1"] == nil {
		t.Fatalf("%d %s; held %v", w.Code, w.Body, th.turns)
	}
}

// A held turn's cache_control in another case ("Cache_Control", which the
// request decoder, encoding/json, reads as cache_control and sends to
// Claude as one) goes too.
func TestWithoutCacheControlInAnotherCase(t *testing.T) {
	in := `[{"role":"user","content":[{"type":"text","text":"a","Cache_Control":{"type":"ephemeral"}},{"type":"tool_result","tool_use_id":"t","Content":[{"type":"text","text":"b","CACHE_CONTROL":{"type":"ephemeral"}}]}]}]`
	out, err := withoutCacheControl([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(out)), "cache") || !strings.Contains(string(out), `"text":"a"`) {
		t.Errorf("withoutCacheControl(%s) = %s", in, out)
	}
}
