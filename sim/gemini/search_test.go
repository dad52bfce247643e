package gemini

import (
	"encoding/json"
	"strings"
	"testing"

	wire "switchyard/wire/gemini"
)

// A googleSearch request gets the grounded answer, its groundingMetadata
// segments indexing the text in UTF-8 bytes (the text has "é" before the
// first cited sentence); a malformed googleSearch is refused in Gemini's
// words.
func TestSimGoogleSearch(t *testing.T) {
	h := New(catalog(), nil)
	body := `{"contents":[{"role":"user","parts":[{"text":"Paris news"}]}],"tools":[{"googleSearch":{}}]}`
	resp, out := call(t, h, "POST", "/v1beta/models/gemini-2.5-flash:generateContent", "AIzaGood", body)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, out)
	}
	var r wire.GenerateContentResponse
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	text := r.Candidates[0].Content.Parts[0].Text
	var g struct {
		WebSearchQueries  []string `json:"webSearchQueries"`
		GroundingSupports []struct {
			Segment struct{ StartIndex, EndIndex int } `json:"segment"`
		} `json:"groundingSupports"`
	}
	if err := json.Unmarshal(r.Candidates[0].Grounding, &g); err != nil || len(g.GroundingSupports) != 2 || g.WebSearchQueries[0] != "Paris news" {
		t.Fatalf("grounding %s (%v)", r.Candidates[0].Grounding, err)
	}
	for i, want := range []string{"the Louvre opens late on Fridays.", "Métro line 14 now reaches Orly."} {
		if s := g.GroundingSupports[i].Segment; text[s.StartIndex:s.EndIndex] != want {
			t.Errorf("support %d spans %q in bytes, want %q", i, text[s.StartIndex:s.EndIndex], want)
		}
	}
	for _, tt := range []struct{ search, want string }{
		{`{"dynamicRetrievalConfig":{}}`, `Invalid JSON payload received. Unknown name "dynamicRetrievalConfig" at 'tools[0].google_search': Cannot find field.`},
		{`"yes"`, `Invalid value at 'tools[0].google_search'`},
	} {
		body := `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"tools":[{"googleSearch":` + tt.search + `}]}`
		resp, out := call(t, h, "POST", "/v1beta/models/gemini-2.5-flash:generateContent", "AIzaGood", body)
		var e struct {
			Error struct{ Message string } `json:"error"`
		}
		_ = json.Unmarshal(out, &e)
		if resp.StatusCode != 400 || !strings.HasPrefix(e.Error.Message, tt.want) {
			t.Errorf("%s: %d %s", tt.search, resp.StatusCode, out)
		}
	}
}
