package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// reportConfig is a config whose route auto splits code between strong
// and cheap and prefers strong for extraction.
const reportConfig = `# the test router
providers:
  local: {kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: sk-x}
deployments:
  strong: {provider: local, model: gpt-4o, price: {input: 2.5, output: 10}}
  cheap: {provider: local, model: gpt-4o-mini, price: {input: 0.15, output: 0.6}}
store: {driver: sqlite, path: STORE}
routes:
  auto:
    deployments: [strong, cheap]   # the acceptable set
    categories:
      code:
        split: {strong: 80, cheap: 20}
        strategy: best             # the best first
      extraction:
        prefer: [strong]
    rules:
      - name: long-to-strong
        when: {min_prompt_tokens: 8000}
        prefer: [strong]
`

// reportStore writes rated requests of route auto: on code cheap ($0.01)
// is as good as strong ($0.05); on extraction as good on small prompts
// and worse on large ones; on factual worse.
func reportStore(t *testing.T) string {
	t.Helper()
	path := t.TempDir() + "/requests.db"
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id := 0
	add := func(cat llm.Category, dep string, n, up int, cost float64, prompt int) {
		var reqs []*store.Request
		var fb []*store.Feedback
		for i := range n {
			r := storetest.Sample(id)
			id++
			r.Category, r.Deployment, r.CostUSD, r.Tokens.Prompt = cat, dep, cost, prompt
			reqs = append(reqs, r)
			fb = append(fb, &store.Feedback{RequestID: r.ID, Tenant: r.Tenant, Time: storetest.Base.Add(time.Minute),
				Kind: store.KindExplicit, Value: float64(min(1, max(0, up-i)))})
		}
		if err := db.Write(context.Background(), reqs); err != nil {
			t.Fatal(err)
		}
		if err := db.WriteFeedback(context.Background(), fb); err != nil {
			t.Fatal(err)
		}
	}
	add(llm.CategoryCode, "strong", 40, 32, 0.05, 500)
	add(llm.CategoryCode, "cheap", 40, 32, 0.01, 500)
	add(llm.CategoryExtraction, "strong", 40, 32, 0.04, 500)
	add(llm.CategoryExtraction, "strong", 20, 16, 0.04, 3000)
	add(llm.CategoryExtraction, "cheap", 40, 32, 0.008, 500)
	add(llm.CategoryExtraction, "cheap", 15, 3, 0.008, 3000)
	add(llm.CategoryFactual, "strong", 40, 36, 0.05, 500)
	add(llm.CategoryFactual, "cheap", 40, 20, 0.01, 500)
	return path
}

func TestReportCommand(t *testing.T) {
	dbPath := reportStore(t)
	dir := t.TempDir()
	cfgPath, outPath := dir+"/switchyard.yaml", dir+"/proposed.yaml"
	if err := writeFile(cfgPath, strings.Replace(reportConfig, "STORE", dbPath, 1)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("report", "--config", cfgPath, "--since", "2026-03-01", "--apply", outPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"SATISFACTION (95%)",
		"auto/code: cheap handles 100% of code requests as well as strong",
		"auto/extraction: cheap handles 70% of extraction requests as well as strong",
		"the other 30% (prompts over 2000 tokens) need strong",
		"routes.auto.categories.code.prefer: [cheap]",
		"set routes.auto.categories.code.prefer: [cheap] (its split removed",
		"set routes.auto.categories.extraction.prefer: [cheap, strong]",
		"added to routes.auto.rules: {name: large-extraction-to-strong",
		"wrote " + outPath,
		"Savings against each route's reference deployment.",
		"An estimate: each request's recorded tokens priced at the reference deployment's prices.",
		"ROUTE  REFERENCE         REQUESTS  COUNTED  ACTUAL",
		// The fixture's costs are not its tokens' price: routing "lost".
		"auto   strong (default)  275       220      $6.11   $0.82692      -$5.29 (-639.1%)  lower",
		"TOTAL                    275       220      $6.11   $0.82692      -$5.29 (-639.1%)",
		"• auto: reference strong: the route's most expensive deployment with a known price",
		"    quality: dropped: the others' satisfaction, 0.64 [0.56, 0.72] over 135 outcomes, is below strong's 0.83 [0.76, 0.88] over 140 outcomes",
		"    left out: 55 with an attempt of unknown price; 32 counted with estimated tokens",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "auto/factual: cheap handles") {
		t.Errorf("factual recommended, where cheap is worse:\n%s", out)
	}
	checkProposed(t, outPath)
	// --reference prices the savings at another deployment.
	code, out, errOut = runCLI("report", "--config", cfgPath, "--since", "2026-03-01", "--reference", "auto=cheap", "--json")
	var rep admin.ReportView
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("--reference --json: exit %d, %v: %s%s", code, err, out, errOut)
	}
	if sv := rep.Savings; sv == nil || len(sv.Routes) != 1 || *sv.Routes[0].Reference != "cheap" || sv.Routes[0].ReferenceSource != "override" {
		t.Errorf("--reference auto=cheap: savings %+v", sv)
	}
	// The config itself is unchanged.
	if b, _ := os.ReadFile(cfgPath); !strings.Contains(string(b), "split: {strong: 80, cheap: 20}") {
		t.Errorf("--apply changed the config it read:\n%s", b)
	}
}

