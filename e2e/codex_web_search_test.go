package e2e

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
)

// TestCodexCLIWebSearch runs the Codex CLI with its web search at its
// default — OpenAI's web_search declared beside its function tools on
// every request — on routes whose one deployment cannot run it (Azure on
// its deployment routes; Gemini 2.5, which refuses search beside function
// tools) and that set hosted_tools drop_optional, over HTTP and WebSocket
// mode: the one-shot prompt and the tool loop are answered as with web
// search disabled (TestCodexCLI), each request served with web_search
// left out (the record's plan names it). On a route with the OpenAI
// deployment too, listed last, the requests go to it, search and all.
func TestCodexCLIWebSearch(t *testing.T) {
	t.Parallel()
	bin := codexOrSkip(t)
	edit := func(c *config.Config) {
		for _, dep := range []string{"azure-gpt-4o-mini", "gemini-2.5-flash"} {
			c.Routes["codex-"+dep] = &config.Route{Name: "codex-" + dep, Deployments: []string{dep}, HostedTools: config.HostedToolsDropOptional}
		}
		c.Routes["codex-openai-last"] = &config.Route{Name: "codex-openai-last", Deployments: []string{"azure-gpt-4o-mini", "gpt-4o-mini"},
			HostedTools: config.HostedToolsDropOptional, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	}
	for _, ws := range []bool{false, true} {
		for _, tc := range []struct {
			route, dep string
			dropped    llm.HostedKinds
		}{
			{"codex-azure-gpt-4o-mini", "azure-gpt-4o-mini", llm.HostedWebSearch},
			{"codex-gemini-2.5-flash", "gemini-2.5-flash", llm.HostedWebSearch},
			{"codex-openai-last", "gpt-4o-mini", 0},
		} {
			t.Run(map[bool]string{false: "http/", true: "websocket/"}[ws]+tc.route, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t, edit)
				proxy := newEgressProxy(t, e.URL)
				requests := 2
				if !ws {
					codexAnswer(t, runCodexSearch(t, bin, e.URL, proxy, ws, true, tc.route, "Say hello"))
					requests++
				}
				answer := codexAnswer(t, runCodexSearch(t, bin, e.URL, proxy, ws, true, tc.route, "Call exec_command to list the files"))
				if !strings.Contains(answer, "failed to parse function arguments") {
					t.Errorf("tool loop answer %q does not quote the tool's result", answer)
				}
				served := func(r record.Record) bool { return r.Status == http.StatusOK }
				got, recs := e.recordedWhere(t, requests, served)
				if got != requests || len(recs) != requests {
					t.Errorf("%d requests served of %d, want %d", got, len(recs), requests)
				}
				for _, r := range recs {
					if r.Deployment != tc.dep || r.Plan == nil || len(r.Plan.Tiers) == 0 {
						t.Errorf("a request answered %d by %q, plan %v: want %s", r.Status, r.Deployment, r.Plan, tc.dep)
						continue
					}
					if c := r.Plan.Tiers[0].Candidates[0]; c.DroppedHosted != tc.dropped {
						t.Errorf("request served by %s without %q, want without %q", c.Deployment.Name, c.DroppedHosted, tc.dropped)
					}
				}
				if _, refused := proxy.take(); len(refused) > 0 {
					t.Errorf("the Codex CLI asked its proxy for %v: it may reach only the router", refused)
				}
			})
		}
	}
}

// TestCodexCLIWebSearchResumed runs a Codex CLI session whose first turn
// the OpenAI deployment served, its web search and all, then resumes it
// (codex exec resume --last) on a route of Azure's deployment routes
// with hosted_tools drop_optional: the CLI sends the first turn's
// web_search_call back with its history, and the second turn is answered
// without the search, its call left out of what Azure is sent.
func TestCodexCLIWebSearchResumed(t *testing.T) {
	t.Parallel()
	bin := codexOrSkip(t)
	e := newEnv(t, func(c *config.Config) {
		c.Routes["codex-azure"] = &config.Route{Name: "codex-azure", Deployments: []string{"azure-gpt-4o-mini"}, HostedTools: config.HostedToolsDropOptional}
	})
	proxy := newEgressProxy(t, e.URL)
	_, work, env := codexSetup(t, e.URL, proxy, false, true)
	first := jsonLines[codexEvent](t, "codex exec", runAgentCLI(t, "codex exec -m gpt-4o-mini", work, env, bin,
		"exec", "--json", "--skip-git-repo-check", "-m", "gpt-4o-mini", "What is the weather in Paris today?"))
	searched := false
	for _, ev := range first {
		searched = searched || ev.Item.Type == "web_search"
	}
	codexAnswer(t, first)
	next := jsonLines[codexEvent](t, "codex exec resume", runAgentCLI(t, "codex exec resume --last -m codex-azure", work, env, bin,
		"exec", "resume", "--last", "--json", "--skip-git-repo-check", "-m", "codex-azure", "And tomorrow?"))
	codexAnswer(t, slices.DeleteFunc(next, func(ev codexEvent) bool { // the CLI's notice of the model changed, not an error of the turn
		return ev.Item.Type == "error" && strings.HasPrefix(ev.Item.Message, "This session was recorded with model")
	}))
	served := func(r record.Record) bool { return r.Status == http.StatusOK }
	_, recs := e.recordedWhere(t, 2, served)
	if len(recs) != 2 || recs[0].Deployment != "gpt-4o-mini" || recs[1].Deployment != "azure-gpt-4o-mini" || recs[1].Plan == nil ||
		recs[1].Plan.Tiers[0].Candidates[0].DroppedHosted != llm.HostedWebSearch {
		t.Errorf("records %+v, want gpt-4o-mini then azure-gpt-4o-mini without web_search", recs)
	}
	if !searched {
		t.Errorf("the first turn ran no web search: %+v", first)
	}
	if _, refused := proxy.take(); len(refused) > 0 {
		t.Errorf("the Codex CLI asked its proxy for %v: it may reach only the router", refused)
	}
}
