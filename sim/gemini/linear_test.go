package gemini

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/internal/alloctest"
	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// joined returns n copies of piece, joined with commas.
func joined(n int, piece string) string {
	return strings.TrimSuffix(strings.Repeat(piece+",", n), ",")
}

// Answering a turn is linear in its parts: the prompt and the tool
// result were built by appending each part to a string, a copy of all
// the parts before it, and 4,000 parts allocated some 175 times what
// 250 did (16 times the parts; some 17 times now).
func TestManyPartsCostLinearBytes(t *testing.T) {
	h := New(sim.NewCatalog(sim.Profile{Model: "gemini-2.0-flash", ContextWindow: 1 << 30}), nil)
	tests := []struct {
		name string
		body func(n int) string
	}{
		{"text parts", func(n int) string {
			return `{"contents":[{"role":"user","parts":[` + joined(n, `{"text":"hi there"}`) + `]}]}`
		}},
		{"function responses", func(n int) string {
			return `{"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object"}}]}],"contents":[{"role":"user","parts":[{"text":"hi"}]},` +
				`{"role":"model","parts":[` + joined(n, `{"functionCall":{"name":"f","args":{}}}`) + `]},` +
				`{"role":"user","parts":[` + joined(n, `{"functionResponse":{"name":"f","response":{"result":"some words"}}}`) + `]}]}`
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			post := func(n int) {
				req := httptest.NewRequest(http.MethodPost, "/v1beta/models/gemini-2.0-flash:generateContent", strings.NewReader(tt.body(n)))
				req.Header.Set("x-goog-api-key", "AIzaGood")
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("%d: %s", rec.Code, rec.Body)
				}
			}
			small, large := alloctest.Bytes(2, func() { post(250) }), alloctest.Bytes(2, func() { post(4000) })
			t.Logf("250: %d bytes, 4000: %d", small, large)
			if ratio := float64(large) / float64(max(small, 1)); ratio > 60 {
				t.Errorf("250: %d bytes allocated, 4000: %d (%.0f times for 16 times the parts)", small, large, ratio)
			}
		})
	}
}

// A request declaring a hundred thousand functions, all of them allowed,
// is checked in well under a minute: each declaration's name was searched
// for among those before it, and each allowed name among the declared
// (64,000 took 97 s through HTTP on a loaded machine, and this test
// failed at its deadline; a set takes a second or two). The deadline
// bounds a hang; it times nothing finer.
func TestManyDeclarationsCheckedWithoutHanging(t *testing.T) {
	const n = 100000
	decls := make([]wire.FunctionDeclaration, n)
	allowed := make([]string, n)
	for i := range decls {
		decls[i].Name = "function_number_" + strconv.Itoa(i)
		allowed[i] = decls[i].Name
	}
	tools := []wire.Tool{{FunctionDeclarations: decls}}
	tc := &wire.ToolConfig{FunctionCallingConfig: &wire.FunctionCallingConfig{Mode: wire.ModeAny, AllowedFunctionNames: allowed}}
	done := make(chan string, 1)
	go func() {
		declared, msg := validateTools(tools)
		if msg == "" {
			msg = validateToolConfig(tc, declared)
		}
		if msg == "" {
			a := buildAsk(&sim.Profile{Model: "gemini-2.0-flash"}, &wire.GenerateContentRequest{
				Contents: []wire.Content{{Role: "user", Parts: []wire.Part{{Text: "hi"}}}}, Tools: tools, ToolConfig: tc})
			if len(a.Tools) != n {
				msg = "buildAsk kept " + strconv.Itoa(len(a.Tools)) + " tools"
			}
		}
		done <- msg
	}()
	select {
	case msg := <-done:
		if msg != "" {
			t.Fatal(msg)
		}
	case <-time.After(time.Minute):
		t.Fatal("checking 100,000 declarations took over a minute")
	}
}
