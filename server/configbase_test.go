package server

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"switchyard/reload"
	"switchyard/store"
)

// conflictError decodes a 409 answer's error object.
func conflictError(t *testing.T, status int, body string) (code, param, message string) {
	t.Helper()
	var e struct {
		Error struct {
			Message string  `json:"message"`
			Type    string  `json:"type"`
			Param   *string `json:"param"`
			Code    string  `json:"code"`
		} `json:"error"`
	}
	if status != 409 || json.Unmarshal([]byte(body), &e) != nil || e.Error.Type != "invalid_request_error" || e.Error.Param == nil {
		t.Fatalf("want a 409 in OpenAI's error shape with a param; got %d %s", status, body)
	}
	return e.Error.Code, *e.Error.Param, e.Error.Message
}

// TestConfigAPIBaseVersion: a change sent with base_version applies only
// while that version runs; made from an older one (another change
// applied meanwhile) it is a 409 config_conflict that names both
// versions, changes nothing and is audited as refused — for a dry run
// too. Without base_version a change applies as before.
func TestConfigAPIBaseVersion(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	v1 := a.running()
	withRoute := func(name string) string {
		return strings.Replace(v1.YAML, "routes:\n", "routes:\n  "+name+": {deployments: [gpt-4o]}\n", 1)
	}
	if status, body := a.put("?dry_run=1&base_version=1", withRoute("first")); status != 200 || !strings.Contains(body, `"version": 1`) {
		t.Fatalf("dry run from the running version: %d %s", status, body)
	}
	status, body := a.put("?base_version=1", withRoute("first"))
	var res reload.Result
	if status != 200 || json.Unmarshal([]byte(body), &res) != nil || res.Version != 2 || res.Previous != 1 {
		t.Fatalf("PUT from the running version: %d %s", status, body)
	}
	// Made from version 1, which no longer runs.
	for _, query := range []string{"?base_version=1", "?dry_run=true&base_version=1"} {
		status, body := a.put(query, withRoute("second"))
		code, param, msg := conflictError(t, status, body)
		if code != "config_conflict" || param != "base_version" ||
			!strings.Contains(msg, "made from version 1") || !strings.Contains(msg, "version 2 runs now") ||
			!strings.Contains(msg, "base_version=2") {
			t.Errorf("PUT %s: %s %s %q", query, code, param, msg)
		}
	}
	if v := a.running(); v.Version != 2 || strings.Contains(v.YAML, "second:") {
		t.Errorf("after the conflicts: version %d, second route there: %v", v.Version, strings.Contains(v.YAML, "second:"))
	}
	if status, _ := a.chat("second"); status != 404 {
		t.Errorf("route second after the conflict: %d; want 404", status)
	}
	// Audited as a refused change, with both versions.
	refused := 0
	for _, e := range a.audit() {
		if e.Action == "config.update" && e.Outcome == store.AuditRefused {
			refused++
			if !strings.Contains(e.Detail, "made from version 1") || !strings.Contains(e.Detail, "version 2 runs") {
				t.Errorf("the conflict's audit detail: %q", e.Detail)
			}
		}
	}
	if refused != 1 {
		t.Errorf("%d refusals audited; want 1 (a dry run is not audited)", refused)
	}
	// Not a version number.
	for _, bad := range []string{"0", "-3", "two"} {
		if status, body := a.put("?base_version="+bad, withRoute("third")); status != 400 || !strings.Contains(body, `"param":"base_version"`) {
			t.Errorf("base_version=%s: %d %s", bad, status, body)
		}
	}
	// Without it, the change applies over whatever runs.
	if status, body := a.put("", withRoute("third")); status != 200 || !strings.Contains(body, `"version": 3`) {
		t.Errorf("PUT without base_version: %d %s", status, body)
	}
}

// TestConfigAPIBaseVersionRace: two changes made from the same version
// and sent at once: one applies, the other is a 409, whichever comes
// second.
func TestConfigAPIBaseVersionRace(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	v1 := a.running()
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i, name := range []string{"left", "right"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := strings.Replace(v1.YAML, "routes:\n", "routes:\n  "+name+": {deployments: [gpt-4o]}\n", 1)
			statuses[i], _ = a.call("adm", "PUT", "/admin/config?base_version=1", "application/yaml", text)
		}()
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 200) {
		t.Errorf("statuses %v; want one 200 and one 409", statuses)
	}
	if v := a.running(); v.Version != 2 || strings.Contains(v.YAML, "left:") == strings.Contains(v.YAML, "right:") {
		t.Errorf("version %d holds left %v, right %v; want version 2 with one of them", v.Version,
			strings.Contains(v.YAML, "left:"), strings.Contains(v.YAML, "right:"))
	}
}
