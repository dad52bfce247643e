package e2e

import (
	"encoding/json"
	"net/http"
	"testing"

	"switchyard/admin"
)

// sendManagedKeyTraffic makes managed keys through the admin API (a
// client key with a one-request-per-minute limit and one route, an
// operator and a viewer admin key), uses them, past the limit and outside the route, revokes
// the client key and uses it again, and returns the requests recorded
// and the keys, as canaries that must never show up anywhere.
func sendManagedKeyTraffic(t *testing.T, le *leakEnv) ([]leakSent, []canary) {
	mk := func(body string) admin.NewKey {
		t.Helper()
		resp, b := postH(t, le.URL+"/admin/keys", []byte(body), map[string]string{"Authorization": "Bearer " + leakAdminKey.value})
		var k admin.NewKey
		if resp.StatusCode != 201 || json.Unmarshal(b, &k) != nil {
			t.Fatalf("create %s: %d %s", body, resp.StatusCode, b)
		}
		return k
	}
	client := mk(`{"tenant":"` + leakTenant + `","name":"leak-managed","rpm":1,"routes":["plain"]}`)
	adm := mk(`{"admin":true,"role":"operator","tenant":"` + leakTenant + `"}`)
	viewer := mk(`{"admin":true,"role":"viewer","tenant":"` + leakTenant + `"}`)
	keys := []canary{{name: "managed client key", value: client.Key}, {name: "managed admin key", value: adm.Key},
		{name: "managed viewer key", value: viewer.Key}}
	auth := map[string]string{"Authorization": "Bearer " + client.Key}
	var sent []leakSent
	send := func(kind string, body []byte, status int) {
		t.Helper()
		resp, b := postH(t, le.URL+"/v1/chat/completions", body, leakHeaders(auth))
		if resp.StatusCode != status {
			t.Fatalf("%s: %d %s, want %d", kind, resp.StatusCode, b, status)
		}
		sent = append(sent, leakSent{kind: kind, id: resp.Header.Get("x-switchyard-request-id"), status: resp.StatusCode, body: b})
	}
	// The client pastes its own key in its prompts: stored bodies mask
	// it like any API key.
	prompt := "My Switchyard key is " + client.Key + ".\n" + secretPrompt()
	send("managed key", chatJSON("plain", false, userMsg(prompt), nil), 200)
	send("managed key over its rpm", chatJSON("plain", false, userMsg(prompt), nil), 429)
	send("managed key outside its routes", chatJSON("auto", false, userMsg(prompt), nil), 403)
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodDelete, le.URL+"/admin/keys/"+client.ID, nil)
	req.Header.Set("Authorization", "Bearer "+viewer.Key) // a viewer may not: 403
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Fatalf("a viewer revokes: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	req, _ = http.NewRequestWithContext(ctxT(t), http.MethodDelete, le.URL+"/admin/keys/"+client.ID, nil)
	req.Header.Set("Authorization", "Bearer "+leakAdminKey.value)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("revoke: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	send("revoked managed key", chatJSON("plain", false, userMsg("hello"), nil), 401)
	for _, path := range []string{"/admin/keys", "/admin/requests", "/admin/audit"} {
		code, b := callAs(t, http.MethodGet, le.URL+path, adm.Key)
		if code != 200 {
			t.Fatalf("GET %s with the managed admin key: %d %s", path, code, b)
		}
		assertNoCanary(t, "GET "+path+" (managed admin key)", b, append(keys, allCanaries()...))
	}
	return sent, keys
}
