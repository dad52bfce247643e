package admin

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// TestRolesTableIsDocumented: the roles table of docs/admin-api.md is
// admin.Rules, row for row.
func TestRolesTableIsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "admin-api.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile("(?m)^\\| `([A-Z]+ /[^`]*)` \\| (viewer|operator|admin) \\| (shared|tenant|global) \\|$").FindAllSubmatch(doc, -1)
	var documented, coded []string
	for _, r := range rows {
		documented = append(documented, string(r[1])+" "+string(r[2])+" "+string(r[3]))
	}
	for _, r := range Rules {
		coded = append(coded, r.Pattern+" "+string(r.Role)+" "+string(r.Scope))
	}
	slices.Sort(documented)
	slices.Sort(coded)
	if !slices.Equal(documented, coded) {
		t.Errorf("docs/admin-api.md's roles table:\n%v\nadmin.Rules:\n%v", documented, coded)
	}
}
