package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Credentials the harness writes into the router's config and sends.
const (
	routerKey   = "bench-router-key"
	upstreamKey = "bench-upstream-key"
	benchModel  = "gpt-4o-mini"
)

// routerConfigFormat is the router's switchyard.yaml: one OpenAI provider
// (the in-process simulator), one deployment, one route; the store section
// is appended.
const routerConfigFormat = `# Written by switchyard bench.
server:
  addr: 127.0.0.1:0
auth:
  keys: [%q]
providers:
  openai:
    kind: openai
    base_url: %q
    api_key: %q
deployments:
  %s:
    provider: openai
    model: %s
    price: {input: 0.15, output: 0.6}
routes:
  auto:
    deployments: [%s]
%s`

// routerConfig returns the router's config against the upstream at
// upstreamURL, with store as its store section (sqliteStore, noStore).
func routerConfig(upstreamURL, store string) string {
	return fmt.Sprintf(routerConfigFormat, routerKey, upstreamURL, upstreamKey, benchModel, benchModel, benchModel, store)
}

// sqliteStore is a store section that records every request to the SQLite
// file at path, without bodies.
func sqliteStore(path string) string {
	return fmt.Sprintf("store:\n  driver: sqlite\n  path: %q\n  bodies: none\n", path)
}

// noStore is a store section that keeps no request log.
const noStore = "store:\n  driver: none\n"

// routerProc is the router running as a child process.
type routerProc struct {
	cmd     *exec.Cmd
	addr    string
	logPath string
	cancel  context.CancelFunc
	waited  chan struct{}
	waitErr error
}

var listeningLine = regexp.MustCompile(`listening on http://(\S+)`)

// startRouter writes cfg to dir/NAME.yaml and starts argv + "serve
// --config … --addr 127.0.0.1:0" (and --quiet, --pprof as opts ask). It
// returns once the router has printed the address it listens on; its
// stderr goes to dir/NAME.log.
func startRouter(ctx context.Context, opts Options, dir, name, cfg string) (*routerProc, error) {
	cfgPath := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		return nil, fmt.Errorf("bench: write router config: %w", err)
	}
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("bench: create router log: %w", err)
	}
	defer logFile.Close() // the child holds its own descriptor

	cctx, cancel := context.WithCancel(ctx)
	argv := opts.RouterCommand
	args := routerArgs(argv[1:], cfgPath, opts.RouterPprof, opts.Quiet)
	cmd := exec.CommandContext(cctx, argv[0], args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	watch := &addrWatcher{found: make(chan string, 1)}
	cmd.Stdout = watch
	cmd.Stderr = logFile
	setParentDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("bench: start router %q: %w", argv[0], err)
	}
	r := &routerProc{cmd: cmd, logPath: logPath, cancel: cancel, waited: make(chan struct{})}
	go func() { r.waitErr = cmd.Wait(); close(r.waited) }()

	select {
	case r.addr = <-watch.found:
		return r, nil
	case <-r.waited:
		err = fmt.Errorf("bench: router exited before listening: %v\n%s", r.waitErr, r.logTail())
	case <-time.After(30 * time.Second):
		err = fmt.Errorf("bench: router did not report its address within 30s\n%s", r.logTail())
	case <-ctx.Done():
		err = ctx.Err()
	}
	r.stop()
	return nil, err
}

// routerArgs returns the router's arguments after the program name: lead,
// then serve with the config at cfgPath, and the --pprof and --quiet flags
// when asked for.
func routerArgs(lead []string, cfgPath, pprof string, quiet bool) []string {
	args := append(append([]string(nil), lead...), "serve", "--config", cfgPath, "--addr", "127.0.0.1:0")
	if pprof != "" {
		args = append(args, "--pprof", pprof)
	}
	if quiet {
		args = append(args, "--quiet")
	}
	return args
}

// stop sends SIGTERM, waits for the exit (killing after 10s) and returns
// the exit error, nil for a clean exit.
func (r *routerProc) stop() error {
	r.cancel()
	<-r.waited
	// Wait reports the cancellation even when the router then exits 0.
	if st := r.cmd.ProcessState; st != nil && st.Success() {
		return nil
	}
	return fmt.Errorf("bench: router exit: %v\n%s", r.waitErr, r.logTail())
}

// logTail returns the last lines of the router's stderr.
func (r *routerProc) logTail() string {
	b, err := os.ReadFile(r.logPath)
	if err != nil {
		return ""
	}
	const keep = 2048
	if len(b) > keep {
		b = b[len(b)-keep:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return "router log (tail):\n" + string(b)
}

// addrWatcher is the router's stdout: it reports the first listen address
// it sees and discards the rest.
type addrWatcher struct {
	mu    sync.Mutex
	buf   []byte
	found chan string
	done  bool
}

// Write implements io.Writer.
func (w *addrWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		line := w.buf[:i]
		w.buf = w.buf[i+1:]
		if m := listeningLine.FindSubmatch(line); m != nil {
			w.found <- string(m[1])
			w.done, w.buf = true, nil
			break
		}
	}
	return len(p), nil
}

// Memory is a process's resident set size, in bytes.
type Memory struct {
	// RSS is the current resident set (VmRSS); Peak the high-water mark
	// over the process's life (VmHWM).
	RSS, Peak int64
}

// ReadMemory reads VmRSS and VmHWM from /proc/PID/status (Linux only).
func ReadMemory(pid int) (Memory, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return Memory{}, fmt.Errorf("bench: read process memory: %w", err)
	}
	defer f.Close()
	var m Memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte("VmRSS:")):
			m.RSS = parseKB(line[len("VmRSS:"):])
		case bytes.HasPrefix(line, []byte("VmHWM:")):
			m.Peak = parseKB(line[len("VmHWM:"):])
		}
	}
	if err := sc.Err(); err != nil {
		return Memory{}, fmt.Errorf("bench: read process memory: %w", err)
	}
	return m, nil
}

// parseKB parses "   12345 kB" into bytes; it returns 0 if malformed.
func parseKB(b []byte) int64 {
	f := bytes.Fields(b)
	if len(f) == 0 {
		return 0
	}
	n, err := strconv.ParseInt(string(f[0]), 10, 64)
	if err != nil {
		return 0
	}
	return n * 1024
}

// clockTick is the unit of the CPU times in /proc/PID/stat (USER_HZ,
// 100 on every mainstream Linux).
const clockTick = 10 * time.Millisecond

// ReadCPU returns the CPU time (user + system) the process has used so far,
// from /proc/PID/stat (Linux only), with a resolution of 10ms.
func ReadCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, fmt.Errorf("bench: read process CPU time: %w", err)
	}
	// The fields after the parenthesized command name start at field 3
	// (state); utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	f := bytes.Fields(b[i+1:])
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("bench: malformed /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bench: malformed /proc/%d/stat", pid)
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// memorySampler polls a process's RSS and keeps the largest value seen.
type memorySampler struct {
	pid  int
	stop chan struct{}
	done chan struct{}
	max  int64
}

func sampleMemory(pid int, every time.Duration) *memorySampler {
	s := &memorySampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if m, err := ReadMemory(pid); err == nil {
				s.max = max(s.max, m.RSS)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Stop ends the sampling and returns the largest RSS seen.
func (s *memorySampler) Stop() int64 {
	close(s.stop)
	<-s.done
	return s.max
}
