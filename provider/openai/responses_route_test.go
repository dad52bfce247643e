package openai

import (
	"io"
	"net/http"
	"testing"

	"switchyard/llm"
)

// A compatible host without a /responses route answers a request the
// adapter chose to send there (api auto) with a 404 in its own words:
// the error says so (llm.CodeNoResponsesRoute), for the dispatcher to
// send it on Chat Completions. OpenAI's model_not_found keeps its code,
// as does a 404 of a deployment whose api says responses.
func TestNoResponsesRoute(t *testing.T) {
	for _, c := range []struct {
		name, ctype, body string
		api               llm.UpstreamAPI
		want              string
	}{
		{"fastapi", "application/json", `{"detail":"Not Found"}`, llm.APIAuto, llm.CodeNoResponsesRoute},
		{"go mux", "text/plain; charset=utf-8", "404 page not found\n", llm.APIAuto, llm.CodeNoResponsesRoute},
		{"ollama", "application/json", `{"error":{"message":"404 page not found","code":404,"status":"Not Found"}}`, llm.APIAuto, llm.CodeNoResponsesRoute},
		{"html", "text/html", "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>", llm.APIAuto, llm.CodeNoResponsesRoute},
		{"empty", "", "", llm.APIAuto, llm.CodeNoResponsesRoute},
		{"openai invalid url", "application/json", `{"error":{"message":"Invalid URL (POST /v1/responses)","type":"invalid_request_error","param":null,"code":null}}`, llm.APIAuto, llm.CodeNoResponsesRoute},
		{"model not found", "application/json", `{"error":{"message":"The model ` + "`o3-pro`" + ` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}`, llm.APIAuto, llm.CodeModelNotFound},
		{"api responses", "application/json", `{"detail":"Not Found"}`, llm.APIResponses, ""},
	} {
		c := c
		cl := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/responses" {
				t.Errorf("%s: sent to %s", c.name, r.URL.Path)
			}
			if c.ctype != "" {
				w.Header().Set("Content-Type", c.ctype)
			}
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, c.body)
		}), KindOpenAI, "/v1", testKey)
		req := userRequest("o3-pro", "hi")
		req.API = c.api
		_, err := cl.Stream(t.Context(), req)
		e := asLLM(t, err)
		if e.Code != c.want || e.Kind != llm.KindNotFound {
			t.Errorf("%s: kind %s code %q (%s), want code %q", c.name, e.Kind, e.Code, e.Message, c.want)
		}
	}
}
