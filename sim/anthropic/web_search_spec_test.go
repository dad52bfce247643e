package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/sim"
)

// A malformed web search tool is refused in the API's words, at the
// tool's member; a well-formed one with domains and a location runs.
func TestSimWebSearchToolSpec(t *testing.T) {
	c, _ := sdkClient(t)
	params := serverToolsParams("latest Go release", true)
	for _, tt := range []struct{ tool, want string }{
		{`{"type":"web_search_20250305","name":"web_search","filters":{"allowed_domains":["go.dev"]}}`, "tools.0.web_search_20250305.filters: Extra inputs are not permitted"},
		{`{"type":"web_search_20250305","name":"web_search","allowed_domains":[]}`, "tools.0.web_search_20250305.allowed_domains: Empty list of domains is ambiguous. Provide at least one domain or null."},
		{`{"type":"web_search_20250305","name":"web_search","allowed_domains":["go.dev"],"blocked_domains":["x.com"]}`, "Cannot specify both allowed_domains and blocked_domains"},
		{`{"type":"web_search_20250305","name":"web_search","max_uses":0}`, "tools.0.web_search_20250305.max_uses: Input should be greater than 0"},
		{`{"type":"web_search_20250305","name":"web_search","user_location":{"city":"Paris"}}`, "tools.0.web_search_20250305.user_location.type: Input should be 'approximate'"},
		{`{"type":"web_search_20250305","name":"web_search","user_location":{"type":"approximate","approximate":{"city":"Paris"}}}`, "tools.0.web_search_20250305.user_location.approximate: Extra inputs are not permitted"},
	} {
		_, err := c.Messages.New(context.Background(), params, option.WithJSONSet("tools", []any{json.RawMessage(tt.tool)}))
		var apiErr *sdk.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.tool, err, tt.want)
		}
	}
	ok := `{"type":"web_search_20250305","name":"web_search","allowed_domains":["go.dev"],"user_location":{"type":"approximate","city":"Paris","country":"FR"}}`
	if _, err := c.Messages.New(context.Background(), params, option.WithJSONSet("tools", []any{json.RawMessage(ok)})); err != nil {
		t.Errorf("a well-formed tool: %v", err)
	}
}

// A model without the web search tool (Claude 3 Haiku, the first 3.5
// Sonnet) refuses it with a 400 in the API's words; Claude 3.5 Haiku
// runs it.
func TestSimWebSearchModel(t *testing.T) {
	var ps []sim.Profile
	for _, m := range []string{"claude-3-haiku-20240307", "claude-3-5-sonnet-20240620", "claude-3-5-haiku-20241022"} {
		ps = append(ps, sim.Profile{Model: m, MaxOutputTokens: 4096})
	}
	srv := httptest.NewServer(New(sim.NewCatalog(ps...), &sim.Faults{}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	body := func(model, typ string) string {
		return `{"model":"` + model + `","max_tokens":50,"tools":[{"type":"` + typ + `","name":"web_search"}],"messages":[{"role":"user","content":"latest Go release"}]}`
	}
	for _, tc := range []struct{ model, typ string }{
		{"claude-3-haiku-20240307", "web_search_20250305"},
		{"claude-3-5-sonnet-20240620", "web_search_20250305"},
	} {
		resp := post(t, srv, "/v1/messages", body(tc.model, tc.typ))
		b, _ := io.ReadAll(resp.Body)
		want := `{"type":"error","error":{"type":"invalid_request_error","message":"tool type '` + tc.typ + `' is not supported for this model"}`
		if resp.StatusCode != 400 || !strings.HasPrefix(string(b), want) {
			t.Errorf("%s: %d %s", tc.model, resp.StatusCode, b)
		}
	}
	resp := post(t, srv, "/v1/messages", body("claude-3-5-haiku-20241022", "web_search_20250305"))
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 {
		t.Errorf("claude-3-5-haiku: %d %s", resp.StatusCode, b)
	}
}
