package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/provider/providertest"
	"switchyard/reload"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// Golden prompts are answered through the router's own limit on an
// answer held whole (server.max_answer_bytes), not the built-in 32 MiB:
// with the limit at 64 KiB a deployment's 96,000-byte answer fails the prompt.
func TestDriftRunHoldsTheConfiguredAnswerLimit(t *testing.T) {
	const chunk = 4000
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		f := providertest.OpenAI
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, f.Start)
		for range 24 { // 96,000 bytes
			io.WriteString(w, f.Text(strings.Repeat("Paris", chunk/5)))
		}
		io.WriteString(w, f.Finish+f.End)
	}))
	defer up.Close()
	dir := t.TempDir()
	golden := "name: mine\nprompts:\n  - {id: long, category: creative, prompt: Write at length., expect: {contains: Paris}, reference: Paris is the capital.}\n"
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(golden), 0o600); err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("UP", up.URL, "STORE", filepath.Join(dir, "switchyard.db")).Replace(`server: {max_answer_bytes: 65536}
providers:
  long: {kind: openai, base_url: "UP/v1", api_key: sk-long}
deployments:
  long: {provider: long, model: long-model, price: {input: 1, output: 1}}
store: {driver: sqlite, path: STORE}
drift:
  daily_cap_usd: 5
  sets: [{name: mine, file: mine.yaml, deployments: [long], interval: 6h}]
`)
	r, st := driftRouter(t, dir, text)
	ctx := context.Background()
	if err := r.DriftScheduler().RunOnce(ctx, 0); err != nil {
		t.Fatal(err)
	}
	runs, err := st.DriftRuns(ctx, store.DriftFilter{Set: "mine"})
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v, %v; want one", runs, err)
	}
	res, err := st.DriftResults(ctx, runs[0].ID)
	if err != nil || len(res) != 1 || res[0].ErrorKind == "" || res[0].AnswerChars != 0 {
		t.Fatalf("results %+v, %v; want the prompt failed for its answer's size", res, err)
	}
}

// driftRouter starts a router from the configuration text, written to
// dir/switchyard.yaml, with a SQLite store in dir and drift runs only
// when a test asks; both close when t ends.
func driftRouter(t *testing.T, dir, text string) (*Router, *sqlite.DB) {
	t.Helper()
	path := filepath.Join(dir, "switchyard.yaml")
	if err := writeFile(path, text); err != nil {
		t.Fatal(err)
	}
	f, err := reload.ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	never := func(time.Duration) <-chan time.Time { return nil }
	r, err := NewRouter(f.Config, RouterOptions{Store: st, File: f, NoRequestLog: true, Logger: slog.New(slog.DiscardHandler), DriftAfter: never})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(context.Background()) }) // before the store's, registered earlier
	return r, st
}
