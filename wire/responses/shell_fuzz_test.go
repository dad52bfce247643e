package responses

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// FuzzClientCallArgs: whatever arguments a model's calls of the
// client-executed tools carry, complete and streamed, every item is valid
// JSON, a tool's item carries an action that decodes back as its input
// item, and a call that is not one stays a function call with its
// arguments untouched.
func FuzzClientCallArgs(f *testing.F) {
	f.Add(`{"commands":["ls"]}`, `{"type":"create_file","path":"a","diff":"+a"}`, `{"command":["ls"],"env":{"A":"b"}}`)
	f.Add(`{"commands":[]}`, `{"type":"delete_file","path":"a","diff":"x"}`, `{"type":"exec","command":["\u2028"],"timeout_ms":-1}`)
	f.Add(`{"commands":["<&>"],"timeout_ms":1e3}`, `{"type":"update_file","path":"","diff":""}`, `{"command":"ls"}`)
	f.Add(`nul`, `{}`, `{"command":[null],"env":null}`)
	r, err := DecodeRequest([]byte(`{"model":"m","input":"hi","stream":true,"tools":` + clientTools + `}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, shell, patch, local string) {
		out := OutputOf(r, clientCallResponse(shell, patch, local), IDs{Base: "b"})
		checkClientItems(t, &out, shell, patch, local)
		s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m"})
		buf := s.Start(nil)
		for i, args := range []string{shell, patch, local} {
			name := []string{"shell", "apply_patch", "local_shell"}[i]
			buf = s.Chunk(buf, callChunk(i, "call_"+name, name, args))
		}
		buf = s.Chunk(buf, finishChunk(llm.FinishToolCalls))
		parseEvents(t, s.Finish(buf, ""))
		final := s.Final("")
		checkClientItems(t, &final, shell, patch, local)
	})
}

// checkClientItems checks out's items, calls of shell, apply_patch and
// local_shell with the given arguments.
func checkClientItems(t *testing.T, out *Output, args ...string) {
	t.Helper()
	stored := StoredOutput(out)
	if !json.Valid(stored) {
		t.Fatalf("items are not JSON: %s", stored)
	}
	for i, it := range out.Items {
		if it.Type == ItemFunctionCall {
			if it.Arguments != args[i] {
				t.Errorf("function call %d: arguments %q, want %q", i, it.Arguments, args[i])
			}
			continue
		}
		one := appendItem(nil, &out.Items[i], StatusCompleted, true)
		if _, err := decodeInput(append(append([]byte{'['}, one...), ']'), nil, nil, nil); err != nil {
			t.Errorf("item %s does not decode back: %v", one, err)
		}
	}
}
