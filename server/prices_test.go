package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/demo"
)

// The router exports each deployment's price state: every demo
// deployment has a known price, and one without a price is 0 in
// switchyard_deployment_price_known and "unknown" in /admin/health.
func TestRouterExportsPriceState(t *testing.T) {
	cfg := demo.Config("127.0.0.1:1", "")
	cfg.Deployments["mystery"] = &config.Deployment{Name: "mystery", Provider: "openai", Model: "llama3"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter(cfg, RouterOptions{Demo: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(context.Background())
	m := httptest.NewRecorder()
	r.ServeHTTP(m, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/metrics", nil))
	for _, name := range cfg.DeploymentNames() {
		want := `switchyard_deployment_price_known{deployment="` + name + `"} 1`
		if name == "mystery" {
			want = `switchyard_deployment_price_known{deployment="mystery"} 0`
		}
		if !strings.Contains(m.Body.String(), want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	h := httptest.NewRecorder()
	r.ServeHTTP(h, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/admin/health", nil))
	var out struct {
		Deployments []struct {
			Deployment string `json:"deployment"`
			Price      struct {
				Known  bool   `json:"known"`
				Source string `json:"source"`
			} `json:"price"`
		} `json:"deployments"`
	}
	if err := json.Unmarshal(h.Body.Bytes(), &out); err != nil || len(out.Deployments) != len(cfg.Deployments) {
		t.Fatalf("%v %s", err, h.Body)
	}
	for _, d := range out.Deployments {
		if d.Price.Known == (d.Deployment == "mystery") || d.Price.Source == "" {
			t.Errorf("%s: price %+v", d.Deployment, d.Price)
		}
	}
}
