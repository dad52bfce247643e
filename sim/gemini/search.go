package gemini

import (
	"encoding/json"
	"fmt"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// This file answers Grounding with Google Search (tools: [{"googleSearch":
// {}}], https://ai.google.dev/gemini-api/docs/google-search): a fixed
// grounded answer whose candidate carries groundingMetadata — the
// searched queries, the web pages (groundingChunks) and the supports
// that tie segments of the text to them. As Gemini's, the segments'
// startIndex and endIndex are UTF-8 byte offsets into the candidate's
// text (google-gemini/gemini-cli#29039), and the answer has a
// multi-byte character before each cited segment.

// groundedPieces are the grounded answer's text, as a stream sends it:
// a preamble, then two cited sentences.
var groundedPieces = []string{"Café news: ", "the Louvre opens late on Fridays. ", "Métro line 14 now reaches Orly."}

// googleSearchFields are the members Gemini's GoogleSearch tool takes
// (https://ai.google.dev/api/caching#GoogleSearch).
var googleSearchFields = []string{"timeRangeFilter"}

// usesGoogleSearch reports whether req declares googleSearch.
func usesGoogleSearch(req *wire.GenerateContentRequest) bool {
	for _, t := range req.Tools {
		if len(t.GoogleSearch) > 0 {
			return true
		}
	}
	return false
}

// validateGoogleSearch refuses a googleSearch spec Gemini refuses: not an
// object ("Invalid value at …"), or with a member it does not know, in
// its words: `Invalid JSON payload received. Unknown name
// "dynamicRetrievalConfig" at 'tools[0].google_search': Cannot find
// field.` (the wording a client of gemini-2.x got for the retired
// dynamic retrieval config).
func validateGoogleSearch(tools []wire.Tool) string {
	for i, t := range tools {
		if len(t.GoogleSearch) == 0 {
			continue
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(t.GoogleSearch, &m) != nil || m == nil {
			return fmt.Sprintf("Invalid value at 'tools[%d].google_search' (type.googleapis.com/google.ai.generativelanguage.v1beta.Tool.GoogleSearch), %s", i, t.GoogleSearch)
		}
		for k := range m {
			if !contains(googleSearchFields, k) {
				return fmt.Sprintf("Invalid JSON payload received. Unknown name %q at 'tools[%d].google_search': Cannot find field.", k, i)
			}
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// groundedAnswer is the answer to a googleSearch request that calls no
// function: the grounded text.
func groundedAnswer(ans sim.Answer) sim.Answer {
	if len(ans.ToolCalls) > 0 {
		return ans
	}
	text := strings.Join(groundedPieces, "")
	return sim.Answer{Text: text, Pieces: groundedPieces, Finish: string(llm.FinishStop), CompletionTokens: sim.CountTokens(text)}
}

// grounding is the groundingMetadata of the grounded answer to prompt.
func grounding(prompt string) json.RawMessage {
	type web struct {
		URI   string `json:"uri"`
		Title string `json:"title"`
	}
	type chunk struct {
		Web web `json:"web"`
	}
	type segment struct {
		StartIndex int    `json:"startIndex,omitempty"`
		EndIndex   int    `json:"endIndex"`
		Text       string `json:"text"`
	}
	type support struct {
		Segment               segment `json:"segment"`
		GroundingChunkIndices []int   `json:"groundingChunkIndices"`
	}
	redirect := func(site string) string {
		return "https://vertexaisearch.cloud.google.com/grounding-api-redirect/" + sim.ID("", "sim-ground:"+site)
	}
	var supports []support
	at := len(groundedPieces[0])
	for i, s := range groundedPieces[1:] {
		s = strings.TrimSuffix(s, " ")
		indices := []int{i}
		if i == 1 {
			indices = []int{0, 1}
		}
		supports = append(supports, support{segment{at, at + len(s), s}, indices})
		at += len(groundedPieces[i+1])
	}
	query := strings.TrimSpace(prompt)
	if query == "" {
		query = "news"
	}
	out, _ := json.Marshal(map[string]any{
		"searchEntryPoint":  map[string]string{"renderedContent": `<style>.container{}</style><div class="container"><a class="chip" href="https://www.google.com/search?q=` + strings.ReplaceAll(query, " ", "+") + `">` + query + `</a></div>`},
		"groundingChunks":   []chunk{{web{redirect("louvre.fr"), "louvre.fr"}}, {web{redirect("ratp.fr"), "ratp.fr"}}},
		"groundingSupports": supports,
		"webSearchQueries":  []string{query},
	})
	return out
}
