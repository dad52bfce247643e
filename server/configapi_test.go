package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/reload"
	"switchyard/store"
)

// chat sends a chat request for model as the client of adminConfig and
// returns the status and the deployment that answered.
func (a *adminRig) chat(model string) (int, string) {
	a.t.Helper()
	req, _ := http.NewRequest("POST", a.url+"/v1/chat/completions",
		strings.NewReader(`{"model":"`+model+`","messages":[{"role":"user","content":"What is the capital of France?"}]}`))
	req.Header.Set("Authorization", "Bearer client-env-SECRET")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("x-switchyard-deployment")
}

// running returns GET /admin/config.
func (a *adminRig) running() admin.ConfigView {
	a.t.Helper()
	status, body := a.call("view", "GET", "/admin/config", "", "")
	var v admin.ConfigView
	if status != 200 || json.Unmarshal([]byte(body), &v) != nil {
		a.t.Fatalf("GET /admin/config: %d %s", status, body)
	}
	noSecrets(a.t, "GET /admin/config", body)
	return v
}

// put sends text to PUT /admin/config as adm.
func (a *adminRig) put(query, text string) (int, string) {
	a.t.Helper()
	status, body := a.call("adm", "PUT", "/admin/config"+query, "application/yaml", text)
	noSecrets(a.t, "PUT /admin/config's answer", body)
	return status, body
}

// invalid decodes a 422 answer's mistakes.
func invalidErrors(t *testing.T, status int, body string) []admin.FieldErrorView {
	t.Helper()
	var e struct {
		Error struct {
			Code   string                 `json:"code"`
			Errors []admin.FieldErrorView `json:"errors"`
		} `json:"error"`
	}
	if status != 422 || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != admin.CodeConfigInvalid || len(e.Error.Errors) == 0 {
		t.Fatalf("want 422 config_invalid with errors; got %d %s", status, body)
	}
	return e.Error.Errors
}

