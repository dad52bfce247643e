package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/audit"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/tenant"
)

// keysServer serves the admin API with key management on s, behind the
// roles' middleware (Authorize with Rules), auditing to s; each request
// carries the principal of the header X-Test-Principal (role/tenant).
// The trail returned must be closed before its events are read.
func keysServer(t *testing.T, s store.Store) (*httptest.Server, *audit.Trail) {
	trail := audit.New(s, audit.Options{})
	t.Cleanup(func() { trail.Close(context.Background()) })
	h := &Handler{Store: s, Audit: trail, Keys: &tenant.Manager{Store: s, Auditor: trail}}
	mux := http.NewServeMux()
	h.Mount(mux)
	guarded := Authorize(Rules, trail, mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		role, ten, _ := strings.Cut(r.Header.Get("X-Test-Principal"), "/")
		p := Principal{Name: role + "-key", Role: config.Role(role), Tenant: ten}
		guarded.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	}))
	t.Cleanup(srv.Close)
	return srv, trail
}

func call(t *testing.T, srv *httptest.Server, principal, method, path, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	req.Header.Set("X-Test-Principal", principal)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusCreated && resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("%s %s: an answer holding a key is cacheable", method, path)
	}
	return resp.StatusCode, b
}

func wantErrCode(t *testing.T, status int, body []byte, wantStatus int, code string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(body, &e)
	if status != wantStatus || e.Error.Code != code {
		t.Errorf("got %d %s, want %d %s", status, body, wantStatus, code)
	}
}

// TestKeysEndpoints: create, list, rotate and revoke through the admin
// API, on SQLite and PostgreSQL; the key appears in the create and rotate
// answers only; a scoped operator manages only its tenant's keys; a
// viewer may not even list them; every change and every refusal is in
// the audit trail, never a key.
func TestKeysEndpoints(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		srv, trail := keysServer(t, s)
		code, b := call(t, srv, "admin/", "POST", "/admin/keys", `{"tenant":"acme","name":"bot","rpm":60,"routes":["auto"],"expires":"30d"}`)
		var created NewKey
		if code != 201 || json.Unmarshal(b, &created) != nil {
			t.Fatalf("create: %d %s", code, b)
		}
		if _, ok := tenant.ParseKey(created.Key); !ok || created.Tenant != "acme" || created.RPM != 60 || created.CreatedBy != "admin-key" {
			t.Fatalf("created = %+v", created)
		}
		secret := created.Key[len(tenant.KeyPrefix)+tenant.IDLen+1:]
		code, b = call(t, srv, "operator/globex", "POST", "/admin/keys", `{"name":"web"}`)
		if code != 201 {
			t.Fatalf("a scoped operator's create: %d %s", code, b)
		}
		code, b = call(t, srv, "viewer/", "GET", "/admin/keys", "")
		wantErrCode(t, code, b, 403, CodeInsufficientRole)
		code, b = call(t, srv, "operator/", "GET", "/admin/keys", "")
		var list KeyList
		if code != 200 || json.Unmarshal(b, &list) != nil || len(list.Data) != 2 {
			t.Fatalf("operator's list: %d %s", code, b)
		}
		if bytes.Contains(b, []byte(secret)) || bytes.Contains(b, []byte(`"hash"`)) {
			t.Fatal("the list shows a key or a hash")
		}
		code, b = call(t, srv, "operator/globex", "GET", "/admin/keys", "")
		if code != 200 || json.Unmarshal(b, &list) != nil || len(list.Data) != 1 || list.Data[0].Tenant != "globex" {
			t.Errorf("globex's operator lists %s", b)
		}
		id := created.ID
		code, b = call(t, srv, "operator/globex", "DELETE", "/admin/keys/"+id, "")
		wantErrCode(t, code, b, 404, tenant.CodeKeyNotFound)
		code, b = call(t, srv, "operator/globex", "POST", "/admin/keys", `{"tenant":"acme"}`)
		wantErrCode(t, code, b, 403, tenant.CodeTenantMismatch)
		code, b = call(t, srv, "viewer/", "DELETE", "/admin/keys/"+id, "")
		wantErrCode(t, code, b, 403, CodeInsufficientRole)
		code, b = call(t, srv, "operator/", "POST", "/admin/keys", `{"admin":true,"role":"admin"}`)
		wantErrCode(t, code, b, 403, tenant.CodeRoleNotAllowed)

		code, b = call(t, srv, "operator/acme", "POST", "/admin/keys/"+id+"/rotate", `{"grace":"1h"}`)
		var rotated NewKey
		if code != 201 || json.Unmarshal(b, &rotated) != nil || rotated.Replaces != id || rotated.Name != "bot" || rotated.Key == created.Key {
			t.Fatalf("rotate: %d %s", code, b)
		}
		code, b = call(t, srv, "operator/acme", "POST", "/admin/keys/"+id+"/rotate", "")
		wantErrCode(t, code, b, 409, tenant.CodeKeyInactive)
		code, b = call(t, srv, "operator/acme", "DELETE", "/admin/keys/"+rotated.ID, "")
		var v KeyView
		if code != 200 || json.Unmarshal(b, &v) != nil || v.State != tenant.StateRevoked || v.Revoked == nil {
			t.Fatalf("revoke: %d %s", code, b)
		}
		_, b = call(t, srv, "admin/", "GET", "/admin/keys", "")
		json.Unmarshal(b, &list)
		states := map[string]tenant.KeyState{}
		for _, k := range list.Data {
			states[k.ID] = k.State
		}
		if states[id] != tenant.StateRotated || states[rotated.ID] != tenant.StateRevoked {
			t.Errorf("states = %v", states)
		}
		trail.Close(context.Background()) // writes the queued refusals
		wantKeyAudit(t, s, []string{created.Key, rotated.Key}, map[string]int{
			"key.create ok admin-key acme": 1, "key.create ok operator-key globex": 1,
			"key.rotate ok operator-key acme": 1, "key.revoke ok operator-key acme": 1,
			// viewer's list and delete, globex's create for acme, operator's admin key
			"admin.denied denied viewer-key ": 2, "admin.denied denied operator-key globex": 1, "admin.denied denied operator-key ": 1,
		})
	})
}

