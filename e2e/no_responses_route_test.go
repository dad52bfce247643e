package e2e

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// noResponsesHost is a compatible host whose Chat Completions work and
// which has no /responses route, under /api/v1 (where the simulator
// plays OpenRouter, whose Chat Completions take a file part of any
// type, as a proxy's or a local server's may): it answers POST
// /api/v1/responses with a 404 in its server's own words (body, of type
// ctype), the rest with the OpenAI simulator. Bodies: vLLM's FastAPI {"detail":"Not Found"}
// (vllm-project/vllm#5082), Go's net/http "404 page not found"
// (vybestack/llxprt-code#775, Ollama), an HTML page, nothing.
func noResponsesHost(t *testing.T, tp *tap, ctype, body string) string {
	t.Helper()
	up := simopenai.New(sim.NewCatalog(sim.Profile{Model: "qwen3-32b"}), nil)
	srv := httptest.NewServer(tp.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/responses" {
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, body)
			return
		}
		up.ServeHTTP(w, r)
	})))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/v1"
}

// TestNoResponsesRouteE2E: an openai-go client's CSV by its bytes to a
// deployment of kind openai, api auto, on a compatible host without a
// /responses route: the router sends it to /responses, gets the host's
// 404, and sends it again at once on Chat Completions as Chat's file
// part, named in x-switchyard-route; the next one goes to Chat at once. A
// Responses client's hosted web search, which only the Responses API
// serves, gets the router's 400 naming the missing route, no upstream
// call made.
func TestNoResponsesRouteE2E(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, ctype, body string }{
		{"fastapi", "application/json", `{"detail":"Not Found"}`},
		{"go", "text/plain; charset=utf-8", "404 page not found\n"},
		{"html", "text/html", "<html><body><h1>404 Not Found</h1></body></html>"},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			tp := &tap{}
			base := noResponsesHost(t, tp, c.ctype, c.body)
			e := newEnv(t, func(cfg *config.Config) {
				cfg.Providers["vllm"] = &config.Provider{Name: "vllm", Kind: config.KindOpenAI, BaseURL: base, APIKey: "sk-sim"}
				cfg.Deployments["local"] = &config.Deployment{Name: "local", Provider: "vllm", Model: "qwen3-32b"}
			})
			csv := "data:text/csv;base64," + base64.StdEncoding.EncodeToString([]byte("city,temp\nParis,21\n"))
			params := openai.ChatCompletionNewParams{Model: "local", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{
				openai.FileContentPart(openai.ChatCompletionContentPartFileFileParam{Filename: openai.String("temps.csv"), FileData: openai.String(csv)}),
				openai.TextContentPart("Summarize this file."),
			})}}
			for i, want := range [][]string{{"/api/v1/responses", "/api/v1/chat/completions"}, {"/api/v1/chat/completions"}} {
				before := len(tp.requests())
				var resp *http.Response
				cc, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp))
				if err != nil || cc.Choices[0].Message.Content == "" {
					t.Fatalf("request %d: %v (upstream %v)", i, err, paths(tp.requests()))
				}
				if got := paths(tp.requests()[before:]); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("request %d went to %v, want %v", i, got, want)
				}
				if route := resp.Header.Get("x-switchyard-route"); !strings.Contains(route, "api=chat_completions (no /responses route)") {
					t.Errorf("request %d: x-switchyard-route %q", i, route)
				}
				if msgs := string(tp.lastBody(t, "/chat/completions")["messages"]); !strings.Contains(msgs, `"type":"file"`) || !strings.Contains(msgs, csv) {
					t.Errorf("request %d: Chat was sent %s, want the CSV as a file part", i, msgs)
				}
			}

			before := len(tp.requests())
			_, err := e.Client.Responses.New(ctxT(t), webSearchParams("local", "What is new in Paris today?"))
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "no /responses route") || len(tp.requests()) != before {
				t.Errorf("hosted web search: %v, %d upstream calls; want the router's 400 naming the route, none", err, len(tp.requests())-before)
			}
		})
	}
}