// TestConfigAPIChangeAndRollback: the running configuration reads back
// masked; sent back with a change, it applies as a new version with its
// diff and serves at once; a rollback restores the first version in one
// step; each is audited; no secret appears anywhere.
func TestConfigAPIChangeAndRollback(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	v1 := a.running()
	if v1.Version != 1 || !strings.Contains(v1.YAML, `api_key: "********"`) || !strings.Contains(v1.YAML, `"${ADM_ACME_KEY}"`) ||
		!strings.Contains(v1.YAML, "# the router's configuration") {
		t.Fatalf("GET /admin/config = %+v", v1)
	}
	if status, dep := a.chat("chat"); status != 200 || dep != "gpt-4o-mini" {
		t.Fatalf("before: chat = %d %s", status, dep)
	}
	// The masked text, with a route added, sent back.
	changed := strings.Replace(v1.YAML, "routes:\n", "routes:\n  fast: {deployments: [gpt-4o]}\n", 1)
	status, body := a.put("", changed)
	var res reload.Result
	if status != 200 || json.Unmarshal([]byte(body), &res) != nil || res.Version != 2 || res.Previous != 1 || !res.Changed ||
		res.Added != 1 || res.Removed != 0 || !strings.Contains(res.Diff, "+  fast: {deployments: [gpt-4o]}") {
		t.Fatalf("PUT: %d %s", status, body)
	}
	if status, dep := a.chat("fast"); status != 200 || dep != "gpt-4o" {
		t.Errorf("after the change: fast = %d %s", status, dep)
	}
	if status, body := a.call("client:client-env-SECRET", "GET", "/v1/models/fast", "", ""); status != 200 {
		t.Errorf("GET /v1/models/fast after the change: %d %s", status, body)
	}
	// The same text again: nothing stored.
	if status, body := a.put("", changed); status != 200 || !strings.Contains(body, `"changed": false`) || !strings.Contains(body, `"version": 2`) {
		t.Errorf("PUT of the running text: %d %s", status, body)
	}
	// The versions.
	status, body = a.call("view", "GET", "/admin/config/versions", "", "")
	var list admin.VersionList
	if status != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Data) != 2 ||
		list.Data[0].Version != 2 || list.Data[0].Source != store.SourceAPI || list.Data[0].Actor != "adm" ||
		list.Data[1].Source != store.SourceStart || list.Data[1].Actor != "file" {
		t.Fatalf("versions: %d %s", status, body)
	}
	status, body = a.call("view", "GET", "/admin/config/versions/2", "", "")
	if status != 200 || !strings.Contains(body, `"base": 1`) || !strings.Contains(body, "fast: {deployments: [gpt-4o]}") || !strings.Contains(body, `"diff": "--- version 1`) {
		t.Errorf("version 2: %d %s", status, body)
	}
	noSecrets(t, "version 2", body)
	// Roll back to version 1 in one step.
	status, body = a.call("adm", "POST", "/admin/config/rollback", "application/json", `{"version": 1}`)
	if status != 200 || json.Unmarshal([]byte(body), &res) != nil || res.Version != 3 || res.Restores != 1 || res.Removed != 1 {
		t.Fatalf("rollback: %d %s", status, body)
	}
	if status, _ := a.chat("fast"); status != 404 {
		t.Errorf("after the rollback: fast = %d; want 404", status)
	}
	if v3 := a.running(); v3.Version != 3 || v3.YAML != v1.YAML {
		t.Errorf("after the rollback: version %d, same text as version 1: %v", v3.Version, v3.YAML == v1.YAML)
	}
	if status, body := a.call("adm", "POST", "/admin/config/rollback", "application/json", `{"version": 42}`); status != 404 || codeOf(body) != "config_version_not_found" {
		t.Errorf("rollback to an unknown version: %d %s", status, body)
	}
	evs := a.audit()
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action+"/"+e.Outcome)
		raw, _ := json.Marshal(e)
		noSecrets(t, "an audit row", string(raw))
	}
	want := "config.rollback/ok config.update/ok config.update/ok config.start/ok"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit trail: %s; want %s", got, want)
	}
}

// TestConfigAPIRefusesInvalid: a configuration with a mistake, a base URL
// off the file's allowlist, a changed security section, a change only a
// restart applies or a mask with nothing to keep is refused with every
// mistake positioned (422), audited, and changes nothing.
func TestConfigAPIRefusesInvalid(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	base := a.running().YAML
	for _, tc := range []struct {
		name, from, to string
		want           string // in one error's message
	}{
		{"a typo", "strategy: cheapest", "stratgy: cheapest", `routes.chat: unknown field "stratgy" (did you mean "strategy"?`},
		{"an unknown deployment", "[gpt-4o-mini, gpt-4o]", "[gpt-4o-mini, gpt-5]", "routes.chat.deployments[1]"},
		{"a base URL off the allowlist", `base_url: "${SIM_URL}"`, `base_url: "https://evil.example.com/v1"`,
			`providers.openai.base_url: host "evil.example.com" (port 443) is not in security.upstream_hosts`},
		{"the security section", "upstream_hosts: [127.0.0.1]", "upstream_hosts: [127.0.0.1, evil.example.com]",
			"security: differs from the running file's: the admin API cannot change the security section"},
		{"no security section, a host off the file's list", "security:\n  upstream_hosts: [127.0.0.1]\n", "",
			""}, // valid: the file's section applies, and 127.0.0.1 is on it
		{"a restart-only change", "# the router's configuration\n", "server: {max_body_bytes: 1000}\n",
			"server.max_body_bytes: changed; it takes effect only when the router starts"},
		{"a mask with nothing to keep", "deployments:\n", "  other: {kind: openai, base_url: \"http://127.0.0.1:9/v1\", api_key: \"********\"}\ndeployments:\n",
			`providers.other.api_key: is masked ("********"), and the running configuration has no secret at this place to keep`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.from) {
				t.Fatalf("the running text lacks %q", tc.from)
			}
			status, body := a.put("", strings.Replace(base, tc.from, tc.to, 1))
			if tc.want == "" {
				if status != 200 {
					t.Errorf("%d %s", status, body)
				}
				return
			}
			errs := invalidErrors(t, status, body)
			found := false
			for _, e := range errs {
				found = found || strings.Contains(e.Message, tc.want) && e.Line > 0 && strings.HasSuffix(e.Message[:strings.Index(e.Message, ": ")], "")
			}
			if !found {
				t.Errorf("no positioned error with %q: %s", tc.want, body)
			}
		})
	}
	refused := 0
	for _, e := range a.audit() {
		if e.Action == "config.update" && e.Outcome == store.AuditRefused {
			refused++
			if !strings.Contains(e.Detail, ": ") {
				t.Errorf("a refusal without its reasons: %+v", e)
			}
		}
	}
	if refused != 6 {
		t.Errorf("%d refusals audited; want 6", refused)
	}
	if v := a.running(); v.Version != 2 {
		t.Errorf("version %d after refusals and one valid change; want 2", v.Version)
	}
}

