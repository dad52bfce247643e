package gemini

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	wire "switchyard/wire/gemini"
)

// TestStopSequences checks that generationConfig.stopSequences ends the
// answer before the first one it contains (left out), with finish STOP
// and fewer candidate tokens, complete and streamed.
func TestStopSequences(t *testing.T) {
	h := New(catalog(), nil)
	const prompt = `{"contents":[{"parts":[{"text":"Tell me about rivers."}]}]`
	full := generate(t, h, "gemini-2.0-flash", prompt+`}`)
	text := full.Candidates[0].Content.Parts[0].Text
	words := strings.Fields(text)
	if len(words) < 6 {
		t.Fatalf("answer too short: %q", text)
	}
	seq, _ := json.Marshal(words[4])
	body := prompt + `,"generationConfig":{"stopSequences":["zz-never",` + string(seq) + `]}}`
	want := text[:strings.Index(text, words[4])]
	cut := generate(t, h, "gemini-2.0-flash", body)
	c := cut.Candidates[0]
	if c.Content.Parts[0].Text != want || c.FinishReason != wire.FinishStop || cut.UsageMetadata.CandidatesTokenCount >= full.UsageMetadata.CandidatesTokenCount {
		t.Errorf("stop %s: %q (%s, %d tokens), want %q", seq, c.Content.Parts[0].Text, c.FinishReason, cut.UsageMetadata.CandidatesTokenCount, want)
	}
	resp, b := call(t, h, http.MethodPost, "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", "AIzaGood", body)
	if resp.StatusCode != 200 {
		t.Fatalf("stream: %d %s", resp.StatusCode, b)
	}
	var got strings.Builder
	var finish string
	for _, line := range strings.Split(string(b), "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		var ev wire.GenerateContentResponse
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatal(err)
		}
		for _, c := range ev.Candidates {
			for _, p := range c.Content.Parts {
				got.WriteString(p.Text)
			}
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
	}
	if got.String() != want || finish != wire.FinishStop {
		t.Errorf("streamed %q (%s), want %q", got.String(), finish, want)
	}
}
