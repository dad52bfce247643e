package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

// A client secret is answered with Cache-Control: no-store (it is a
// credential), and works only while the key that minted it does: once that
// key is revoked, the secret is refused (401 key_revoked) as the key
// itself is, though the secret's own lifetime has not run out; a secret
// of another key of the tenant, even one of the same name, keeps working.
func TestRealtimeClientSecretOfRevokedKey(t *testing.T) {
	t.Parallel()
	e := tenantEnv(t, storeBackends[0].open(t), nil)
	// Two keys of one name: the revocation of one ends its own secrets only.
	k := createKey(t, e, `{"tenant":"`+tenantA+`","name":"browser-minter"}`)
	sibling := createKey(t, e, `{"tenant":"`+tenantA+`","name":"browser-minter"}`)
	mint := func(key string) string {
		t.Helper()
		resp, b := post(t, e.URL+"/v1/realtime/client_secrets", key, []byte(`{"expires_after":{"anchor":"created_at","seconds":3600}}`))
		var sec struct{ Value string }
		if resp.StatusCode != 200 || json.Unmarshal(b, &sec) != nil || !strings.HasPrefix(sec.Value, "ek_") {
			t.Fatalf("mint: %d %s", resp.StatusCode, b)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the answer holding a client secret has Cache-Control %q, want no-store", cc)
		}
		return sec.Value
	}
	revoked, kept, fileKept := mint(k.Key), mint(sibling.Key), mint(keyA)
	dial := func(secret string) (int, string) {
		conn, resp, err := rtDial(ctxT(t), e, "gpt-realtime", http.Header{}, "realtime", "openai-insecure-api-key."+secret)
		if err == nil {
			rtRead(t, conn)
			conn.Close(websocket.StatusNormalClosure, "")
			return 101, ""
		}
		if resp == nil {
			t.Fatalf("dial: %v", err)
		}
		return resp.StatusCode, rtBody(resp)
	}
	if code, b := dial(revoked); code != 101 {
		t.Fatalf("the secret before its key is revoked: %d %s", code, b)
	}
	if code, b := bodyAs(t, http.MethodDelete, e.URL+"/admin/keys/"+k.ID, adminAll, ""); code != 200 {
		t.Fatalf("revoke: %d %s", code, b)
	}
	if code, b := dial(revoked); code != 401 || !strings.Contains(b, "key_revoked") {
		t.Errorf("the secret of a revoked key: %d %s, want 401 key_revoked", code, b)
	}
	for _, sec := range []string{kept, fileKept} {
		if code, b := dial(sec); code != 101 {
			t.Errorf("the secret of a key still working: %d %s", code, b)
		}
	}
}

// A Realtime session open when its key is revoked ends within the
// keyring's reload interval: the client is told (error event key_revoked)
// and the session is closed, as the key's next request would be refused;
// until then it served as usual.
func TestRealtimeSessionOfRevokedKeyEnds(t *testing.T) {
	t.Parallel()
	e := tenantEnv(t, storeBackends[0].open(t), nil)
	k := createKey(t, e, `{"tenant":"`+tenantA+`","name":"voice-app"}`)
	conn, _, err := rtDial(ctxT(t), e, "gpt-realtime", http.Header{"Authorization": {"Bearer " + k.Key}}, "realtime")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	rtRead(t, conn) // session.created
	if evs := rtAsk(t, conn, "hi"); evs[len(evs)-1].Type != "response.done" {
		t.Fatalf("before the revocation: %v", rtTypes(evs))
	}
	if code, b := bodyAs(t, http.MethodDelete, e.URL+"/admin/keys/"+k.ID, adminAll, ""); code != 200 {
		t.Fatalf("revoke: %d %s", code, b)
	}
	for {
		ev, err := rtNext(ctxT(t), conn)
		if err != nil {
			t.Fatalf("the session ended without telling why: %v", err)
		}
		if ev.Type == "error" {
			if ev.Error.Code == nil || *ev.Error.Code != "key_revoked" {
				t.Errorf("the session ended with %s, want code key_revoked", ev.raw)
			}
			break
		}
	}
	if _, err := rtNext(ctxT(t), conn); websocket.CloseStatus(err) == -1 {
		t.Errorf("after the error event: %v, want a close", err)
	}
}