// TestConfigAPISecretsStayMasked: a new literal key sent through the API
// is used, but is masked in the version, its diff, the audit trail and
// every answer.
func TestConfigAPISecretsStayMasked(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	adminSecrets = append(adminSecrets, "prov-SECRET-rotated")
	defer func() { adminSecrets = adminSecrets[:len(adminSecrets)-1] }()
	text := strings.Replace(a.running().YAML, `api_key: "********"`, `api_key: prov-SECRET-rotated`, 1)
	status, body := a.call("adm", "PUT", "/admin/config", "application/json", `{"yaml": `+quoteJSON(text)+`}`)
	if status != 200 {
		t.Fatalf("PUT (JSON body): %d %s", status, body)
	}
	noSecrets(t, "PUT answer", body)
	if status, _ := a.chat("chat"); status != 200 {
		t.Errorf("chat with the rotated key: %d", status)
	}
	for _, path := range []string{"/admin/config", "/admin/config/versions", "/admin/config/versions/2", "/admin/audit"} {
		_, body := a.call("adm", "GET", path, "", "")
		noSecrets(t, path, body)
	}
	if cfg, _, _ := a.r.Config.Current(); cfg.Providers["openai"].APIKey != "prov-SECRET-rotated" {
		t.Error("the rotated key is not the one in use")
	}
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestConfigAPILeaksNoSecret: a configuration with a secret in the wrong
// place (where errors would quote a value) is refused without the secret
// in the answer, the router's log or the audit trail.
func TestConfigAPILeaksNoSecret(t *testing.T) {
	var logs lockedBuffer
	a := newAdminRigLogging(t, adminConfig, &logs)
	const planted = "sk-PLANTED-SECRET-misplaced"
	bad := strings.Replace(a.running().YAML, "kind: openai", "kind: "+planted, 1)
	bad = strings.Replace(bad, "routes:\n", "routes:\n  x: {deployments: [\""+planted+"\"]}\n  y: {deployments: [op-SECRET-key-1]}\n", 1)
	status, body := a.put("", bad) // the running admin key, pasted as a deployment: masked too
	if errs := invalidErrors(t, status, body); len(errs) != 3 {
		t.Errorf("%d errors; want 3: %s", len(errs), body)
	}
	_, audit := a.call("adm", "GET", "/admin/audit", "", "")
	for where, text := range map[string]string{"answer": body, "log": logs.String(), "audit": audit} {
		if strings.Contains(text, planted) {
			t.Errorf("the %s holds the planted secret:\n%s", where, text)
		}
		noSecrets(t, where, text)
	}
	if !strings.Contains(logs.String(), "a change was refused") {
		t.Errorf("the refusal is not logged:\n%s", logs.String())
	}
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
