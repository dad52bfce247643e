package bench

import (
	"bufio"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestHasContent(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{`data: {"choices":[{"delta":{"role":"assistant","content":""}}]}` + "\n", false},
		{`data: {"choices":[{"delta":{"content":"Hello"}}]}` + "\n", true},
		{`data: {"choices":[{"delta":{"content":null}}]}` + "\n", false},
		{`data: [DONE]` + "\n", false},
		{`: keep-alive` + "\n", false},
		{`event: x "content":"y"` + "\n", false},
		{`data: {"content":"`, false},
	}
	for _, tt := range tests {
		if got := hasContent([]byte(tt.line)); got != tt.want {
			t.Errorf("hasContent(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestReadStream(t *testing.T) {
	long := `data: {"x":"` + strings.Repeat("a", 100) + `","content":"late"}` + "\n\n"
	tests := []struct {
		name    string
		body    string
		wantErr bool
	}{
		{"content", "data: {\"content\":\"\"}\n\ndata: {\"content\":\"Hi\"}\n\ndata: [DONE]\n\n", false},
		{"no content", "data: {\"content\":\"\"}\n\ndata: [DONE]\n\n", true},
		{"content only past the buffer", long + "data: [DONE]\n\n", true},
		{"no trailing newline", "data: {\"content\":\"Hi\"}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(tt.body), 64) // bufio's minimum is 16
			ttft, err := readStream(br, time.Now().Add(-time.Millisecond))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
			}
			if err == nil && ttft < time.Millisecond {
				t.Errorf("ttft = %v, want >= 1ms (measured from due)", ttft)
			}
		})
	}
}

func TestAddrWatcher(t *testing.T) {
	w := &addrWatcher{found: make(chan string, 1)}
	for _, chunk := range []string{"Switchyard listen", "ing on http://127.0.0.1:4242 (OpenAI-compatible API at http://127.0.0.1:4242/v1)\nRoutes: auto\n", "more\n"} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	select {
	case got := <-w.found:
		if got != "127.0.0.1:4242" {
			t.Errorf("address = %q", got)
		}
	default:
		t.Fatal("no address found")
	}
}

func TestReadMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	m, err := ReadMemory(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.Peak < m.RSS {
		t.Errorf("ReadMemory = %+v, want 0 < RSS <= Peak", m)
	}
	busy := time.Now().Add(30 * time.Millisecond)
	for time.Now().Before(busy) { // burn some CPU so the counter moves
	}
	if cpu, err := ReadCPU(os.Getpid()); err != nil || cpu <= 0 {
		t.Errorf("ReadCPU = %v, %v; want > 0", cpu, err)
	}
	if got := parseKB([]byte("\t  2048 kB")); got != 2048*1024 {
		t.Errorf("parseKB = %d", got)
	}
}

func TestSummarizeTarget(t *testing.T) {
	ms := time.Millisecond
	s, err := NewSchedule(10*ms, 100*ms, 100*ms, 100*ms)
	if err != nil {
		t.Fatal(err)
	}
	samples := make([]sample, len(s.Slots))
	for i, sl := range s.Slots {
		samples[i] = sample{lag: 10 * time.Microsecond, total: ms, ttft: ms / 2}
		if s.Phases[sl.Phase].Target == Router {
			samples[i].total = 2 * ms
		}
	}
	for i := len(s.Slots) - 1; i >= 0; i-- { // fail the last measured direct slot
		if p := s.Phases[s.Slots[i].Phase]; p.Target == Direct && !p.Warmup {
			samples[i].failed = true
			break
		}
	}
	r := summarizeTarget(s, samples, Router, true)
	if r.Requests != 10 || r.Errors != 0 || r.Total.P50 != 2*ms || r.TTFT == nil || r.TTFT.P99 != ms/2 {
		t.Errorf("router stats = %+v", r)
	}
	d := summarizeTarget(s, samples, Direct, false)
	if d.Requests != 10 || d.Errors != 1 || d.Total.N != 9 || d.TTFT != nil {
		t.Errorf("direct stats = %+v", d)
	}
	// 9 successes over the 100ms phase, not stretched: the last success
	// ends inside it.
	if d.Rate < 89.9 || d.Rate > 90.1 {
		t.Errorf("direct rate = %v, want 90", d.Rate)
	}
}

func TestRequestBody(t *testing.T) {
	for _, stream := range []bool{false, true} {
		var req struct {
			Model    string
			Stream   bool
			Messages []struct{ Role, Content string }
		}
		if err := json.Unmarshal(requestBody(stream, 200), &req); err != nil {
			t.Fatal(err)
		}
		if req.Model != benchModel || req.Stream != stream || len(req.Messages) != 2 || len(req.Messages[1].Content) != 800 {
			t.Errorf("body = %+v", req)
		}
	}
}
