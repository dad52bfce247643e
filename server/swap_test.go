package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
	"switchyard/reload"
	"switchyard/store"
)

// heldUpstream is an OpenAI-compatible upstream whose streams send one
// chunk, then wait for release before they finish.
func heldUpstream(t *testing.T, release <-chan struct{}) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		chunk := func(delta, finish string) {
			fmt.Fprintf(w, `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"held","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}`+"\n\n", delta, finish)
			w.(http.Flusher).Flush()
		}
		chunk(`{"role":"assistant","content":"Hello"}`, "null")
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		chunk(`{"content":" world"}`, "null")
		chunk(`{}`, `"stop"`)
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSwapKeepsInFlightRequests: a stream started before a change ends on
// the configuration it started with, whole, while requests after the
// change already use the new one; the old configuration is let go only
// once its last request ended.
func TestSwapKeepsInFlightRequests(t *testing.T) {
	release := make(chan struct{})
	held := heldUpstream(t, release)
	text := strings.Replace(adminConfig, "deployments:\n", "  held: {kind: openai, base_url: \"${HELD_URL}\", api_key: \"${CLIENT_KEY}\"}\ndeployments:\n  held-model: {provider: held, price: {input: 1, output: 1}}\n", 1)
	a := newAdminRig(t, text, map[string]string{"HELD_URL": held.URL + "/v1"})

	req, _ := http.NewRequest("POST", a.url+"/v1/chat/completions",
		strings.NewReader(`{"model":"held-model","stream":true,"messages":[{"role":"user","content":"Say hello"}]}`))
	req.Header.Set("Authorization", "Bearer client-env-SECRET")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	if line, err := rd.ReadString('\n'); err != nil || !strings.Contains(line, "Hello") {
		t.Fatalf("the stream did not start: %q %v", line, err)
	}

	// Remove the deployment and its provider while the stream is held.
	v := a.running()
	without := strings.Replace(v.YAML, "  held: {kind: openai, base_url: \"${HELD_URL}\", api_key: \"${CLIENT_KEY}\"}\n", "", 1)
	without = strings.Replace(without, "  held-model: {provider: held, price: {input: 1, output: 1}}\n", "", 1)
	if status, body := a.put("", without); status != 200 {
		t.Fatalf("PUT: %d %s", status, body)
	}
	if status, _ := a.chat("held-model"); status != 404 {
		t.Errorf("a request after the change asks for the removed deployment: %d; want 404", status)
	}
	if status, dep := a.chat("chat"); status != 200 || dep != "gpt-4o-mini" {
		t.Errorf("a request after the change: %d %s", status, dep)
	}
	if !a.healthLists("held-model") {
		t.Error("the old configuration was let go while its stream was in flight")
	}

	close(release)
	rest, err := io.ReadAll(rd)
	if err != nil || !strings.Contains(string(rest), " world") || !strings.HasSuffix(strings.TrimSpace(string(rest)), "data: [DONE]") {
		t.Fatalf("the in-flight stream did not end whole: %v\n%s", err, rest)
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.healthLists("held-model") {
		if time.Now().After(deadline) {
			t.Fatal("the old configuration was never let go after its last request")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// healthLists reports whether GET /admin/health lists dep.
func (a *adminRig) healthLists(dep string) bool {
	a.t.Helper()
	_, body := a.call("view", "GET", "/admin/health", "", "")
	return strings.Contains(body, `"deployment": "`+dep+`"`)
}

// TestDryRunReplaysTheLog: a dry run replays the logged requests through
// the running policy and the new one, and reports what moves and what it
// costs, changing nothing.
func TestDryRunReplaysTheLog(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	const n = 6
	for range n {
		if status, dep := a.chat("chat"); status != 200 || dep != "gpt-4o-mini" {
			t.Fatalf("chat: %d %s", status, dep)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, err := a.store.List(context.Background(), store.AllTenants(), store.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Requests) == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d rows logged; want %d", len(p.Requests), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	base := a.running().YAML
	dear := strings.Replace(base, "[gpt-4o-mini, gpt-4o], strategy: cheapest", "[gpt-4o-mini, gpt-4o], strategy: ordered, categories: {factual: {deployments: [gpt-4o]}}", 1)
	status, body := a.put("?dry_run=true&last=100", dear)
	var dr reload.DryRun
	if status != 200 || json.Unmarshal([]byte(body), &dr) != nil || dr.Replay == nil {
		t.Fatalf("dry run: %d %s", status, body)
	}
	r := dr.Replay
	if r.Requests != n || r.Moved != n || r.DiffersFromLog != 0 || len(r.Moves) != 1 || r.Moves[0].From != "gpt-4o-mini" ||
		r.Moves[0].To != "gpt-4o" || r.Moves[0].Requests != n || len(r.Moves[0].Examples) != 5 {
		t.Errorf("replay: %s", body)
	}
	if !(r.Cost.AfterUSD > 10*r.Cost.BeforeUSD) || r.Cost.ChangeUSD <= 0 || r.Cost.Unknown != 0 {
		t.Errorf("cost: %+v; gpt-4o costs over 16 times gpt-4o-mini", r.Cost)
	}
	// A change that removes the route: the requests would be refused.
	gone := strings.Replace(base, "  chat: {deployments: [gpt-4o-mini, gpt-4o], strategy: cheapest}\n", "  other: {deployments: [gpt-4o]}\n", 1)
	status, body = a.put("?dry_run=1", gone)
	if status != 200 || json.Unmarshal([]byte(body), &dr) != nil || dr.Replay.Refused != n || len(dr.Replay.Refusals) != 1 || dr.Replay.Refusals[0].Route != "chat" {
		t.Errorf("dry run removing the route: %d %s", status, body)
	}
	// A dry run of an invalid text is refused as PUT refuses it.
	status, body = a.put("?dry_run=1", strings.Replace(base, "strategy: cheapest", "strategy: cheapst", 1))
	invalidErrors(t, status, body)
	if v := a.running(); v.Version != 1 {
		t.Errorf("a dry run changed the version to %d", v.Version)
	}
	for _, e := range a.audit() {
		if e.Action != "config.start" {
			t.Errorf("a dry run was audited as a change: %+v", e)
		}
	}
}

// TestReloadFromFile: the file read again is validated, versioned and
// audited as a change through the API; a bad file is refused and the
// running configuration kept; the file may change its security section.
func TestReloadFromFile(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	ctx := context.Background()
	write := func(text string) {
		t.Helper()
		if err := writeFile(a.path, text); err != nil {
			t.Fatal(err)
		}
	}
	write(strings.Replace(adminConfig, "routes:\n", "routes:\n  fast: {deployments: [gpt-4o]}\n", 1))
	res, err := a.r.Config.ReloadFile(ctx)
	if err != nil || res.Version != 2 || !res.Changed {
		t.Fatalf("reload: %+v %v", res, err)
	}
	if status, dep := a.chat("fast"); status != 200 || dep != "gpt-4o" {
		t.Errorf("after the reload: fast = %d %s", status, dep)
	}
	// A bad file: refused, positioned, audited; the running one stays.
	write(strings.Replace(adminConfig, "strategy: cheapest", "strategy: cheapst", 1))
	_, err = a.r.Config.ReloadFile(ctx)
	var inv *reload.Invalid
	if !errorsAs(err, &inv) || !strings.Contains(err.Error(), a.path+":20:") {
		t.Fatalf("reload of a bad file: %v", err)
	}
	if status, _ := a.chat("fast"); status != 200 {
		t.Error("a refused file changed the running configuration")
	}
	// The file's allowlist no longer has the providers' host: refused.
	write(strings.Replace(adminConfig, "upstream_hosts: [127.0.0.1]", "upstream_hosts: [api.openai.com]", 1))
	if _, err := a.r.Config.ReloadFile(ctx); err == nil || !strings.Contains(err.Error(), `providers.openai.base_url: host "127.0.0.1"`) {
		t.Errorf("reload off the allowlist: %v", err)
	}
	// The file may widen its own security section.
	write(strings.Replace(adminConfig, "upstream_hosts: [127.0.0.1]", "upstream_hosts: [127.0.0.1, api.openai.com]", 1))
	if res, err := a.r.Config.ReloadFile(ctx); err != nil || res.Version != 3 {
		t.Errorf("reload with a wider allowlist: %+v %v", res, err)
	}
	status, body := a.call("adm", "GET", "/admin/audit?action=config.reload", "", "")
	var list admin.AuditList
	if status != 200 || json.Unmarshal([]byte(body), &list) != nil {
		t.Fatalf("audit: %d %s", status, body)
	}
	var outcomes []string
	for _, e := range list.Data {
		outcomes = append(outcomes, e.Outcome)
		if e.Actor != "file" {
			t.Errorf("a reload's actor is %q; want file", e.Actor)
		}
	}
	if got := strings.Join(outcomes, " "); got != "ok refused refused ok" {
		t.Errorf("reloads audited: %s; want ok refused refused ok (newest first)", got)
	}
	noSecrets(t, "the audit trail", body)
}

// TestWatchAppliesTheFile: with a watch, a change of the file is applied
// without a signal; a bad file is refused once, not at every check.
func TestWatchAppliesTheFile(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.r.Config.Watch(ctx, 5*time.Millisecond) }()
	defer func() { cancel(); <-done }()
	if err := writeFile(a.path, strings.Replace(adminConfig, "routes:\n", "routes:\n  fast: {deployments: [gpt-4o]}\n", 1)); err != nil {
		t.Fatal(err)
	}
	waitVersion(t, a, 2)
	if err := writeFile(a.path, "providers: [\n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		changed, err := a.r.Config.FileChanged()
		if err == nil && !changed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the watch never read the bad file")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if v := a.running(); v.Version != 2 {
		t.Errorf("a bad file changed the version to %d", v.Version)
	}
}

func waitVersion(t *testing.T, a *adminRig, want int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for a.running().Version != want {
		if time.Now().After(deadline) {
			t.Fatalf("version %d never came", want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// BenchmarkConfigChange is the time PUT /admin/config takes to validate,
// build, store (SQLite) and swap in a changed configuration of two
// deployments and one route: go test -run XXX -bench ConfigChange ./server.
func BenchmarkConfigChange(b *testing.B) {
	a := newAdminRig(b, adminConfig, nil)
	base := strings.ReplaceAll(adminConfig, "prov-SECRET-openai", `"********"`)
	i := 0
	for b.Loop() {
		i++
		text := strings.Replace(base, "routes:\n", fmt.Sprintf("routes:\n  r%d: {deployments: [gpt-4o]}\n", i), 1)
		if _, err := a.r.Config.Apply(context.Background(), reload.Change{Text: []byte(text), Actor: "bench", Source: store.SourceAPI}); err != nil {
			b.Fatal(err)
		}
	}
}
