package gemini

import (
	"encoding/json"
	"strings"
	"testing"
)

// callFrag is a fragment with one functionCall part (no id) for candidate i.
func callFrag(i int, name, finish string) string {
	return `{"candidates":[{"index":` + itoa(i) + `,"content":{"role":"model","parts":[{"functionCall":{"name":"` + name +
		`","args":{}}}]}` + map[bool]string{true: `,"finishReason":"` + finish + `"`, false: ""}[finish != ""] + `}]}`
}

// TestToLLMGeneratesIDs: without responseId and functionCall ids, a response
// gets a non-empty id and every tool call an id unique within the response
// and across responses (they used to be "" and "call_0" each time).
func TestToLLMGeneratesIDs(t *testing.T) {
	body := `{"candidates":[
	  {"index":0,"content":{"role":"model","parts":[{"functionCall":{"name":"a","args":{}}},{"functionCall":{"name":"b","args":{}}}]},"finishReason":"STOP"},
	  {"index":1,"content":{"role":"model","parts":[{"functionCall":{"name":"c","args":{}}}]},"finishReason":"STOP"}]}`
	respIDs, callIDs := map[string]bool{}, map[string]bool{}
	for range 3 {
		var r GenerateContentResponse
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		out, err := ToLLM(&r, "m")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.ID, "gen-") || respIDs[out.ID] {
			t.Errorf("response id %q empty or repeated", out.ID)
		}
		respIDs[out.ID] = true
		for _, c := range out.Choices {
			for _, tc := range c.Message.ToolCalls() {
				if !isGenerated(tc.ID) || callIDs[tc.ID] {
					t.Errorf("tool call id %q not generated or repeated", tc.ID)
				}
				callIDs[tc.ID] = true
			}
		}
	}
	if len(callIDs) != 9 {
		t.Errorf("%d distinct tool call ids, want 9", len(callIDs))
	}
}

// TestStreamGeneratesIDs: a stream without responseId has one generated id
// on all its chunks, and tool calls of both candidates, spread over several
// chunks, get distinct ids.
func TestStreamGeneratesIDs(t *testing.T) {
	frags := []string{callFrag(0, "a", ""), callFrag(1, "b", ""), callFrag(0, "c", "STOP"), callFrag(1, "d", "STOP")}
	tr := NewStreamTranslator("m")
	var id string
	seen := map[string]bool{}
	for _, f := range frags {
		chunks, err := tr.Translate([]byte(f))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range chunks {
			if id == "" {
				id = c.ID
			}
			if c.ID == "" || c.ID != id {
				t.Errorf("chunk id %q, want the stream's %q", c.ID, id)
			}
			for _, ch := range c.Choices {
				for _, tc := range ch.Delta.ToolCalls {
					if !isGenerated(tc.ID) || seen[tc.ID] {
						t.Errorf("tool call id %q not generated or repeated", tc.ID)
					}
					seen[tc.ID] = true
				}
			}
		}
	}
	if len(seen) != 4 || !strings.HasPrefix(id, "gen-") {
		t.Errorf("%d tool call ids, stream id %q", len(seen), id)
	}
}
