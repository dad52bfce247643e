package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	simserver "switchyard/sim/server"
)

// largeChat is a chat request of n tiny messages (about 35 bytes each).
func largeChat(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"model":"auto","messages":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"role":"user","content":"hello"}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// TestMemoryUnderLargeRequests measures the router's peak resident memory
// (VmHWM) while it serves one, then eight concurrent, 3.4 MB requests of
// 100,000 messages each. It starts `switchyard serve` as a child process
// in front of a simulated OpenAI upstream in the test's process, so it
// runs only when SWITCHYARD_MEMBENCH=1:
//
//	SWITCHYARD_MEMBENCH=1 go test ./bench/ -run TestMemoryUnderLargeRequests -v
//
// It fails when the peak exceeds 60 MB + 4× the bytes in flight (the goal
// in docs/benchmarks.md).
func TestMemoryUnderLargeRequests(t *testing.T) {
	if os.Getenv("SWITCHYARD_MEMBENCH") != "1" {
		t.Skip("a load measurement; set SWITCHYARD_MEMBENCH=1 to run it")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the router's memory from /proc")
	}
	bin := buildSwitchyard(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The simulated upstream runs here, not in the router's process (as
	// it would with --demo), so the router's memory is measured alone.
	// Its model's context window holds the whole request, so the
	// measurement covers a request that succeeds, not one the upstream
	// rejects as too long.
	sim := simserver.New(simserver.Catalogs{simserver.OpenAI: {
		{Model: "gpt-4o-mini", ContextWindow: 4 << 20, MaxOutputTokens: 16384},
	}}, nil)
	simAddr, stopSim, err := sim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "switchyard.yaml")
	cfg := fmt.Sprintf(memConfig, simserver.BaseURL(simAddr, simserver.OpenAI), filepath.Join(dir, "switchyard.db"))
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, "serve", "--config", cfgPath, "--quiet", "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	setParentDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	addr := listenAddr(t, out)
	body := largeChat(100_000)
	t.Logf("request: %d bytes, 100000 messages", len(body))
	client := &http.Client{Timeout: time.Minute}
	defer client.CloseIdleConnections()
	const mb = 1 << 20
	for _, conc := range []int{1, 8} {
		statuses := sendConcurrently(client, "http://"+addr+"/v1/chat/completions", body, conc)
		for _, st := range statuses {
			if st != "200" {
				t.Errorf("%d concurrent: a request failed (%s); the figure would not measure a served request", conc, st)
				break
			}
		}
		m, err := ReadMemory(cmd.Process.Pid)
		if err != nil {
			t.Fatal(err)
		}
		inflight := int64(conc * len(body))
		goal := 60*mb + 4*inflight
		t.Logf("%d concurrent: statuses %v, peak RSS (VmHWM) %.1f MB, goal ≤ %.1f MB", conc, statuses, float64(m.Peak)/mb, float64(goal)/mb)
		if m.Peak > goal {
			t.Errorf("%d concurrent: peak RSS %.1f MB over the goal of %.1f MB", conc, float64(m.Peak)/mb, float64(goal)/mb)
		}
	}
}

// memConfig is the router's config for the memory measurement: one
// OpenAI deployment on the simulator, default server limits.
const memConfig = `server: {addr: "127.0.0.1:0"}
auth: {keys: []}
providers:
  openai: {kind: openai, base_url: %q, api_key: sim-key}
deployments:
  gpt-4o-mini: {provider: openai, price: {input: 0.15, output: 0.6}}
routes:
  auto: {deployments: [gpt-4o-mini]}
store: {path: %q}
`

var demoListening = regexp.MustCompile(`listening on http://(\S+)`)

// listenAddr reads the router's banner for the address it listens on,
// then drains the rest of its output.
func listenAddr(t *testing.T, out io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := demoListening.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out)
			return m[1]
		}
	}
	t.Fatalf("the router exited without listening: %v", sc.Err())
	return ""
}

// sendConcurrently posts body conc times at once and returns the statuses.
func sendConcurrently(c *http.Client, url string, body []byte, conc int) []string {
	statuses := make([]string, conc)
	var wg sync.WaitGroup
	for i := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := c.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				statuses[i] = err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			statuses[i] = fmt.Sprint(resp.StatusCode)
			if resp.StatusCode != 200 {
				statuses[i] += " " + strings.TrimSpace(string(b[:min(len(b), 120)]))
			}
		}()
	}
	wg.Wait()
	return statuses
}
