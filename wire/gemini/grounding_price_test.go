package gemini

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// An answer's web searches are counted as Google bills them
// (Usage.WebSearchRequests, on the usage so far and the final usage):
// one grounded prompt before Gemini 3 however many queries it ran, each
// search query since; none without WebSearch or without a query.
func TestGroundingSearchesCounted(t *testing.T) {
	twoQueries := strings.Replace(groundedStream[1], `"webSearchQueries":["paris news"]`, `"webSearchQueries":["paris news","orly metro"]`, 1)
	twoQueries = strings.Replace(twoQueries, `"responseId":"r1"}`, `"responseId":"r1","usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":9,"totalTokenCount":14}}`, 1)
	noQuery := strings.Replace(twoQueries, `"webSearchQueries":["paris news","orly metro"],`, ``, 1)
	for _, tt := range []struct {
		model, last string
		search      bool
		want        int
	}{
		{"gemini-2.5-flash", twoQueries, true, 1},
		{"gemini-3-flash-preview", twoQueries, true, 2},
		{"gemini-3-flash-preview", noQuery, true, 0},
		{"gemini-3-flash-preview", twoQueries, false, 0},
	} {
		tr := NewStreamTranslator(tt.model)
		tr.WebSearch = tt.search
		var soFar *llm.Usage
		for _, ev := range []string{groundedStream[0], tt.last} {
			out, err := tr.Translate([]byte(ev))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range out {
				if c.UsageSoFar != nil {
					soFar = c.UsageSoFar
				}
			}
		}
		end, err := tr.End()
		if err != nil || end == nil || end.Usage == nil || soFar == nil {
			t.Fatalf("%s: end %+v %v, usage so far %v", tt.model, end, err, soFar)
		}
		if end.Usage.WebSearchRequests != tt.want || soFar.WebSearchRequests != tt.want {
			t.Errorf("%s search=%v: %d searches (%d so far), want %d", tt.model, tt.search, end.Usage.WebSearchRequests, soFar.WebSearchRequests, tt.want)
		}
	}
	if GroundingUSD("gemini-2.5-pro") != 0.035 || GroundingUSD("gemini-3-pro-preview") != 0.014 || GroundingUSD("gemini-4") != 0.014 {
		t.Error("grounding list prices")
	}
}
