package llm

import (
	"encoding/json"
	"testing"
)

// typeOfReference is what typeOf must answer: json.Unmarshal's reading.
func typeOfReference(raw []byte) string {
	var h struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &h)
	return h.Type
}

var typeOfSeeds = []string{
	`{"type":"web_search"}`,
	` {"search_context_size":"medium","type":"web_search","user_location":{"type":"approximate","country":"US"}} `,
	`{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"q","sources":[1,-2.5e+3,true,false,null,"\u00e9\n"]}}`,
	`{"Type":"mcp"}`, `{"TYPE":"mcp","type":"file_search"}`, `{"type":"mcp","type":null}`, `{"type":"a","type":1}`,
	`{"type":"we\u0062_search"}`, `{"typ\u0065":"mcp"}`, `{"type":"caf\u00e9"}`, "{\"type\":\"caf\xc3\xa9\"}", "{\"type\":\"\xff\"}",
	`{"name":"x"}`, `{}`, `[]`, `"type"`, `null`, ``, `{`, `{"type":"mcp"`, `{"type":"mcp"}x`, `{"type":"mcp",}`,
	`{"a":01,"type":"mcp"}`, `{"a":1.,"type":"mcp"}`, `{"a":-,"type":"mcp"}`, `{"a":1e,"type":"mcp"}`, `{"a":tru,"type":"mcp"}`,
	`{"a":"\x","type":"mcp"}`, `{"a":"\u12g4","type":"mcp"}`, "{\"a\":\"\t\",\"type\":\"mcp\"}", `{"a":[1,],"type":"mcp"}`,
	`{"a":{"b":[{"c":{}}]},"type":"code_interpreter"}`, `{"type":"tool_search_output"}`, `{"type":"something_new"}`, `{"type":""}`,
}

// typeOf reads a type as json.Unmarshal does, for plain objects and every
// other input alike.
func TestTypeOfMatchesUnmarshal(t *testing.T) {
	for _, raw := range typeOfSeeds {
		if got, want := typeOf(json.RawMessage(raw)), typeOfReference([]byte(raw)); got != want {
			t.Errorf("typeOf(%s) = %q, json.Unmarshal reads %q", raw, got, want)
		}
	}
}

func FuzzTypeOf(f *testing.F) {
	for _, raw := range typeOfSeeds {
		f.Add([]byte(raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if got, want := typeOf(raw), typeOfReference(raw); got != want {
			t.Errorf("typeOf(%q) = %q, json.Unmarshal reads %q", raw, got, want)
		}
	})
}

// A plain hosted tool's or item's type is read without allocating: a
// request with hosted tools has each read several times (classifying it,
// each candidate's checks).
func TestTypeOfAllocs(t *testing.T) {
	r := codexHosted()
	if n := testing.AllocsPerRun(100, func() {
		_ = r.WantsWebSearch()
		_ = r.OpenAIHostedKinds()
		_ = r.OptionalHostedKinds()
	}); n != 0 {
		t.Errorf("reading a Codex request's hosted kinds allocates %v times, want none", n)
	}
}
