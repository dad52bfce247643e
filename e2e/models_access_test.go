package e2e

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"switchyard/config"
	"switchyard/server"
)

// TestModelListFollowsKeyAccess: GET /v1/models lists to a key with
// access lists only the routes and deployments it may ask for, and GET
// /v1/models/{id} of another is a 404 as for a model that does not
// exist; a key without lists sees every one.
func TestModelListFollowsKeyAccess(t *testing.T) {
	t.Parallel()
	const openKey = "ck-open-0123456789"
	e := limitsEnv(t, func(c *config.Config) {
		c.Auth.Keys = append(c.Auth.Keys, config.Key{Key: openKey, Name: "acme-open", Tenant: "acme"})
	}, server.RouterOptions{})
	want := []string{"gpt-4o-mini", "plain", "text-embedding-3-small"}
	if ids := listModels(t, e.URL, limitKey); !slices.Equal(ids, want) {
		t.Errorf("listed %v to a key with access lists, want %v", ids, want)
	}
	for id, status := range map[string]int{"plain": 200, "gpt-4o-mini": 200, "auto": 404, "claude-haiku-4-5": 404} {
		if code, b := callAs(t, http.MethodGet, e.URL+"/v1/models/"+id, limitKey); code != status {
			t.Errorf("GET /v1/models/%s: %d %s, want %d", id, code, b, status)
		}
	}
	all := listModels(t, e.URL, openKey)
	for _, id := range []string{"auto", "plain", "claude-haiku-4-5", "gpt-4o-mini"} {
		if !slices.Contains(all, id) {
			t.Errorf("a key without access lists does not see %s: %v", id, all)
		}
	}
}

// listModels returns the sorted ids GET /v1/models lists to key.
func listModels(t *testing.T, base, key string) []string {
	t.Helper()
	code, b := callAs(t, http.MethodGet, base+"/v1/models", key)
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &list); code != 200 || err != nil {
		t.Fatalf("GET /v1/models: %d %s", code, b)
	}
	var ids []string
	for _, m := range list.Data {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}
