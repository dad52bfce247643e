package gemini

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/gemini"
)

const logprobsAsk = `{"contents":[{"role":"user","parts":[{"text":"Is this review positive?"}]}],"generationConfig":{"responseLogprobs":true,"logprobs":2}}`

// TestLogprobsResult checks the simulated logprobsResult: one chosen
// candidate per token of the text, two top candidates at each step, the
// sum of the chosen; and that the stream's fragments carry the same tokens
// as the complete answer, through the router's own stream translator.
func TestLogprobsResult(t *testing.T) {
	h := New(catalog(), nil)
	resp, body := call(t, h, "POST", "/v1beta/models/gemini-2.0-flash:generateContent", "AIzaGood", logprobsAsk)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var r wire.GenerateContentResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	c := r.Candidates[0]
	lr := c.LogprobsResult
	if lr == nil || len(lr.ChosenCandidates) == 0 || len(lr.TopCandidates) != len(lr.ChosenCandidates) || lr.LogProbabilitySum == nil {
		t.Fatalf("logprobsResult %+v", lr)
	}
	var spelled strings.Builder
	for i, ch := range lr.ChosenCandidates {
		spelled.WriteString(ch.Token)
		if len(lr.TopCandidates[i].Candidates) != 2 || ch.LogProbability > 0 || ch.TokenID <= 0 {
			t.Fatalf("step %d: chosen %+v top %+v", i, ch, lr.TopCandidates[i])
		}
	}
	if spelled.String() != c.Content.Parts[0].Text {
		t.Errorf("tokens spell %q, text %q", spelled.String(), c.Content.Parts[0].Text)
	}

	resp, body = call(t, h, "POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", "AIzaGood", logprobsAsk)
	if resp.StatusCode != 200 {
		t.Fatalf("stream %d %s", resp.StatusCode, body)
	}
	tr := wire.NewStreamTranslator("gemini-2.0-flash")
	var chunks []*llm.Chunk
	for _, ev := range strings.Split(strings.TrimSuffix(string(body), "\r\n\r\n"), "\r\n\r\n") {
		cs, err := tr.Translate([]byte(strings.TrimPrefix(ev, "data: ")))
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, cs...)
	}
	n := 0
	for _, ck := range chunks {
		for _, ch := range ck.Choices {
			if ch.Logprobs == nil {
				continue
			}
			for _, tok := range ch.Logprobs.Content {
				if want := lr.ChosenCandidates[n]; tok.Token != want.Token || tok.Logprob != want.LogProbability || len(tok.TopLogprobs) != 2 {
					t.Fatalf("streamed token %d %+v, want %+v", n, tok, want)
				}
				n++
			}
		}
	}
	if n != len(lr.ChosenCandidates) {
		t.Errorf("streamed %d tokens, want %d", n, len(lr.ChosenCandidates))
	}
}

// TestLogprobsRefused checks the requests the simulator refuses: logprobs
// without responseLogprobs, more than 20, and any from a thinking model.
func TestLogprobsRefused(t *testing.T) {
	h := New(catalog(), nil)
	for _, tt := range []struct{ model, config, msg string }{
		{"gemini-2.0-flash", `{"logprobs":2}`, "only valid when response_logprobs is true"},
		{"gemini-2.0-flash", `{"responseLogprobs":true,"logprobs":21}`, "range [0, 20]"},
		{"gemini-2.5-flash", `{"responseLogprobs":true}`, "Logprobs is not enabled for models/gemini-2.5-flash"},
	} {
		body := `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":` + tt.config + `}`
		resp, got := call(t, h, "POST", "/v1beta/models/"+tt.model+":generateContent", "AIzaGood", body)
		if resp.StatusCode != 400 || !strings.Contains(string(got), tt.msg) {
			t.Errorf("%s %s: %d %s", tt.model, tt.config, resp.StatusCode, got)
		}
	}
}
