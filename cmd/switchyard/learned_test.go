package main

import (
	"bytes"
	"strings"
	"testing"

	"switchyard/learn/offline/offlinetest"
)

// learnedRouteConfig has a route whose learned section maps mini to the
// model named MODEL in router.bin (next to the config file).
const learnedRouteConfig = `providers:
  local: {kind: openai, base_url: "http://127.0.0.1:9/v1"}
deployments:
  mini: {provider: local, model: gpt-4o-mini}
  big: {provider: local, model: gpt-4o}
routes:
  qa:
    deployments: [mini, big]
    strategy: best
    learned:
      model: router.bin
      deployments: {mini: MODEL, big: quizzer}
`

// config check reads the model file a route's learned section names,
// relative to the config's directory, and reports a missing file or an
// unknown model name at its line; route explain shows the predictions.
func TestConfigCheckReadsTheLearnedModel(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(t.TempDir()) // the model path is relative to the config file, not here
	cfg := dir + "/switchyard.yaml"
	if err := writeFile(cfg, strings.Replace(learnedRouteConfig, "MODEL", "coder", 1)); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"config", "check", cfg}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), cfg+":11:14: routes.qa.learned.model: cannot use the model file: offline: open "+dir+"/router.bin") {
		t.Fatalf("config check without the file: exit %d:\n%s", code, errOut.String())
	}
	offlinetest.FitFile(t, dir)
	out.Reset()
	errOut.Reset()
	if code := run([]string{"config", "check", cfg}, &out, &errOut); code != 0 {
		t.Fatalf("config check: exit %d:\n%s", code, errOut.String())
	}
	out.Reset()
	if code := run([]string{"route", "explain", "--config", cfg, "--model", "qa", offlinetest.CodePrompt(123)}, &out, &errOut); code != 0 {
		t.Fatalf("route explain: exit %d:\n%s", code, errOut.String())
	}
	if s := out.String(); !strings.Contains(s, "learned:   model router.bin, weight 1") || strings.Count(s, "learned model: p(good)=") != 2 ||
		!strings.Contains(s, "    mini  score") {
		t.Errorf("route explain:\n%s", s)
	}
	if err := writeFile(cfg, strings.Replace(learnedRouteConfig, "MODEL", "cooder", 1)); err != nil {
		t.Fatal(err)
	}
	errOut.Reset()
	if code := run([]string{"config", "check", cfg}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), cfg+`:12:27: routes.qa.learned.deployments.mini: model "cooder" is not in router.bin (did you mean "coder"?`) {
		t.Errorf("config check with an unknown model: exit %d:\n%s", code, errOut.String())
	}
}
