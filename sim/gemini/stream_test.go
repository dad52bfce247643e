package gemini

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// post sends body to a live simulator; live servers are needed for the
// faults that abort or reset connections.
func post(t *testing.T, srv *httptest.Server, path, body string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	req.Header.Set("x-goog-api-key", "AIzaGood")
	resp, err := srv.Client().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func prompt(text string) string {
	return `{"contents":[{"role":"user","parts":[{"text":"` + text + `"}]}]}`
}

func TestStreamSSEFraming(t *testing.T) {
	srv := httptest.NewServer(New(catalog(), nil))
	defer srv.Close()
	resp, body, err := post(t, srv, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", prompt("Tell me a story"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", err, resp)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("content type %q", ct)
	}
	if !strings.HasSuffix(string(body), "\r\n\r\n") {
		t.Errorf("body does not end with CRLF CRLF: %q", body[max(0, len(body)-20):])
	}
	events := strings.Split(strings.TrimSuffix(string(body), "\r\n\r\n"), "\r\n\r\n")
	if len(events) < 3 {
		t.Fatalf("%d events", len(events))
	}
	var text strings.Builder
	for i, ev := range events {
		var frag wire.GenerateContentResponse
		if !strings.HasPrefix(ev, "data: ") || json.Unmarshal([]byte(ev[6:]), &frag) != nil {
			t.Fatalf("event %d is not data: JSON: %q", i, ev)
		}
		if frag.UsageMetadata == nil || frag.UsageMetadata.PromptTokenCount == 0 || frag.ResponseID == "" || frag.ModelVersion == "" {
			t.Errorf("event %d lacks usage or ids: %q", i, ev)
		}
		last := i == len(events)-1
		if (frag.Candidates[0].FinishReason == wire.FinishStop) != last {
			t.Errorf("event %d finishReason %q", i, frag.Candidates[0].FinishReason)
		}
		text.WriteString(frag.Candidates[0].Content.Parts[0].Text)
	}
	if !strings.Contains(text.String(), "Tell me a story") {
		t.Errorf("streamed text = %q", text.String())
	}
}

func TestStreamJSONArray(t *testing.T) {
	srv := httptest.NewServer(New(catalog(), nil))
	defer srv.Close()
	resp, body, err := post(t, srv, "/v1beta/models/gemini-2.0-flash:streamGenerateContent", prompt("hi"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", err, resp)
	}
	var frags []wire.GenerateContentResponse
	if err := json.Unmarshal(body, &frags); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, body)
	}
	if len(frags) < 2 || frags[len(frags)-1].Candidates[0].FinishReason != wire.FinishStop {
		t.Errorf("%d fragments", len(frags))
	}
}

func TestFaults(t *testing.T) {
	srv := httptest.NewServer(New(catalog(), nil))
	defer srv.Close()
	const gen = "/v1beta/models/gemini-2.0-flash:generateContent"
	tests := []struct {
		directive string
		code      int
		status    string
	}{
		{"[[sim:rate_limit=7]]", 429, wire.StatusResourceExhausted},
		{"[[sim:server_error]]", 500, wire.StatusInternal},
		{"[[sim:unavailable]]", 503, wire.StatusUnavailable},
		{"[[sim:outage]]", 503, wire.StatusUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.directive, func(t *testing.T) {
			resp, body, err := post(t, srv, gen, prompt(tt.directive))
			if err != nil || resp.StatusCode != tt.code {
				t.Fatalf("%v status %v: %s", err, resp, body)
			}
			checkError(t, body, tt.code, tt.status)
			if tt.code == 429 && resp.Header.Get("Retry-After") != "7" {
				t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
			}
		})
	}
	t.Run("slow", func(t *testing.T) {
		// A lower bound only: the simulator sleeps on real timers (it
		// serves real sockets), and a timer never fires early, so this
		// cannot fail on a busy machine the way an upper bound would.
		start := time.Now()
		resp, body, err := post(t, srv, gen, prompt("[[sim:slow=30ms]]"))
		if err != nil || resp.StatusCode != 200 || time.Since(start) < 30*time.Millisecond {
			t.Errorf("slow: %v %v after %v: %s", err, resp, time.Since(start), body)
		}
	})
	t.Run("reset", func(t *testing.T) {
		if _, _, err := post(t, srv, gen, prompt("[[sim:reset]]")); err == nil {
			t.Error("a reset request got a response")
		}
	})
	t.Run("malformed", func(t *testing.T) {
		resp, body, _ := post(t, srv, gen, prompt("[[sim:malformed]]"))
		if resp.StatusCode != 200 || json.Valid(body) {
			t.Errorf("malformed gave %d %s", resp.StatusCode, body)
		}
	})
	t.Run("cut stream", func(t *testing.T) {
		resp, body, err := post(t, srv, "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", prompt("[[sim:cut]] go on"))
		if resp == nil || resp.StatusCode != 200 {
			t.Fatalf("status %v", resp)
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("read error %v, want unexpected EOF", err)
		}
		if strings.Contains(string(body), "finishReason") || !strings.Contains(string(body), "data: ") {
			t.Errorf("cut stream body: %s", body)
		}
	})
}

func TestFaultControlAPI(t *testing.T) {
	faults := &sim.Faults{}
	h := New(catalog(), faults)
	req := httptest.NewRequest(http.MethodPost, "/_sim/faults", strings.NewReader(`{"kind":"unavailable","model":"gemini-2.0-flash","count":1}`))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("add fault: %d", rec.Code)
	}
	if resp, _ := call(t, h, http.MethodPost, "/v1beta/models/gemini-2.0-flash:generateContent", "AIzaGood", hello); resp.StatusCode != 503 {
		t.Errorf("first call %d, want 503", resp.StatusCode)
	}
	if resp, _ := call(t, h, http.MethodPost, "/v1beta/models/gemini-2.0-flash:generateContent", "AIzaGood", hello); resp.StatusCode != 200 {
		t.Errorf("second call %d, want 200 (count 1)", resp.StatusCode)
	}
}
