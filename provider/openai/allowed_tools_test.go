package openai

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/provider"
)

// An allowed_tools choice goes as sent to Azure's v1 routes (and
// api.openai.com); another host, and Azure's dated api-versions, get the
// allowed tools alone and the mode.
func TestAllowedToolsByHost(t *testing.T) {
	for _, tt := range []struct {
		kind, path, want string
		tools            int
	}{
		{KindAzure, "/openai/v1", `"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"b"}}]}}`, 2},
		{KindAzure, "", `"tool_choice":"auto"`, 1},
		{KindOpenAI, "", `"tool_choice":"auto"`, 1},
	} {
		rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: stoppedStream}
		srv := httptest.NewServer(rec)
		c := newClient(t, provider.Config{Kind: tt.kind, BaseURL: srv.URL + tt.path, APIKey: testKey})
		req := userRequest("m", "hi")
		req.Tools = []llm.Tool{{Type: "function", Name: "a"}, {Type: "function", Name: "b"}}
		req.ToolChoice = &llm.ToolChoice{Mode: llm.ToolChoiceAuto, Allowed: []string{"b"}}
		if _, err := llmtest.Complete(context.Background(), c, req); err != nil {
			t.Fatal(err)
		}
		_, body := rec.last(t)
		if !strings.Contains(body, tt.want) || strings.Count(body, `"type":"function","function":{"name":`)-strings.Count(tt.want, `"function":{"name":`) != tt.tools {
			t.Errorf("%s%s: body %s", tt.kind, tt.path, body)
		}
		srv.Close()
	}
	if c, _ := New(provider.Config{Kind: KindOpenAI}); !c.allowedTools {
		t.Error("api.openai.com is not sent allowed_tools")
	}
}
