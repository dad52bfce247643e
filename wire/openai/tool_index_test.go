package openai

import (
	"strings"
	"testing"
)

// A tool call fragment without an index, or with a null one (Gemini's
// compatibility endpoint, Ollama), decodes with Index -1 for its caller
// to place, and one of Index -1 is written without "index", so that the
// shape survives a round trip.
func TestToolCallFragmentWithoutIndex(t *testing.T) {
	data := `{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},` +
		`{"index":null,"function":{"arguments":"x"}},{"index":2,"function":{"arguments":"y"}}]},"finish_reason":null}]}`
	c, err := DecodeChunk([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	tc := c.Choices[0].Delta.ToolCalls
	if len(tc) != 3 || tc[0].Index != -1 || tc[1].Index != -1 || tc[2].Index != 2 {
		t.Fatalf("fragments %+v, want indexes -1, -1, 2", tc)
	}
	out := string(AppendChunk(nil, c))
	if want := `"tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},{"function":{"arguments":"x"}},{"index":2,"function":{"arguments":"y"}}]`; !strings.Contains(out, want) {
		t.Errorf("written %s\nwant it to hold %s", out, want)
	}
}
