package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
)

// errorBody is OpenAI's error shape.
type errorBody struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

func post(t *testing.T, url, key string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func wantError(t *testing.T, resp *http.Response, body []byte, status int, typ string) errorBody {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, status, body)
	}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil || eb.Error.Message == "" {
		t.Fatalf("not an OpenAI error body: %s", body)
	}
	if typ != "" && eb.Error.Type != typ {
		t.Errorf("error type %q, want %q (%s)", eb.Error.Type, typ, body)
	}
	if resp.Header.Get("x-switchyard-request-id") == "" {
		t.Error("error response lacks x-switchyard-request-id")
	}
	return eb
}

func chatBody(model, prompt string, stream bool) []byte {
	b, _ := json.Marshal(map[string]any{
		"model": model, "stream": stream,
		"messages": []map[string]string{{"role": "user", "content": prompt}},
	})
	return b
}

func TestClientErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Server.MaxBodyBytes = 4096 })
	url := e.URL + "/v1/chat/completions"
	t.Run("malformed JSON", func(t *testing.T) {
		resp, body := post(t, url, "k", []byte(`{"model": "auto", "messages": [`))
		wantError(t, resp, body, 400, "invalid_request_error")
	})
	t.Run("missing messages", func(t *testing.T) {
		resp, body := post(t, url, "k", []byte(`{"model": "auto"}`))
		eb := wantError(t, resp, body, 400, "invalid_request_error")
		if eb.Error.Param == nil || *eb.Error.Param != "messages" {
			t.Errorf("param = %v", eb.Error.Param)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		resp, body := post(t, url, "k", chatBody("auto", strings.Repeat("x", 8000), false))
		wantError(t, resp, body, 413, "")
	})
	t.Run("unknown model", func(t *testing.T) {
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
			Model: "no-such-model", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
		})
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code != "model_not_found" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unknown path", func(t *testing.T) {
		resp, body := post(t, e.URL+"/v1/nope", "k", []byte(`{}`))
		wantError(t, resp, body, 404, "")
	})
	t.Run("embeddings on a chat model", func(t *testing.T) {
		resp, body := post(t, e.URL+"/v1/embeddings", "k", []byte(`{"model":"gpt-4o-mini","input":"hi"}`))
		wantError(t, resp, body, 400, "invalid_request_error")
	})
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Auth.Keys = []config.Key{{Key: "client-secret-1"}} })
	url := e.URL + "/v1/chat/completions"
	for _, key := range []string{"", "wrong"} {
		resp, body := post(t, url, key, chatBody("auto", "hi", false))
		eb := wantError(t, resp, body, 401, "invalid_request_error")
		if strings.Contains(string(body), "client-secret-1") {
			t.Errorf("error leaks the key: %s", eb.Error.Message)
		}
	}
	resp, body := post(t, url, "client-secret-1", chatBody("auto", "hi", false))
	if resp.StatusCode != 200 {
		t.Fatalf("valid key: %d %s", resp.StatusCode, body)
	}
}

// Every error class reaches the client with its status. The directive
// faults every deployment, so each case gets a fresh router: otherwise the
// breakers opened by earlier cases would answer 503 instead.
func TestUpstreamErrorClasses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		directive string
		status    int
		typ       string
	}{
		{"[[sim:rate_limit=7]]", 429, "rate_limit_error"},
		{"[[sim:unavailable]]", 503, ""},
		{"[[sim:server_error]]", 502, ""},
		{"[[sim:reset]]", 502, ""},
		{"[[sim:malformed]]", 502, ""},
		{"[[sim:slow=5s]]", 504, ""},
	}
	// The slow case's deadline passes before the first attempt's tier
	// timeout, so that the 504 names the deployment asked for (a longer
	// one lets the router try the next deployment). The other cases answer
	// at once, so their deadline is only a bound against a hang: a tight
	// one (600 ms) turned a malformed answer into a 504 on a loaded CI
	// machine.
	const deadline = 10 * time.Second
	for _, dep := range chatDeployments {
		for _, c := range cases {
			t.Run(dep+" "+c.directive, func(t *testing.T) {
				d := deadline
				if c.status == 504 {
					d = 500 * time.Millisecond
				}
				e := newEnv(t, func(c *config.Config) { c.Server.RequestTimeout = d })
				resp, body := post(t, e.URL+"/v1/chat/completions", "k", chatBody(dep, "hello "+c.directive, false))
				wantError(t, resp, body, c.status, c.typ)
				if c.status == 429 && resp.Header.Get("Retry-After") != "7" {
					t.Errorf("Retry-After = %q, want 7", resp.Header.Get("Retry-After"))
				}
				if resp.Header.Get("x-switchyard-deployment") != dep {
					t.Errorf("x-switchyard-deployment = %q", resp.Header.Get("x-switchyard-deployment"))
				}
			})
		}
	}
}