// wantKeyAudit checks the audit trail of s holds the events want counts
// (by "action outcome actor tenant"), and none of the keys.
func wantKeyAudit(t *testing.T, s store.Store, keys []string, want map[string]int) {
	t.Helper()
	page, err := s.ListAudit(context.Background(), store.AllTenants(), store.AuditFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range page.Events {
		got[e.Action+" "+e.Outcome+" "+e.Actor+" "+e.Tenant]++
		for _, k := range keys {
			if strings.Contains(e.Target+e.Detail, k[len(tenant.KeyPrefix)+tenant.IDLen+1:]) {
				t.Errorf("audit event %+v holds a key", e)
			}
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("audit trail = %v\nwant %v", got, want)
	}
}

func TestKeysEndpointsRefuseBadBodies(t *testing.T) {
	srv, _ := keysServer(t, backends()["sqlite"](t))
	for body, param := range map[string]string{
		`{"tenant":"acme","rpn":5}`:          "rpn",
		`{"tenant":"acme","rpm":"5"}`:        "rpm",
		`{"tenant":"acme"} {}`:               "",
		`[1]`:                                "",
		`{"tenant":"acme","expires":"soon"}`: "expires",
		`{"tenant":"acme","role":"admin"}`:   "role",
		`{"tenant":"a b"}`:                   "tenant",
		`{"tenant":"acme","rpm":-1}`:         "limits",
	} {
		code, b := call(t, srv, "admin/", "POST", "/admin/keys", body)
		var e struct {
			Error struct{ Param, Message string }
		}
		if code != 400 || json.Unmarshal(b, &e) != nil || e.Error.Param != param || strings.Contains(e.Error.Message, "(want ") {
			t.Errorf("body %s: %d %s; want 400 with param %q", body, code, b, param)
		}
	}
	code, _ := call(t, srv, "admin/", "POST", "/admin/keys", `{"name":"`+strings.Repeat("x", maxKeyBody)+`"}`)
	if code != 413 {
		t.Errorf("a huge body: %d, want 413", code)
	}
	code, b := call(t, srv, "admin/", "POST", "/admin/keys/abcdefghjkmn/rotate", `{"grace":"forever"}`)
	if code != 400 || !strings.Contains(string(b), "grace") {
		t.Errorf("bad grace: %d %s", code, b)
	}
}

func TestKeysEndpointsWithoutStore(t *testing.T) {
	h := &Handler{}
	mux := http.NewServeMux()
	h.Mount(mux)
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/admin/keys", nil)
	mux.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), Unscoped("loopback"))))
	wantErrCode(t, w.Code, w.Body.Bytes(), 404, tenant.CodeKeysOff)
}

