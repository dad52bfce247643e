package e2e

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// isoEnv is the isolation test's router: two tenants' traffic recorded
// with bodies, rated, and a managed key of each tenant.
type isoEnv struct {
	*env
	sent map[string][]string // request ids by tenant
	// opA and admA are managed operator and admin keys scoped to tenant
	// A; keyIDB is the id of a managed client key of tenant B.
	opA, admA, keyIDB string
	// respA and respB are a stored response of each tenant; convA and
	// convB a conversation of each, itemA and itemB their items.
	respA, respB, convA, convB, itemA, itemB string
	// chatA and chatB are a stored chat completion of each tenant.
	chatA, chatB string
	// fileA and fileB are a file of each tenant.
	fileA, fileB string
	// batchA and batchB are a batch of each tenant; msgBatchA and
	// msgBatchB a Message Batch of each.
	batchA, batchB, msgBatchA, msgBatchB string
}

// isoRow is one endpoint of the isolation table: how tenant A's
// principals call it, or why it holds no tenant's data.
type isoRow struct {
	pattern string
	// call calls the endpoint as tenant A (its client key, its scoped
	// admin keys) and returns every answer, to be scanned for tenant B's
	// data. want, when not empty, must appear in the answers: the call
	// saw data (tenant A's), so the scan is not vacuous.
	call func(t *testing.T, e *isoEnv) [][]byte
	want string
	// none says why the endpoint serves no tenant's data (call is nil).
	none string
	// aggregate marks an operational endpoint that sums every tenant's
	// traffic by route and deployment (with no tenant's name, request or
	// content): the routes and deployments only tenant B used may show.
	aggregate bool
}