// checkProposed checks the config --apply wrote: it parses, has the
// changes, and keeps the comments.
func checkProposed(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(b, os.LookupEnv)
	if err != nil {
		t.Fatalf("the proposed config does not parse: %v\n%s", err, b)
	}
	auto := cfg.Routes["auto"]
	code, extraction := auto.Categories[llm.CategoryCode], auto.Categories[llm.CategoryExtraction]
	if !slices.Equal(code.Prefer, []string{"cheap"}) || code.Split != nil || code.Strategy != config.StrategyBest ||
		!slices.Equal(extraction.Prefer, []string{"cheap", "strong"}) {
		t.Errorf("categories: code %+v, extraction %+v\n%s", code, extraction, b)
	}
	if len(auto.Rules) != 2 || auto.Rules[1].Name != "large-extraction-to-strong" || auto.Rules[1].When.MinPromptTokens != 2001 ||
		!slices.Equal(auto.Rules[1].Prefer, []string{"strong"}) || !slices.Equal(auto.Rules[1].When.Categories, []llm.Category{llm.CategoryExtraction}) {
		t.Errorf("rules = %+v\n%s", auto.Rules, b)
	}
	for _, comment := range []string{"# the test router", "# the acceptable set", "# the best first", "        prefer: [cheap]\n"} {
		if !strings.Contains(string(b), comment) {
			t.Errorf("comment %q lost:\n%s", comment, b)
		}
	}
}

// With too few outcomes nothing is recommended, and --json prints the
// admin API's view.
func TestReportCommandTooFewOutcomes(t *testing.T) {
	dbPath := reportStore(t)
	code, out, errOut := runCLI("report", "--store", dbPath, "--since", "2026-03-01", "--min-outcomes", "100", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep admin.ReportView
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(rep.Rows) != 6 || len(rep.Recommendations) != 0 || len(rep.Notes) != 3 || rep.MinOutcomes != 100 || rep.Savings != nil {
		t.Errorf("report = %+v", rep)
	}
	if code, _, errOut := runCLI("report", "--store", dbPath, "--reference", "cheap"); code != 2 || !strings.Contains(errOut, "--reference needs --config") {
		t.Errorf("--reference without --config: exit %d, %s", code, errOut)
	}
	if _, out, _ := runCLI("report", "--store", dbPath); !strings.Contains(out, "Savings: not computed — they need the configuration") {
		t.Errorf("the table without --config does not say why it has no savings:\n%s", out)
	}
	if code, _, errOut := runCLI("report", "--store", dbPath, "--apply", "x.yaml"); code != 2 || !strings.Contains(errOut, "--apply needs --config") {
		t.Errorf("--apply without --config: exit %d, %s", code, errOut)
	}
}

// A change creates the keys the config lacks, and skips a route the
// config does not have.
func TestApplyCreatesKeys(t *testing.T) {
	dir := t.TempDir()
	src, dst := dir+"/in.yaml", dir+"/out.yaml"
	cfgText := "providers: {local: {kind: openai, base_url: \"http://127.0.0.1:9/v1\", api_key: sk-x}}\n" +
		"deployments: {strong: {provider: local, model: gpt-4o}, cheap: {provider: local, model: gpt-4o-mini}}\n" +
		"routes:\n  auto:\n    deployments: [strong, cheap]  # both\n"
	if err := writeFile(src, cfgText); err != nil {
		t.Fatal(err)
	}
	recs := []admin.RecommendationView{{Changes: []admin.ChangeView{
		{Path: []string{"routes", "auto", "categories", "code", "prefer"}, Value: []any{"cheap"}},
		{Path: []string{"routes", "auto", "rules"}, Append: true, Value: map[string]any{
			"name": "large-code-to-strong", "when": map[string]any{"category": "code", "min_prompt_tokens": 2001}, "prefer": []any{"strong"}}},
		{Path: []string{"routes", "gone", "categories", "code", "prefer"}, Value: []any{"cheap"}},
	}}}
	var out strings.Builder
	if err := applyReport(src, dst, recs, &out); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(dst)
	cfg, err := config.Parse(b, os.LookupEnv)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	auto := cfg.Routes["auto"]
	if c := auto.Categories[llm.CategoryCode]; c == nil || !slices.Equal(c.Prefer, []string{"cheap"}) ||
		len(auto.Rules) != 1 || auto.Rules[0].When.MinPromptTokens != 2001 || !strings.Contains(string(b), "# both") {
		t.Errorf("proposed config:\n%s", b)
	}
	if !strings.Contains(out.String(), `skipped routes.gone.categories.code.prefer: the config has no route "gone"`) ||
		!strings.Contains(out.String(), "with 2 change(s)") {
		t.Errorf("output:\n%s", out.String())
	}
}

// Against a running router the report is GET /admin/report's.
func TestReportFromRouter(t *testing.T) {
	db, err := sqlite.Open(context.Background(), reportStore(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mux := http.NewServeMux()
	(&admin.Handler{Store: db}).Mount(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(admin.WithPrincipal(r.Context(), admin.Unscoped("test"))))
	}))
	defer srv.Close()
	code, out, errOut := runCLI("report", "--url", srv.URL, "--since", "2026-03-01")
	if code != 0 || !strings.Contains(out, "auto/code: cheap handles 100% of code requests") ||
		!strings.Contains(out, "auto/extraction: cheap handles 70%") || strings.Contains(out, "auto/factual: cheap handles") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI("report", "--url", srv.URL, "--min-outcomes", "x"); code != 2 || !strings.Contains(errOut, "switchyard report: the router answered 400: Invalid query parameter min_outcomes") {
		t.Errorf("a bad parameter: exit %d, %s", code, errOut)
	}
}
