package server

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// mediaText is adminConfig with dall-e-3 on the simulated OpenAI, priced
// by the built-in table unless price is given.
func mediaText(price string) string {
	return strings.Replace(adminConfig, "routes:\n", "  dall-e-3: {provider: openai"+price+"}\nroutes:\n", 1)
}

// A media price set through PUT /admin/config prices the next image
// from the configuration, and GET /admin/health says so; a bad one is
// refused with its field path and the running prices stay.
func TestMediaPriceChangesInPlace(t *testing.T) {
	a := newAdminRig(t, mediaText(""), nil)
	if usd := a.imageCost(); !near(usd, 0.04) {
		t.Fatalf("dall-e-3 standard 1024x1024 from the table: %g, want 0.04", usd)
	}
	if src := a.priceSource("dall-e-3"); src != "catalog" {
		t.Errorf("source before the change: %s", src)
	}
	status, body := a.put("", mediaText(`, price: {per_image: {"1024x1024/standard": 0.03}}`))
	if status != 200 {
		t.Fatalf("PUT of per_image: %d %s", status, body)
	}
	if usd := a.imageCost(); !near(usd, 0.03) {
		t.Errorf("after the change: %g, want the configured 0.03", usd)
	}
	if src := a.priceSource("dall-e-3"); src != "config+catalog" {
		t.Errorf("source after the change: %s", src)
	}
	status, body = a.put("", mediaText(`, price: {per_image: {large: 0.03}}`))
	errs := invalidErrors(t, status, body)
	if errs[0].Path != "deployments.dall-e-3.price.per_image.large" || !strings.Contains(errs[0].Problem, "is not a size") {
		t.Errorf("errors %+v", errs)
	}
	if usd := a.imageCost(); !near(usd, 0.03) {
		t.Errorf("after a refused change: %g, want 0.03 kept", usd)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// imageCost asks dall-e-3 for one image as the client and returns the
// x-switchyard-cost-usd header.
func (a *adminRig) imageCost() float64 {
	a.t.Helper()
	status, body, h := a.send("", "POST", "/v1/images/generations", `{"model":"dall-e-3","prompt":"a fox"}`,
		map[string]string{"Authorization": "Bearer client-env-SECRET", "Content-Type": "application/json"})
	if status != 200 {
		a.t.Fatalf("image: %d %s", status, body)
	}
	usd, err := strconv.ParseFloat(h.Get("x-switchyard-cost-usd"), 64)
	if err != nil {
		a.t.Fatalf("x-switchyard-cost-usd %q", h.Get("x-switchyard-cost-usd"))
	}
	return usd
}

// priceSource returns GET /admin/health's price source of dep.
func (a *adminRig) priceSource(dep string) string {
	a.t.Helper()
	status, body := a.call("view", "GET", "/admin/health", "", "")
	var h struct {
		Deployments []struct {
			Deployment string `json:"deployment"`
			Price      struct {
				Source string `json:"source"`
			} `json:"price"`
		} `json:"deployments"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &h) != nil {
		a.t.Fatalf("GET /admin/health: %d %s", status, body)
	}
	for _, d := range h.Deployments {
		if d.Deployment == dep {
			return d.Price.Source
		}
	}
	a.t.Fatalf("no %s in %s", dep, body)
	return ""
}