// isoRows lists every endpoint the router serves. A new endpoint without
// a row fails TestEveryEndpointIsolatesTenants.
func isoRows() []isoRow {
	get := func(path, key string) func(*testing.T, *isoEnv) [][]byte {
		return func(t *testing.T, e *isoEnv) [][]byte {
			code, b := callAs(t, http.MethodGet, e.URL+path, key)
			if code != 200 {
				t.Fatalf("GET %s: %d %s", path, code, b)
			}
			return [][]byte{b}
		}
	}
	postAs := func(path, key string, body []byte, status int) func(*testing.T, *isoEnv) [][]byte {
		return func(t *testing.T, e *isoEnv) [][]byte {
			resp, b := post(t, e.URL+path, key, body)
			if resp.StatusCode != status {
				t.Fatalf("POST %s: %d %s, want %d", path, resp.StatusCode, b, status)
			}
			return [][]byte{b, []byte(headerText(resp.Header))}
		}
	}
	return append([]isoRow{
		{pattern: "POST /v1/chat/completions", call: postAs("/v1/chat/completions", keyA, chatBody("plain", "Tell me about rivers.", false), 200), want: `"choices"`},
		{pattern: "POST /v1/completions", call: postAs("/v1/completions", keyA, []byte(`{"model":"plain","prompt":"Tell me about rivers.","max_tokens":100}`), 200), want: `"text_completion"`},
		{pattern: "POST /v1/messages", call: postAs("/v1/messages", keyA, anthropicBody("plain", "Tell me about rivers.", false), 200), want: `"content"`},
		{pattern: "POST /v1/messages/count_tokens", none: "a token estimate of the caller's own request; nothing is stored or read"},
		{pattern: "/v1/messages", none: "the Messages API's 404 for a wrong method"},
		{pattern: "/v1/messages/", none: "the Messages API's 404 for an unknown path"},
		{pattern: "POST /v1/responses", call: func(t *testing.T, e *isoEnv) [][]byte {
			return append(continueOthers(t, e), answerInOthers(t, e)...)
		}, want: "previous_response_not_found"},
		{pattern: "GET /v1/responses", call: socketOthers, want: "previous_response_not_found"},
		{pattern: "/v1/responses/", none: "the Responses API's 404 for the endpoints it does not serve"},
		{pattern: "/v1/responses", none: "the 404 for the methods /v1/responses does not serve"},
		{pattern: "POST /v1/responses/compact", call: compactOthers, want: `"response.compaction"`},
		{pattern: "POST /v1/responses/{id}/cancel", call: storedAsA(http.MethodPost, "/v1/responses/%s/cancel", 400), want: "Cannot cancel a synchronous response"},
		{pattern: "POST /v1/responses/input_tokens", call: countOthers, want: `"input_tokens"`},
		{pattern: "GET /v1/responses/{id}", call: storedAsA(http.MethodGet, "/v1/responses/%s", 200), want: "Response with id"},
		{pattern: "GET /v1/responses/{id}/input_items", call: storedAsA(http.MethodGet, "/v1/responses/%s/input_items", 200), want: `"object":"list"`},
		{pattern: "DELETE /v1/responses/{id}", call: storedAsA(http.MethodDelete, "/v1/responses/%s", 200), want: `"deleted":true`},
		{pattern: "POST /v1/route", call: postAs("/v1/route", keyA, chatBody("plain", "Tell me about rivers.", false), 200), want: `"tiers"`},
		{pattern: "POST /v1/embeddings", call: postAs("/v1/embeddings", keyA, []byte(`{"model":"text-embedding-3-small","input":["rivers"]}`), 200), want: `"embedding"`},
		{pattern: "POST /v1/moderations", call: postAs("/v1/moderations", keyA, []byte(`{"input":["rivers"]}`), 200), want: `"category_scores"`},
		{pattern: "POST /v1/images/generations", call: postAs("/v1/images/generations", keyA, []byte(`{"model":"dall-e-3","prompt":"rivers"}`), 200), want: `"revised_prompt"`},
		{pattern: "POST /v1/images/edits", call: editAs("/v1/images/edits", "@image=\x89PNG\r\n\x1a\nriver", "prompt=rivers", "model=gpt-image-1"), want: `"b64_json"`},
		{pattern: "POST /v1/images/variations", call: editAs("/v1/images/variations", "@image=\x89PNG\r\n\x1a\nriver", "model=dall-e-2"), want: `"url"`},
		{pattern: "POST /v1/audio/speech", call: postAs("/v1/audio/speech", keyA, []byte(`{"model":"tts-1","input":"rivers","voice":"alloy"}`), 200), want: "audio/mpeg"},
		{pattern: "POST /v1/audio/transcriptions", call: transcribeAs("/v1/audio/transcriptions"), want: "simulated transcription"},
		{pattern: "POST /v1/audio/translations", call: transcribeAs("/v1/audio/translations"), want: "simulated transcription"},
		{pattern: "POST /v1/realtime/client_secrets", none: "a secret for the caller itself, kept in memory; it reads nothing stored"},
		{pattern: "GET /v1/realtime", call: realtimeAs(keyA, "Tell me about rivers."), want: `"response.done"`},
		{pattern: "POST /v1/feedback", call: rateOther, want: "request_not_found"},
		{pattern: "GET /v1/models", none: "the configured routes and deployments, the same for every key"},
		{pattern: "GET /v1/models/{model...}", none: "one configured route or deployment"},
		{pattern: "/v1/", none: "the API's 404 for an unknown path"},
		{pattern: "/v1", none: "the 404 for the bare /v1"},
		{pattern: "GET /healthz", none: "a liveness probe"},
		{pattern: "GET /readyz", none: "a readiness probe"},
		{pattern: "/", none: "the 404 for an unknown path"},
		{pattern: "GET /metrics", call: get("/metrics", adminA), want: "switchyard_requests_total", aggregate: true},
		{pattern: "/admin/", none: "the mount point of the admin endpoints below"},
		{pattern: "/ui/", none: "the dashboard's static files and auth.json: no data (the pages read /admin/ with the operator's key)"},
		{pattern: "GET /ui", none: "the redirect to /ui/"},
		{pattern: "GET /admin/whoami", call: get("/admin/whoami", adminA), want: tenantA},
		{pattern: "GET /admin/health", call: get("/admin/health", adminA), want: "gpt-4o-mini", aggregate: true},
		{pattern: "GET /admin/requests", call: get("/admin/requests?limit=1000", adminA), want: tenantA},
		{pattern: "GET /admin/requests/{id}", call: readOthersRequest, want: "request_not_found"},
		{pattern: "GET /admin/stats", call: get("/admin/stats?by=route,category,deployment", adminA), want: `"plain"`},
		{pattern: "GET /admin/scores", call: get("/admin/scores?by=route,deployment", adminA), want: `"plain"`},
		{pattern: "GET /admin/feedback", call: get("/admin/feedback", adminA), want: `"explicit"`},
		{pattern: "GET /admin/report", call: get("/admin/report", adminA), want: `"rows"`},
		{pattern: "GET /admin/budgets", call: get("/admin/budgets", adminA), want: tenantA},
		{pattern: "GET /admin/drift/runs", none: "golden runs of the router's own prompts against its deployments: no tenant's request or answer"},
		{pattern: "GET /admin/drift/runs/{id}", none: "one golden run (the router's own prompts)"},
		{pattern: "GET /admin/keys", call: func(t *testing.T, e *isoEnv) [][]byte { return get("/admin/keys", e.opA)(t, e) }, want: tenantA},
		{pattern: "POST /admin/keys", call: createForOther, want: "tenant_not_allowed"},
		{pattern: "DELETE /admin/keys/{id}", call: keyChange(http.MethodDelete, ""), want: "key_not_found"},
		{pattern: "POST /admin/keys/{id}/rotate", call: keyChange(http.MethodPost, "/rotate"), want: "key_not_found"},
		{pattern: "GET /admin/audit", call: readAudit, want: `"key.create"`},
		// What concerns every tenant refuses a key scoped to one, whatever
		// its role (tenant A's admin-role key here).
		{pattern: "POST /admin/health/{deployment}/reset", call: refusedToA(http.MethodPost, "/admin/health/gpt-4o-mini/reset", "tenant_not_allowed"), want: "tenant_not_allowed"},
		{pattern: "GET /admin/config", call: refusedToA(http.MethodGet, "/admin/config", "tenant_not_allowed"), want: "tenant_not_allowed"},
		{pattern: "PUT /admin/config", call: refusedToA(http.MethodPut, "/admin/config", "tenant_not_allowed"), want: "tenant_not_allowed"},
		{pattern: "POST /admin/config/rollback", call: refusedToA(http.MethodPost, "/admin/config/rollback", "tenant_not_allowed"), want: "tenant_not_allowed"},
		{pattern: "GET /admin/config/versions", call: refusedToA(http.MethodGet, "/admin/config/versions", "tenant_not_allowed"), want: "tenant_not_allowed"},
		{pattern: "GET /admin/config/versions/{version}", call: refusedToA(http.MethodGet, "/admin/config/versions/1", "tenant_not_allowed"), want: "tenant_not_allowed"},
	}, slices.Concat(conversationRows(), chatRows(), fileRows(), uploadRows(), batchRows(), adminBatchRows(), msgBatchRows())...)
}

