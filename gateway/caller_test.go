package gateway

import (
	"context"
	"testing"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
)

func TestCallerFor(t *testing.T) {
	tests := []struct {
		name string
		key  config.Key
		want Caller
	}{
		{"plain key", config.Key{Key: "k"}, Caller{Name: "auth.keys[2]", Tenant: "auth.keys[2]", Allowed: route.AllowAll}},
		{"none", config.Key{Key: "k", Name: "bot", Overrides: []config.Override{}}, Caller{Name: "bot", Tenant: "bot"}},
		{"some", config.Key{Key: "k", Name: "bot", Tenant: "acme", Overrides: []config.Override{config.OverrideCategory, config.OverrideLatency}},
			Caller{Name: "bot", Tenant: "acme", Allowed: route.AllowCategory | route.AllowLatency}},
		{"each named", config.Key{Key: "k", Overrides: config.Overrides}, Caller{Name: "auth.keys[2]", Tenant: "auth.keys[2]", Allowed: route.AllowAll}},
	}
	for _, tt := range tests {
		if got := CallerFor(2, &tt.key); got != tt.want {
			t.Errorf("%s: CallerFor = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if got := CallerFrom(context.Background()); got != Anonymous {
		t.Errorf("CallerFrom(no caller) = %+v, want Anonymous", got)
	}
}

// A caller's allowed set decides which overrides pass, for chats, streams
// and dry runs alike; route names are always allowed.
func TestCallerOverrides(t *testing.T) {
	restricted := WithCaller(context.Background(), Caller{Name: "bot", Allowed: route.AllowCategory})
	pin := &route.Overrides{Model: "b"}
	hint := &route.Overrides{Category: llm.CategoryCode}
	tests := []struct {
		name  string
		ctx   context.Context
		model string
		ov    *route.Overrides
		param string // of the 403; "" for success
	}{
		{"route, no override", restricted, "r", nil, ""},
		{"built-in route", restricted, "auto", nil, ""},
		{"allowed override", restricted, "r", hint, ""},
		{"pin header", restricted, "r", pin, route.HeaderModel},
		{"deployment in model", restricted, "b", nil, "model"},
		{"fallback header", restricted, "r", &route.Overrides{NoFallback: true}, route.HeaderFallback},
		{"timeout header is latency", restricted, "r", &route.Overrides{TierTimeout: 1}, route.HeaderTimeout},
		{"anonymous may pin", context.Background(), "b", pin, ""},
		{"unrestricted key may pin", WithCaller(context.Background(), Caller{Name: "admin", Allowed: route.AllowAll}), "b", pin, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGateway(t, newFake(nil))
			check := func(what string, err error) {
				t.Helper()
				if tt.param == "" {
					if err != nil {
						t.Errorf("%s: %v", what, err)
					}
					return
				}
				if err == nil {
					t.Errorf("%s: no error, want a 403 naming %s", what, tt.param)
					return
				}
				e := llm.AsError(err)
				if e.HTTPStatus() != 403 || e.Code != "override_not_allowed" || e.Param != tt.param {
					t.Errorf("%s: err %v (param %q code %q), want a 403 naming %s", what, err, e.Param, e.Code, tt.param)
				}
			}
			_, err := g.Chat(tt.ctx, hello(tt.model), tt.ov, &llm.Served{})
			check("chat", err)
			s, err := g.Stream(tt.ctx, hello(tt.model), tt.ov, &llm.Served{})
			if s != nil {
				s.Close()
			}
			check("stream", err)
			_, err = g.Route(tt.ctx, hello(tt.model), tt.ov)
			check("route", err)
		})
	}
}

// Records name the caller by its key's name.
func TestRecordCarriesCaller(t *testing.T) {
	got := make(chan string, 1)
	rec := record.NewRecorder(1, record.SinkFunc(func(r *record.Record) { got <- r.Caller }))
	g := newTestGateway(t, newFake(nil))
	g.recorder = rec
	ctx := WithCaller(context.Background(), Caller{Name: "support-bot", Allowed: route.AllowAll})
	if _, err := g.Chat(ctx, hello("r"), nil, &llm.Served{}); err != nil {
		t.Fatal(err)
	}
	if err := rec.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c := <-got; c != "support-bot" {
		t.Errorf("record caller %q, want support-bot", c)
	}
}
