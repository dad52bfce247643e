package responses

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

// FuzzSealerOpen: opening any encrypted_content never panics; what opens
// is blocks that seal and open again to themselves.
func FuzzSealerOpen(f *testing.F) {
	sl := testSealer(f, 1, "acme")
	blob := sl.Seal(thoughtBlocks)
	for _, s := range []string{blob, blob[:len(blob)-3], BlobPrefix, BlobPrefix + "AQ", "gAAAAABfoo", "", strings.ToUpper(blob),
		testSealer(f, 1, "other").Seal(thoughtBlocks), sl.Seal([]llm.Thinking{{Text: "\u2028\"x\""}})} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, blob string) {
		blocks, ok := sl.Open(blob)
		if !ok {
			if blocks != nil {
				t.Fatalf("not opened, yet blocks %v", blocks)
			}
			return
		}
		again, ok := sl.Open(sl.Seal(blocks))
		if !ok || !slices.Equal(again, blocks) || len(blocks) == 0 {
			t.Fatalf("%q opened to %v, sealed again to %v", blob, blocks, again)
		}
	})
}

// FuzzReasoningRequest: a request decoded with a Sealer (its reasoning
// items opened) either fails with an invalid_request error or answers,
// complete and streamed, with valid JSON, its thinking as a reasoning item.
func FuzzReasoningRequest(f *testing.F) {
	sl := testSealer(f, 1, "acme")
	blob, _ := json.Marshal(sl.Seal(thoughtBlocks))
	f.Add([]byte(`{"model":"m","input":[{"role":"user","content":"w?"},{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":` + string(blob) +
		`},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"ok"}],"reasoning":{"effort":"low","summary":"auto"},"include":["reasoning.encrypted_content"]}`))
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeRequestStored(data, Stored{Sealer: sl})
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %#v", err)
			}
			return
		}
		msg := llm.TextMessage(llm.RoleAssistant, "ok")
		msg.SetThinking(thoughtBlocks)
		out := OutputOf(r, &llm.Response{Choices: []llm.Choice{{Message: msg}}}, IDs{Base: "b"})
		if b := AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}}, &out); !json.Valid(b) {
			t.Fatalf("response object is not JSON: %s", b)
		}
		if !json.Valid(StoredOutput(&out)) {
			t.Fatalf("stored output is not JSON: %s", StoredOutput(&out))
		}
		s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}})
		b := s.Chunk(s.Start(nil), thinkingChunk(0, "\u2028é", "sig", ""))
		b = s.Chunk(b, thinkingChunk(1, "", "", "R"))
		parseEvents(t, s.Finish(s.Chunk(b, textChunk("ok")), ""))
	})
}
