package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"switchyard/llm"
)

func FuzzDecodeResponse(f *testing.F) {
	files, _ := filepath.Glob("testdata/response_*.json")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	f.Add([]byte(`{"content":[{"type":"tool_use","id":"t","name":"n","input":null}],"stop_reason":null}`))
	f.Add([]byte(`{"content":"str","usage":{"input_tokens":-1}}`))
	f.Add([]byte(`{"content":[{"type":""}]}`))
	f.Add([]byte(`{"content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}},{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},{"type":"text","text":"a"}],"stop_reason":"pause_turn","usage":{"server_tool_use":{"web_search_requests":1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r MessagesResponse
		if json.Unmarshal(data, &r) != nil {
			return
		}
		resp := ToLLM(&r)
		if len(resp.Choices) != 1 || resp.Usage == nil {
			t.Fatalf("ToLLM gave %+v", resp)
		}
		for _, tc := range resp.Choices[0].Message.ToolCalls() {
			if tc.Arguments == "" {
				t.Fatal("empty tool arguments")
			}
		}
		if _, err := EncodeResponse(&r); err != nil {
			t.Fatalf("decoded response does not encode: %v", err)
		}
	})
}

func FuzzStreamTranslator(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.sse")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("event: message_stop\ndata: {}\n\n"))
	f.Add([]byte("data: {\"type\":\"message_start\",\"message\":{}}\n\ndata: {\"type\":\"message_stop\"}\n\n"))
	f.Add([]byte(": keep-alive\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n"))
	f.Add([]byte("data: \xff\xfe\n\n"))
	// Server tool results counted (or not) in the usage so far.
	start := "data: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":5}}}\n\n"
	for _, result := range []string{
		`{"type":"web_search_tool_result","tool_use_id":"s","content":{"type":"web_search_tool_result_error","error_code":"unavailable"}}`,
		`{"type":"web_fetch_tool_result","tool_use_id":"s","content":{"type":"web_fetch_result","url":"u"}}`,
		`{"type":"web_search_tool_result","tool_use_id":"s","content":"not a list"}`,
		`{"type":"compaction","content":"","signature":"s"}`,
		adviceBlock,
		`{"type":"advisor_tool_result","tool_use_id":"s","content":{"type":"advisor_result","text":7}}`,
		`{"type":"advisor_tool_result","tool_use_id":"s","content":null}`,
	} {
		f.Add([]byte(start + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":" + result + "}\n\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewStreamDecoder(bytes.NewReader(data), 0)
		d.t.Citations = len(data)%2 == 0 // both ways: text blocks apart or joined
		var chunks []*llm.Chunk
		for i := 0; ; i++ {
			if i > len(data)+2 {
				t.Fatalf("%d chunks from %d bytes: the decoder does not end", i, len(data))
			}
			c, err := d.Next()
			if err == io.EOF {
				checkEvents(t, encodeStream(chunks)) // what an Anthropic client would get
				return
			}
			chunks = append(chunks, c)
			if err != nil {
				var le *llm.Error
				if !errors.As(err, &le) {
					t.Fatalf("error %T %v is not an *llm.Error", err, err)
				}
				return
			}
			if c == nil {
				t.Fatal("nil chunk without error")
			}
		}
	})
}

// checkEvents fails unless every data line of out is one JSON value.
func checkEvents(t *testing.T, out []byte) {
	t.Helper()
	for line := range bytes.Lines(out) {
		if data, ok := bytes.CutPrefix(line, []byte("data: ")); ok && !json.Valid(data) {
			t.Fatalf("an event's data is not JSON: %q", data)
		}
	}
}
