package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/sim"
)

// wireCall is one streamed chat request in a wire format, with the
// markers its stream uses.
type wireCall struct {
	wire, model, path, body string
	header                  map[string]string
	piece                   string // what starts each content piece
	end                     string // the end marker; "" when the format has none
	garbage                 string // the start of a bad_event
	errorEvent              string // what marks its in-stream error event
}

const faultPromptText = "Describe the weather of a long summer afternoon by the sea."

func wireCalls() []wireCall {
	msg := `[{"role":"user","content":"` + faultPromptText + `"}]`
	return []wireCall{
		{"openai", "gpt-4o-mini", "/openai/v1/chat/completions", `{"model":"gpt-4o-mini","stream":true,"messages":` + msg + `}`,
			map[string]string{"Authorization": "Bearer k"}, `"delta":{"content":"`, "data: [DONE]", `"content":"tru` + "\n", `data: {"error":{`},
		{"responses", "gpt-4o-mini", "/openai/v1/responses", `{"model":"gpt-4o-mini","stream":true,"input":"` + faultPromptText + `"}`,
			map[string]string{"Authorization": "Bearer k"}, `"delta":"`, "event: response.completed", `"delta":"tru` + "\n", "event: error\n"},
		{"azure", "gpt-4o-mini", "/azure/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21", `{"stream":true,"messages":` + msg + `}`,
			map[string]string{"api-key": "k"}, `"delta":{"content":"`, "data: [DONE]", `"content":"tru` + "\n", `data: {"error":{`},
		{"anthropic", "claude-haiku-4-5", "/anthropic/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":200,"stream":true,"messages":` + msg + `}`,
			map[string]string{"x-api-key": "k", "anthropic-version": "2023-06-01"}, `"type":"text_delta"`, "event: message_stop", `"type":"text_d` + "\n", "event: error\n"},
		{"gemini", "gemini-2.5-flash", "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
			`{"contents":[{"role":"user","parts":[{"text":"` + faultPromptText + `"}]}]}`,
			map[string]string{"x-goog-api-key": "k"}, `"parts":[{"text":"`, "", `[{"te` + "\r\n", `"status":"INTERNAL"`},
	}
}

// TestNewFaultKindsEveryWire: hang, bad_event, no_done, cut/stall with
// After, error_event and html, in each simulator's wire format (the
// Responses API's too).
func TestNewFaultKindsEveryWire(t *testing.T) {
	for _, wc := range wireCalls() {
		t.Run(wc.wire, func(t *testing.T) {
			srv := New(DemoCatalogs(0), nil)
			ts := httptest.NewServer(srv)
			defer ts.Close()
			base, _ := call(t, ts.URL, wc, time.Second)
			pieces := strings.Count(base, wc.piece)
			if pieces < 8 || (wc.end != "" && !strings.Contains(base, wc.end)) {
				t.Fatalf("baseline: %d pieces, end marker missing?\n%s", pieces, base)
			}
			cases := []struct {
				f     sim.Fault
				check func(body string, err error) string
			}{
				{sim.Fault{Kind: sim.FaultHang}, func(body string, err error) string {
					if !errors.Is(err, context.DeadlineExceeded) || body != "" {
						return "want no response until the client gives up"
					}
					return ""
				}},
				{sim.Fault{Kind: sim.FaultBadEvent, After: 4}, func(body string, err error) string {
					if err != nil || strings.Count(body, wc.garbage) != 1 || strings.Count(strings.ReplaceAll(body, wc.garbage, ""), wc.piece) != pieces || !strings.Contains(body, wc.end) {
						return "want the whole stream with one undecodable event"
					}
					if i, j := strings.Index(body, wc.garbage), nthIndex(body, wc.piece, 4); i < j {
						return "the bad event came before the 4th piece"
					}
					return ""
				}},
				{sim.Fault{Kind: sim.FaultNoDone}, func(body string, err error) string {
					if err != nil || strings.Count(body, wc.piece) != pieces || (wc.end != "" && strings.Contains(body, wc.end)) {
						return "want the whole stream without its end marker"
					}
					return ""
				}},
				{sim.Fault{Kind: sim.FaultCut, After: 5}, func(body string, err error) string {
					if err == nil || strings.Count(body, wc.piece) != 5 {
						return "want 5 pieces, then a broken connection"
					}
					return ""
				}},
				{sim.Fault{Kind: sim.FaultStall, After: 5, Delay: time.Hour}, func(body string, err error) string {
					if !errors.Is(err, context.DeadlineExceeded) || strings.Count(body, wc.piece) != 5 {
						return "want 5 pieces, then silence"
					}
					return ""
				}},
				{sim.Fault{Kind: sim.FaultErrorEvent, After: 4}, func(body string, err error) string {
					if err != nil || strings.Count(body, wc.piece) != 4 || strings.Count(body, wc.errorEvent) != 1 ||
						!strings.HasSuffix(strings.TrimRight(body, "\r\n]"), "}") || (wc.end != "" && strings.Contains(body, wc.end)) {
						return "want 4 pieces, then the error event, then the end of the body"
					}
					if strings.Index(body, wc.errorEvent) < nthIndex(body, wc.piece, 4) {
						return "the error event came before the 4th piece"
					}
					return ""
				}},
				{sim.Fault{Kind: sim.FaultHTML}, func(body string, err error) string {
					if err != nil || body != sim.HTMLPage {
						return "want the HTML page"
					}
					return ""
				}},
			}
			for _, c := range cases {
				c.f.Model = wc.model
				srv.Faults.Add(c.f)
				body, err := call(t, ts.URL, wc, 300*time.Millisecond)
				srv.Faults.Clear("")
				if msg := c.check(body, err); msg != "" {
					t.Errorf("%s: %s; err %v, %d pieces:\n%s", c.f.Kind, msg, err, strings.Count(body, wc.piece), body)
				}
			}
			if got := srv.Faults.Seen(wc.model); got != 1+len(cases) {
				t.Errorf("Seen(%s) = %d, want %d", wc.model, got, 1+len(cases))
			}
		})
	}
}

// call sends wc and reads the body until it ends, breaks or timeout passes.
func call(t *testing.T, url string, wc wireCall, timeout time.Duration) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", url+wc.path, strings.NewReader(wc.body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range wc.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func nthIndex(s, sub string, n int) int {
	at := -1
	for i := 0; i < n; i++ {
		j := strings.Index(s[at+1:], sub)
		if j < 0 {
			return -1
		}
		at += 1 + j
	}
	return at
}