// A stream the upstream cuts after it started must reach the client as an
// error, never as a clean, truncated success, when no deployment can
// continue it (continuation: none everywhere; see resume_test.go for the
// continued case).
func TestCutStreamIsAnErrorNotATruncatedSuccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		for _, d := range c.Deployments {
			d.Continuation = "none"
		}
	})
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{
				Model:    dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Tell me a long story [[sim:cut]]")},
			})
			n := 0
			for stream.Next() {
				n++
			}
			stream.Close()
			if stream.Err() == nil {
				t.Fatalf("stream of %d chunks ended without error", n)
			}
			resp, body := post(t, e.URL+"/v1/chat/completions", "k", chatBody(dep, "Tell me a long story [[sim:cut]]", true))
			if resp.StatusCode != 200 || bytes.Contains(body, []byte("[DONE]")) || !bytes.Contains(body, []byte(`data: {"error":`)) {
				t.Fatalf("raw stream: status %d body %s", resp.StatusCode, body)
			}
		})
	}
	failed := 0
	for _, r := range e.recorded(t, 2*len(chatDeployments)) {
		if r.StreamFailed {
			failed++
		}
	}
	if failed != 2*len(chatDeployments) {
		t.Errorf("%d stream failures recorded, want %d", failed, 2*len(chatDeployments))
	}
}

func TestRouteFailsOverBeforeFirstByte(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "gpt-4o-mini"})
	for _, stream := range []bool{false, true} {
		resp, body := post(t, e.URL+"/v1/chat/completions", "k", chatBody("auto", "hello", stream))
		if resp.StatusCode != 200 {
			t.Fatalf("stream=%v: %d %s", stream, resp.StatusCode, body)
		}
		if got := resp.Header.Get("x-switchyard-deployment"); got != "claude-haiku-4-5" {
			t.Errorf("stream=%v: served by %q, want the second candidate", stream, got)
		}
		if !strings.Contains(resp.Header.Get("x-switchyard-route"), "tier=2/") {
			t.Errorf("x-switchyard-route = %q", resp.Header.Get("x-switchyard-route"))
		}
	}
}

// The client's credentials never reach an upstream, and the provider key
// never reaches the client, even when the upstream echoes it.
func TestCredentialsStayWhereTheyBelong(t *testing.T) {
	t.Parallel()
	const providerKey = "sk-provider-secret-0123456789"
	var gotAuth []string
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		w.Write([]byte(`{"error":{"message":"Incorrect API key provided: ` + providerKey + `.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`))
	}))
	defer upstream.Close()
	e := newEnv(t, func(c *config.Config) {
		c.Providers["echo"] = &config.Provider{Name: "echo", Kind: "openai", BaseURL: upstream.URL + "/v1", APIKey: providerKey}
		c.Deployments["echo-model"] = &config.Deployment{Name: "echo-model", Provider: "echo", Model: "m"}
	})
	resp, body := post(t, e.URL+"/v1/chat/completions", "client-key-abc", chatBody("echo-model", "hi", false))
	wantError(t, resp, body, 502, "")
	if strings.Contains(string(body), providerKey) {
		t.Errorf("provider key leaked to the client: %s", body)
	}
	if len(gotAuth) != 1 || gotAuth[0] != "Bearer "+providerKey {
		t.Errorf("upstream saw Authorization %q, want the provider key only", gotAuth)
	}
}
