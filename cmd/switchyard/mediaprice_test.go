package main

import (
	"bytes"
	"strings"
	"testing"
)

// mediaPriceConfig has media deployments of models the built-in table
// does not price: two with their prices configured, one without.
const mediaPriceConfig = `providers:
  local: {kind: openai, base_url: "http://127.0.0.1:9/v1"}
deployments:
  img15: {provider: local, model: gpt-image-1.5, capabilities: [images], price: {per_image: {"1024x1024/standard": 0.04, "1024x1024/hd": 0.08}}}
  mini-tts: {provider: local, model: gpt-4o-mini-tts, price: {per_character: 0.000012}}
  flux: {provider: local, model: flux-pro, capabilities: [images]}
`

// config check warns only of the media deployment without a price, and
// names the key that would price it; a bad media price is an error.
func TestConfigCheckMediaPrices(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := writeFile("switchyard.yaml", mediaPriceConfig); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"config", "check", "switchyard.yaml"}, &out, &errOut); code != 0 {
		t.Fatalf("config check exit %d: %s", code, errOut.String())
	}
	s := out.String()
	if !strings.Contains(s, "warning: deployments.flux: cost unknown") || !strings.Contains(s, "price.per_image") ||
		strings.Contains(s, "deployments.img15") || strings.Contains(s, "deployments.mini-tts") {
		t.Errorf("config check output:\n%s", s)
	}
	if err := writeFile("switchyard.yaml", strings.Replace(mediaPriceConfig, "0.000012", "-1", 1)); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errOut.Reset()
	if code := run([]string{"config", "check", "switchyard.yaml"}, &out, &errOut); code == 0 ||
		!strings.Contains(out.String()+errOut.String(), "deployments.mini-tts.price.per_character") {
		t.Errorf("config check of a negative per_character: exit %d\n%s%s", code, out.String(), errOut.String())
	}
}