// readAudit reads the audit trail with tenant A's keys: its own key
// changes, none of tenant B's (which the unscoped key does see, so the
// scan is not vacuous).
func readAudit(t *testing.T, e *isoEnv) [][]byte {
	code, all := callAs(t, http.MethodGet, e.URL+"/admin/audit?limit=1000", adminAll)
	if code != 200 || !strings.Contains(string(all), e.keyIDB) || !strings.Contains(string(all), `"tenant": "`+tenantB+`"`) {
		t.Fatalf("the unscoped key's audit trail lacks tenant B's key change: %d %.2000s", code, all)
	}
	var out [][]byte
	for _, key := range []string{adminA, e.opA, e.admA} {
		code, b := callAs(t, http.MethodGet, e.URL+"/admin/audit?limit=1000", key)
		if code != 200 || !strings.Contains(string(b), `"tenant": "`+tenantA+`"`) {
			t.Fatalf("GET /admin/audit as tenant A: %d %.2000s", code, b)
		}
		out = append(out, b)
	}
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/audit?tenant="+tenantB, adminA)
	if code != 403 {
		t.Fatalf("tenant A asks for tenant B's audit trail: %d %s", code, b)
	}
	return append(out, errorCode(b))
}

// refusedToA calls an endpoint that concerns every tenant with tenant A's
// admin-role key, and wants it refused with code.
func refusedToA(method, path, code string) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		req, _ := http.NewRequestWithContext(ctxT(t), method, e.URL+path, strings.NewReader(`{"version":1}`))
		req.Header.Set("Authorization", "Bearer "+e.admA)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b json.RawMessage
		json.NewDecoder(resp.Body).Decode(&b)
		if got := errorCode(b); resp.StatusCode != 403 || string(got) != code {
			t.Fatalf("%s %s as tenant A's admin: %d %s; want 403 %s", method, path, resp.StatusCode, b, code)
		}
		return [][]byte{errorCode(b)}
	}
}

// rateOther rates one of tenant B's requests with tenant A's key: 404,
// as for an unknown id.
func rateOther(t *testing.T, e *isoEnv) [][]byte {
	resp, b := post(t, e.URL+"/v1/feedback", keyA, []byte(`{"request_id":"`+e.sent[tenantB][0]+`","thumbs":"up"}`))
	if resp.StatusCode != 404 {
		t.Fatalf("tenant A rates tenant B's request: %d %s", resp.StatusCode, b)
	}
	return [][]byte{errorCode(b)}
}

