package openai

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// The simulator writes service_tier where OpenAI does: in a completion
// after the usage, in every chunk after the model (the usage chunk too).
// It names the tier asked for, "default" for auto or none, as a project
// without Scale Tier or a priority setting is served, and "priority" for
// fast (fast mode is priority processing); Azure's answers carry none.
func TestServiceTierWritten(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	for asked, want := range map[string]string{"": "default", `"auto"`: "default", `"default"`: "default", `"flex"`: "flex", `"priority"`: "priority", `"fast"`: "priority"} {
		body := `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}]`
		if asked != "" {
			body += `,"service_tier":` + asked
		}
		status, _, got := do(t, hc, "POST", url+"/v1/chat/completions", body+`}`, bearer)
		if status != 200 || !strings.Contains(got, `},"service_tier":"`+want+`","system_fingerprint":"fp_`) {
			t.Errorf("%s: %d %s", asked, status, got)
		}
		for i, ev := range streamEvents(t, hc, url, body+`,"stream":true,"stream_options":{"include_usage":true}}`) {
			if !strings.Contains(ev, `"model":"gpt-sim","service_tier":"`+want+`","system_fingerprint":"fp_`) {
				t.Errorf("%s: chunk %d: %s", asked, i, ev)
			}
		}
	}
	status, _, got := do(t, hc, "POST", url+"/v1/chat/completions", `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}],"service_tier":"turbo"}`, bearer)
	if status != 400 || errorOf(t, got)["param"] != "service_tier" {
		t.Errorf("turbo: %d %s", status, got)
	}
}

// streamEvents posts a streamed request and returns its chunks' data,
// without [DONE].
func streamEvents(t *testing.T, hc *http.Client, url, body string) []string {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/v1/chat/completions", strings.NewReader(body))
	for k, v := range bearer {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok && data != "[DONE]" {
			out = append(out, data)
		}
	}
	if len(out) < 3 {
		t.Fatalf("%d chunks", len(out))
	}
	return out
}
