package e2e

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/config"
)

// newIsoEnv starts the router and sends, rates and keys both tenants.
// Tenant B alone asks about Hamlet, a haiku and 17 times 23 (its prompts
// are stored, redacted) and uses route gem (deployment gemini-2.5-flash).
func newIsoEnv(t *testing.T) *isoEnv {
	st := storeBackends[0].open(t)
	e := tenantEnv(t, st, func(c *config.Config) {
		withMedia(c)
		c.Store.Bodies = config.StoreBodiesRedacted
		// Every tenant's own token budget: GET /admin/budgets lists an
		// instance per tenant that spent.
		c.Budgets = append(c.Budgets, config.Budget{Name: "per-tenant", Scope: config.ScopeTenant, Match: config.MatchAll,
			Period: config.PeriodMonthly, LimitTokens: 1 << 40, Mode: config.BudgetHard, AlertAt: config.DefaultAlertAt})
	})
	sent := sendTenantTraffic(t, e)
	all := append(append(append([]string{}, sent[tenantA]...), sent[tenantB]...), sent[""]...)
	allRows(t, e, st, all)
	for tenant, key := range map[string]string{tenantA: keyA, tenantB: keyB} {
		resp, b := post(t, e.URL+"/v1/feedback", key, []byte(`{"request_id":"`+sent[tenant][0]+`","thumbs":"down"}`))
		if resp.StatusCode != 204 {
			t.Fatalf("%s rates its request: %d %s", tenant, resp.StatusCode, b)
		}
	}
	ie := &isoEnv{env: e, sent: sent}
	ie.opA = createKey(t, e, `{"admin":true,"role":"operator","tenant":"`+tenantA+`"}`).Key
	ie.admA = createKey(t, e, `{"admin":true,"role":"admin","tenant":"`+tenantA+`","name":"acme-admin"}`).Key
	createKey(t, e, `{"tenant":"`+tenantA+`","name":"acme-managed"}`)
	ie.keyIDB = createKey(t, e, `{"tenant":"`+tenantB+`","name":"globex-managed"}`).ID
	ie.respA = storeResponseAs(t, e, keyA, "Tell me about rivers.")
	ie.respB = storeResponseAs(t, e, keyB, "Who wrote Hamlet?")
	ie.convA, ie.itemA = conversationOf(t, e, keyA, "Tell me about rivers.")
	ie.convB, ie.itemB = conversationOf(t, e, keyB, "Who wrote Hamlet?")
	ie.chatA = storedChatAs(t, e, keyA, "Tell me about rivers.")
	ie.chatB = storedChatAs(t, e, keyB, "Who wrote Hamlet?")
	ie.fileA = fileAs(t, e, keyA, "Tell me about rivers.")
	ie.fileB = fileAs(t, e, keyB, "Who wrote Hamlet?")
	ie.batchA = batchAs(t, e, keyA, "Tell me about rivers.")
	ie.batchB = batchAs(t, e, keyB, "Who wrote Hamlet?")
	ie.msgBatchA = msgBatchAs(t, e, keyA, "Tell me about rivers.")
	ie.msgBatchB = msgBatchAs(t, e, keyB, "Who wrote Hamlet?")
	return ie
}

func createKey(t *testing.T, e *env, body string) admin.NewKey {
	t.Helper()
	resp, b := post(t, e.URL+"/admin/keys", adminAll, []byte(body))
	var k admin.NewKey
	if resp.StatusCode != 201 || json.Unmarshal(b, &k) != nil {
		t.Fatalf("create key %s: %d %s", body, resp.StatusCode, b)
	}
	return k
}

// servedPatterns returns the pattern of every HandleFunc and Handle call
// with a literal pattern in the non-test Go files of server/, admin/ and
// api/ (and its subdirectories).
func servedPatterns(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, root := range []string{"../server", "../admin", "../api"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			out = append(out, patternsIn(t, path)...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) < 10 {
		t.Fatalf("found only %d patterns in the source: %v", len(out), out)
	}
	return out
}

func patternsIn(t *testing.T, path string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle" {
			return true
		}
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if p, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, p)
			}
		}
		return true
	})
	return out
}