// errorCode returns the code of an OpenAI error body: a refusal's message
// may quote what tenant A asked for (tenant B's id or name), not more.
func errorCode(b []byte) []byte {
	var eb errorBody
	if json.Unmarshal(b, &eb) != nil || eb.Error.Code == nil {
		return b
	}
	return []byte(*eb.Error.Code)
}

// readOthersRequest reads each of tenant B's requests with tenant A's
// admin key: 404, as for an unknown id.
func readOthersRequest(t *testing.T, e *isoEnv) [][]byte {
	var out [][]byte
	for _, id := range e.sent[tenantB] {
		code, b := callAs(t, http.MethodGet, e.URL+"/admin/requests/"+id+"?tenant="+tenantA, adminA)
		if code != 404 {
			t.Fatalf("tenant A reads tenant B's request %s: %d %s", id, code, b)
		}
		out = append(out, errorCode(b))
	}
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/requests/"+e.sent[tenantA][0], adminA)
	if code != 200 {
		t.Fatalf("tenant A reads its own request: %d %s", code, b)
	}
	return append(out, b)
}

// createForOther asks tenant A's operator to make a key of tenant B.
func createForOther(t *testing.T, e *isoEnv) [][]byte {
	resp, b := post(t, e.URL+"/admin/keys", e.opA, []byte(`{"tenant":"`+tenantB+`"}`))
	if resp.StatusCode != 403 {
		t.Fatalf("tenant A's operator makes a key of tenant B: %d %s", resp.StatusCode, b)
	}
	return [][]byte{errorCode(b)}
}

// keyChange revokes or rotates tenant B's managed key with tenant A's
// operator key: 404, as for an unknown id.
func keyChange(method, suffix string) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		req, _ := http.NewRequestWithContext(ctxT(t), method, e.URL+"/admin/keys/"+e.keyIDB+suffix, nil)
		req.Header.Set("Authorization", "Bearer "+e.opA)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b json.RawMessage
		json.NewDecoder(resp.Body).Decode(&b)
		if resp.StatusCode != 404 {
			t.Fatalf("%s of tenant B's key by tenant A: %d %s", method, resp.StatusCode, b)
		}
		return [][]byte{errorCode(b)}
	}
}

// TestEveryEndpointIsolatesTenants calls every endpoint the router serves
// (found in the source: every HandleFunc and Handle pattern of server/,
// admin/ and api/) as tenant A, after both tenants sent traffic, rated
// it and got managed keys, and checks that no answer holds anything of
// tenant B: its request ids, tenant and key names, its prompts, the route
// and deployment only it used, its managed key. An endpoint that serves
// no tenant's data says why in its row.
func TestEveryEndpointIsolatesTenants(t *testing.T) {
	t.Parallel()
	rows := isoRows()
	served := servedPatterns(t)
	var listed []string
	for _, r := range rows {
		listed = append(listed, r.pattern)
	}
	for _, p := range served {
		if !slices.Contains(listed, p) {
			t.Errorf("endpoint %q has no row in isoRows: say how tenant A calls it, or why it holds no tenant's data", p)
		}
	}
	for _, p := range listed {
		if !slices.Contains(served, p) {
			t.Errorf("isoRows lists %q, which nothing serves any more", p)
		}
	}
	e := newIsoEnv(t)
	never := append([]string{tenantB, keyNameB, "Hamlet", "haiku about rain", "17 times 23", e.keyIDB}, e.sent[tenantB]...)
	onlyB := []string{`"gem"`, "gemini-2.5-flash"} // the route and deployment only tenant B used
	for _, r := range rows {
		t.Run(r.pattern, func(t *testing.T) {
			if r.call == nil {
				if r.none == "" {
					t.Fatal("a row without a call must say why the endpoint holds no tenant's data")
				}
				return
			}
			answers := r.call(t, e)
			joined := string(joinBytes(answers))
			check := never
			if !r.aggregate {
				check = append(slices.Clip(never), onlyB...)
			}
			for _, s := range check {
				if strings.Contains(joined, s) {
					t.Errorf("tenant A's answer holds %q of tenant B:\n%.2000s", s, joined)
				}
			}
			if r.want != "" && !strings.Contains(joined, r.want) {
				t.Errorf("the answer lacks %q: the call saw no data, so the check proves nothing:\n%.2000s", r.want, joined)
			}
		})
	}
}

// transcribeAs uploads a second of audio to path as tenant A.
func transcribeAs(path string) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		a := postForm(t, e.env, keyA, path, silentWAV(1), "model", "whisper-1")
		if a.status != 200 {
			t.Fatalf("POST %s: %d %s", path, a.status, a.body)
		}
		return [][]byte{[]byte(a.body)}
	}
}
