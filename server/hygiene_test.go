package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestTimeoutsBoundSlowClients: a validated configuration bounds how long
// a client may take to send its headers and body and to read each write,
// and how long an idle connection stays open.
func TestTimeoutsBoundSlowClients(t *testing.T) {
	var c config.Config
	c.Deployments = map[string]*config.Deployment{}
	c.Validate() // fills the defaults; the missing deployment is beside the point
	l := LimitsFrom(&c.Server)
	if l.ReadTimeout <= 0 || l.WriteTimeout <= 0 || l.IdleTimeout <= 0 || l.MaxConcurrentRequests <= 0 || l.MaxInflightBytes <= 0 {
		t.Errorf("default limits %+v: a slow or greedy client is not bounded", l)
	}
	s := New(Options{API: newServer(&backend{}, Options{}).opts.API, Limits: l, Logger: slog.New(slog.DiscardHandler)})
	hs := s.httpServer(s.handler)
	if hs.ReadHeaderTimeout <= 0 || hs.IdleTimeout != l.IdleTimeout {
		t.Errorf("http.Server: header timeout %s, idle %s", hs.ReadHeaderTimeout, hs.IdleTimeout)
	}
	if c.Server.MaxBodyBytes <= 0 || c.Server.RequestTimeout <= 0 {
		t.Errorf("no default body size or request timeout: %+v", c.Server)
	}
}

// TestErrorsCarryNoStackOrSecret: a panic, an internal error wrapping a
// cause with a secret in it, and a wrong key each answer an OpenAI error
// with no stack trace and no secret; the log has the cause but no stack.
func TestErrorsCarryNoStackOrSecret(t *testing.T) {
	const secret = "sk-proj-HygieneCanary0123456789abcdef"
	tests := []struct {
		name   string
		chat   func(context.Context, *llm.Request) (*llm.Response, error)
		key    string
		status int
	}{
		{"panic", func(context.Context, *llm.Request) (*llm.Response, error) { panic("boom near " + secret) }, "good-key", 500},
		{"internal error", func(context.Context, *llm.Request) (*llm.Response, error) {
			return nil, errors.New("dial upstream with token " + secret + ": refused")
		}, "good-key", 500},
		{"wrapped cause", func(context.Context, *llm.Request) (*llm.Response, error) {
			return nil, llm.Wrap(llm.KindUpstream, errors.New("upstream said: bad key "+secret), "the upstream failed")
		}, "good-key", 502},
		{"wrong key", nil, secret, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := newServer(&backend{ChatFunc: tt.chat}, Options{
				Keys:   []config.Key{{Key: "good-key", Name: "app"}},
				Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
			})
			w := do(s, http.MethodPost, "/v1/chat/completions", chatBody, map[string]string{"Authorization": "Bearer " + tt.key})
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			openAIError(t, w)
			body := w.Body.String()
			for _, bad := range []string{secret, "goroutine ", ".go:", "runtime/"} {
				if strings.Contains(body, bad) {
					t.Errorf("the answer holds %q: %s", bad, body)
				}
			}
			for _, bad := range []string{"goroutine ", "runtime/debug", ".go:"} {
				if strings.Contains(logs.String(), bad) {
					t.Errorf("the log holds a stack trace (%q): %s", bad, logs.String())
				}
			}
			if tt.key == secret && strings.Contains(logs.String(), secret) {
				t.Errorf("the log holds the wrong key: %s", logs.String())
			}
		})
	}
}
