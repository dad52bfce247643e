package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/sim"
)

// postH posts body with extra headers.
func postH(t *testing.T, url string, body []byte, h map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// A non-streamed answer reaches the client only once whole, so an
// upstream stream that breaks after its first chunk (cut, garbage) fails
// over to the next candidate instead of answering 502.
func TestNonStreamedBrokenUpstreamFailsOver(t *testing.T) {
	t.Parallel()
	for _, kind := range []sim.FaultKind{sim.FaultCut, sim.FaultMalformed} {
		t.Run(string(kind), func(t *testing.T) {
			e := newEnv(t, nil)
			e.Sim.Faults.Add(sim.Fault{Kind: kind, Model: "gpt-4o-mini"})
			resp, body := post(t, e.URL+"/v1/chat/completions", "k", chatBody("auto", "hello there", false))
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("x-switchyard-deployment"); got != "claude-haiku-4-5" {
				t.Errorf("served by %q, want the second candidate", got)
			}
			if r := resp.Header.Get("x-switchyard-route"); !strings.Contains(r, "tier=2/") {
				t.Errorf("x-switchyard-route = %q", r)
			}
		})
	}
}

// Every wire format's context-window and content-policy rejections reach
// the caller as a 400 with the code the router acts on.
func TestUpstreamRejectionCodesEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	type tc struct{ dep, directive, code string }
	var cases []tc
	for _, dep := range chatDeployments {
		cases = append(cases, tc{dep, "[[sim:context_length]]", "context_length_exceeded"})
	}
	cases = append(cases, tc{"azure-gpt-4o-mini", "[[sim:content_filter]]", "content_filter"}, tc{"claude-haiku-4-5", "[[sim:content_filter]]", "content_filter"})
	for _, c := range cases {
		t.Run(c.dep+c.directive, func(t *testing.T) {
			resp, body := postH(t, e.URL+"/v1/chat/completions", chatBody(c.dep, "hello "+c.directive, false),
				map[string]string{"x-switchyard-fallback": "none"})
			eb := wantError(t, resp, body, 400, "")
			if eb.Error.Code == nil || *eb.Error.Code != c.code {
				t.Errorf("code = %v, want %s: %s", eb.Error.Code, c.code, body)
			}
		})
	}
}

// A prompt too long for one deployment moves on to a candidate with a
// larger context window.
func TestContextLengthFailsOverToALargerWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultContextLength, Model: "gpt-4o-mini"})
	resp, body := post(t, e.URL+"/v1/chat/completions", "k", chatBody("auto", "hello there", false))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("x-switchyard-deployment"); got != "claude-haiku-4-5" {
		t.Errorf("served by %q, want claude-haiku-4-5 (200k window after gpt-4o-mini's 128k)", got)
	}
	var out struct {
		Choices []json.RawMessage `json:"choices"`
	}
	if json.Unmarshal(body, &out) != nil || len(out.Choices) == 0 {
		t.Errorf("not a completion: %s", body)
	}
}

// One caller's oversized prompts timing out do not open a deployment's
// breaker for everyone: the next, ordinary request is still served.
func TestOversizedPromptTimeoutsDoNotOpenTheBreaker(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Server.RequestTimeout = 300 * time.Millisecond })
	big := strings.Repeat("lorem ipsum dolor sit amet ", 8000) + "[[sim:slow=5s]]" // ~48k tokens
	pin := map[string]string{"x-switchyard-fallback": "none"}
	for i := 0; i < 6; i++ {
		resp, body := postH(t, e.URL+"/v1/chat/completions", chatBody("gemini-2.5-flash", big, false), pin)
		wantError(t, resp, body, 504, "")
	}
	resp, body := postH(t, e.URL+"/v1/chat/completions", chatBody("gemini-2.5-flash", "hello", false), pin)
	if resp.StatusCode != 200 {
		t.Fatalf("an ordinary request after the oversized ones: %d %s", resp.StatusCode, body)
	}
}
