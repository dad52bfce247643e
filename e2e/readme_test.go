package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/demo"
	"switchyard/server"
)

// readme holds the README's shell examples: each curl request's body and
// the response lines its comments promise.
type readmeExample struct {
	body    string   // the JSON after -d, $p left in
	prompts []string // a for loop's prompts, substituted for $p
	want    []string // the "# …" lines after the command
}

var (
	curlBody   = regexp.MustCompile(`(?s)-d '(\{.*?\})'|-d "(\{.*?\})"`)
	loopValues = regexp.MustCompile(`"([^"]+)"`)
)

// readmeExamples parses every ```sh block of the README that runs curl
// against the router's chat completions.
func readmeExamples(t *testing.T) []readmeExample {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []readmeExample
	blocks := strings.Split(string(b), "```sh\n")[1:]
	for _, blk := range blocks {
		blk = blk[:strings.Index(blk, "```")]
		if !strings.Contains(blk, "/v1/chat/completions") {
			continue
		}
		var ex readmeExample
		m := curlBody.FindStringSubmatch(blk)
		if m == nil {
			t.Fatalf("README example without a -d body:\n%s", blk)
		}
		ex.body = m[1] + m[2]
		if strings.Contains(ex.body, `\"`) {
			ex.body = strings.ReplaceAll(ex.body, `\"`, `"`)
		}
		sc := bufio.NewScanner(strings.NewReader(blk))
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "for p in ") {
				for _, v := range loopValues.FindAllStringSubmatch(strings.TrimSuffix(line[len("for p in "):], "; do"), -1) {
					ex.prompts = append(ex.prompts, v[1])
				}
			}
			if strings.HasPrefix(line, "# ") {
				ex.want = append(ex.want, line[2:])
			}
		}
		out = append(out, ex)
	}
	return out
}

// demoRouter starts the router as `switchyard serve --demo` does, with the
// simulated providers at their realistic latencies.
func demoRouter(t *testing.T) string {
	t.Helper()
	simAddr, _, stopSim, err := demo.StartSim(1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := demo.Config(simAddr, "")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := server.NewRouter(cfg, server.RouterOptions{Demo: true, NoRequestLog: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		r.Close(ctxT(t))
		stopSim()
	})
	return ts.URL
}

// matches reports whether got matches a README value, where "…" stands
// for anything.
func matches(want, got string) bool {
	parts := strings.Split(want, "…")
	if len(parts) == 1 {
		return want == got
	}
	var re strings.Builder
	re.WriteString("^")
	for i, p := range parts {
		if i > 0 {
			re.WriteString(".*")
		}
		re.WriteString(regexp.QuoteMeta(p))
	}
	re.WriteString("$")
	return regexp.MustCompile(re.String()).MatchString(got)
}

// Every curl example of the README, sent to the demo router at realistic
// latencies, answers what its comments say: the headers (deployment,
// route summary with category and tier), the status and Retry-After of
// the fault example, a stream ending in [DONE]. The fault example runs
// last: the rate limit window its 429 opens (3 s) would reroute the rest.
func TestReadmeExamples(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("realistic latencies: several seconds")
	}
	url := demoRouter(t) + "/v1/chat/completions"
	exs := readmeExamples(t)
	if len(exs) < 4 {
		t.Fatalf("found %d README examples, want at least 4", len(exs))
	}
	var last []readmeExample
	for _, ex := range exs {
		if strings.Contains(ex.body, "[[sim:") {
			last = append(last, ex)
			continue
		}
		runExample(t, url, ex)
	}
	// The Go SDK snippet, as written there.
	client := openai.NewClient(option.WithBaseURL(strings.TrimSuffix(url, "/chat/completions")), option.WithAPIKey("demo"))
	resp, err := client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model:    "auto",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")},
	})
	if err != nil || len(resp.Choices) == 0 || resp.Choices[0].Message.Content == "" {
		t.Errorf("Go SDK example: %v %+v", err, resp)
	}
	for _, ex := range last {
		runExample(t, url, ex)
	}
}

func runExample(t *testing.T, url string, ex readmeExample) {
	t.Helper()
	bodies := []string{ex.body}
	if len(ex.prompts) > 0 {
		bodies = bodies[:0]
		for _, p := range ex.prompts {
			bodies = append(bodies, strings.ReplaceAll(ex.body, "$p", p))
		}
	}
	var wantHeaders []string // "name: value" lines, one per request of a loop
	var wantStatus string
	for _, w := range ex.want {
		if strings.HasPrefix(w, "x-switchyard-") {
			wantHeaders = append(wantHeaders, w)
		} else if len(w) > 3 && w[3] == ' ' && w[0] >= '1' && w[0] <= '5' {
			wantStatus = w
		}
	}
	for i, body := range bodies {
		if !json.Valid([]byte(body)) {
			t.Fatalf("README example body is not JSON: %s", body)
		}
		resp, got := postH(t, url, []byte(body), map[string]string{"Content-Type": "application/json", "Authorization": "Bearer demo"})
		name := body
		switch {
		case wantStatus != "":
			checkStatusLine(t, name, wantStatus, resp, got)
		case resp.StatusCode != 200:
			t.Errorf("%s: status %d %s", name, resp.StatusCode, got)
			continue
		}
		if strings.Contains(body, `"stream":true`) {
			if !bytes.HasSuffix(bytes.TrimSpace(got), []byte("data: [DONE]")) || !bytes.Contains(got, []byte(`"usage":{`)) {
				t.Errorf("%s: stream does not end in [DONE] after a usage chunk:\n%s", name, got)
			}
		}
		hs := wantHeaders
		if len(ex.prompts) > 0 { // one header line per prompt, in order
			hs = hs[i : i+1]
		}
		for _, h := range hs {
			k, v, _ := strings.Cut(h, ": ")
			if g := resp.Header.Get(k); !matches(v, g) {
				t.Errorf("%s:\n%s: %s\nREADME says  %s", name, k, g, v)
			}
		}
	}
}

// checkStatusLine checks a "429 {…"type":"rate_limit_error"…} with
// Retry-After: 3" comment.
func checkStatusLine(t *testing.T, name, want string, resp *http.Response, got []byte) {
	t.Helper()
	if status := want[:3]; resp.Status[:3] != status {
		t.Errorf("%s: status %s, README says %s (%s)", name, resp.Status, status, got)
	}
	if m := regexp.MustCompile(`"type":"(\w+)"`).FindStringSubmatch(want); m != nil && !bytes.Contains(got, []byte(`"type":"`+m[1]+`"`)) {
		t.Errorf("%s: body %s, README says type %s", name, got, m[1])
	}
	if m := regexp.MustCompile(`Retry-After: (\d+)`).FindStringSubmatch(want); m != nil && resp.Header.Get("Retry-After") != m[1] {
		t.Errorf("%s: Retry-After %q, README says %s", name, resp.Header.Get("Retry-After"), m[1])
	}
}