// FuzzDecodeKeyRequest: any body either fails with a client error or
// gives a spec whose lists and expiry came from it; it never panics.
// A key request body with bytes after its JSON object is not JSON, and
// is refused (encoding/json's Decoder.More reports no more after a
// closing "}" or "]").
func TestDecodeKeyRequestRefusesTrailingBytes(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if _, err := DecodeKeyRequest(strings.NewReader(`{"rpm":60}`+" \n"), now); err != nil {
		t.Fatalf("white space after the body: %v", err)
	}
	for _, tail := range []string{"}", "]", " ]", "x", "{}"} {
		if _, err := DecodeKeyRequest(strings.NewReader(`{"rpm":60}`+tail), now); err == nil || errStatus(err) != 400 {
			t.Errorf("%q after the body: %v", tail, err)
		}
	}
}

func FuzzDecodeKeyRequest(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"tenant":"acme","rpm":60,"routes":["auto"],"expires":"30d"}`,
		`{"admin":true,"role":"viewer"}`, `{"expires":"2026-12-31"}`, `{"routes":null,"overrides":[]}`, `{"rpm":1e99}`, `[`, `{"a":1}`} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		spec, err := DecodeKeyRequest(strings.NewReader(body), now)
		if err != nil {
			if s := errStatus(err); s != 400 && s != 413 {
				t.Fatalf("body %q: status %d", body, s)
			}
			return
		}
		if strings.TrimSpace(body) != "" && !json.Valid([]byte(body)) {
			t.Fatalf("body %q is not JSON, yet decoded", body)
		}
		if !spec.Expires.IsZero() && spec.Expires.Before(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("body %q: expiry %v", body, spec.Expires)
		}
	})
}

func errStatus(err error) int { return llm.AsError(err).HTTPStatus() }

// TestKeyRulesAgreeWithManager: the roles Rules lets change keys are the
// roles tenant.Manager lets change them (it checks again for callers
// other than the admin API), so the table stays the one source of truth.
func TestKeyRulesAgreeWithManager(t *testing.T) {
	n := 0
	for _, rule := range Rules {
		if !strings.Contains(rule.Pattern, " /admin/keys") {
			continue
		}
		n++
		if rule.Scope != ScopeTenant {
			t.Errorf("%s: scope %s; a scoped key manages its own tenant's keys", rule.Pattern, rule.Scope)
		}
		if strings.HasPrefix(rule.Pattern, "GET ") {
			continue
		}
		for _, role := range config.Roles {
			if allowed, _ := rule.Allows(Principal{Role: role}); allowed != tenant.CanManageKeys(role) {
				t.Errorf("%s as %s: Rules allow %v, tenant.CanManageKeys %v", rule.Pattern, role, allowed, tenant.CanManageKeys(role))
			}
		}
	}
	if n != 4 {
		t.Errorf("%d rules for /admin/keys; want 4 (list, create, revoke, rotate)", n)
	}
}
