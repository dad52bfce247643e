package server

import (
	"context"
	"testing"

	"switchyard/config"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/route"
)

// Authentication puts the caller its key identifies in the request's
// context: the key's name (never the key), its tenant and the overrides
// it may use.
func TestAuthSetsCaller(t *testing.T) {
	keys := []config.Key{
		{Key: "admin-key"},
		{Key: "bot-key", Name: "support-bot", Tenant: "support", Overrides: []config.Override{config.OverrideCategory, config.OverrideMaxCost}},
		{Key: "ro-key", Name: "readonly", Overrides: []config.Override{}},
	}
	tests := []struct {
		name string
		opts Options
		key  string
		want gateway.Caller
	}{
		{"unnamed key, every override", Options{Keys: keys}, "admin-key", gateway.Caller{Name: "auth.keys[0]", Tenant: "auth.keys[0]", Allowed: route.AllowAll}},
		{"restricted key", Options{Keys: keys}, "bot-key", gateway.Caller{Name: "support-bot", Tenant: "support", Allowed: route.AllowCategory | route.AllowMaxCost}},
		{"no overrides", Options{Keys: keys}, "ro-key", gateway.Caller{Name: "readonly", Tenant: "readonly"}},
		{"demo mode", Options{Keys: keys, AnyKey: true}, "bot-key", gateway.Anonymous},
		{"no keys configured", Options{}, "bot-key", gateway.Anonymous},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got gateway.Caller
			s := newServer(&backend{ChatFunc: func(ctx context.Context, _ *llm.Request) (*llm.Response, error) {
				got = gateway.CallerFrom(ctx)
				return answer("ok"), nil
			}}, tt.opts)
			w := do(s, "POST", "/v1/chat/completions", chatBody, map[string]string{"Authorization": "Bearer " + tt.key})
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if got != tt.want {
				t.Errorf("caller %+v, want %+v", got, tt.want)
			}
		})
	}
}
