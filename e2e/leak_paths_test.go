package e2e

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/server"
)

// A key pasted into a URL's path — an id a client got wrong, a path a
// scanner tried — reaches neither the log line of the refused request nor
// the audit trail's row of the failed login or refused admin call: both
// quote the path with the key masked.
func TestNoKeyInRefusedPaths(t *testing.T) {
	t.Parallel()
	const secret = "sk-proj-PathCanary0123456789abcdefghijKLMNOP"
	var logs bytes.Buffer
	var mu sync.Mutex
	e := newEnvWith(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: keyA, Name: keyNameA, Tenant: tenantA}}
		c.Auth.AdminKeys = []config.AdminKey{{Key: adminAll, Name: "ops", Role: config.RoleAdmin}}
	}, server.RouterOptions{Store: storeBackends[0].open(t), Logger: slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))})
	for _, c := range []struct {
		path, key string
		status    int
	}{
		{"/v1/files/" + secret, "wrong-key-0123456789", 401}, // auth.failed
		{"/v1/files/" + secret, keyA, 404},                   // a rejected request's log line
		{"/admin/requests/" + secret, keyA, 403},             // admin.denied: a client key
		{"/admin/" + secret, "", 401},                        // admin.denied: no key
	} {
		if code, b := callAs(t, http.MethodGet, e.URL+c.path, c.key); code != c.status {
			t.Fatalf("GET %s: %d %s, want %d", c.path, code, b, c.status)
		}
	}
	var trail string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		code, b := callAs(t, http.MethodGet, e.URL+"/admin/audit?limit=100", adminAll)
		trail = string(b)
		if code == 200 && strings.Count(trail, "/v1/files/") >= 1 && strings.Count(trail, "/admin/") >= 2 || time.Now().After(deadline) {
			break
		}
	}
	if strings.Contains(trail, secret) || !strings.Contains(trail, "[REDACTED:api_key]") {
		t.Errorf("the audit trail quotes the path's key unmasked (or not at all):\n%.3000s", trail)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), secret) || !strings.Contains(logs.String(), "[REDACTED:api_key]") {
		t.Errorf("the log quotes the path's key unmasked (or not at all):\n%.3000s", logs.String())
	}
}
