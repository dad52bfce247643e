package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// unknownCostConfig has one deployment the catalog prices (gpt-4o-mini on
// an OpenAI-compatible server) and one nobody prices.
const unknownCostConfig = `providers:
  local: {kind: openai, base_url: "http://127.0.0.1:9/v1"}
deployments:
  mini: {provider: local, model: gpt-4o-mini}
  llama: {provider: local, model: llama3}
`

// config check and serve warn of a deployment whose cost is unknown; it
// is a warning, not an error.
func TestUnknownCostIsWarned(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := writeFile("switchyard.yaml", unknownCostConfig); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"config", "check", "switchyard.yaml"}, &out, &errOut); code != 0 {
		t.Fatalf("config check exit %d: %s", code, errOut.String())
	}
	if s := out.String(); !strings.Contains(s, "warning: deployments.llama: cost unknown") || strings.Contains(s, "deployments.mini") {
		t.Errorf("config check output:\n%s", s)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var logs syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- runServe(ctx, nil, []string{"--config", "switchyard.yaml", "--addr", "127.0.0.1:0", "--quiet"}, pw, &logs)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	started := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "Try:") {
			started = true
			break
		}
	}
	go io.Copy(io.Discard, pr) //nolint:errcheck // the rest of the output
	cancel()
	select {
	case code := <-exit:
		if code != 0 || !started {
			t.Fatalf("serve exit %d, started %v:\n%s", code, started, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if l := logs.String(); !strings.Contains(l, "cost unknown") || !strings.Contains(l, "deployments.llama") || strings.Contains(l, "deployments.mini") {
		t.Errorf("serve's log does not warn of llama's unknown cost (and only it):\n%s", l)
	}
}
