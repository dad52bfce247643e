package admin

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// patternMux notes the patterns Mount registers.
type patternMux []string

func (m *patternMux) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	*m = append(*m, pattern)
}

var endpointRef = regexp.MustCompile("`((?:GET|POST|PUT|PATCH|DELETE) /admin/[^`]*)`")

// TestRoutesDocumented fails when the routes Mount registers, admin.Rules
// (its /admin/ rows; /metrics is the server's) and docs/admin-api.md
// disagree: the endpoints table at the top of the
// page lists every route and only those, and each route has a section
// whose heading names it.
func TestRoutesDocumented(t *testing.T) {
	var mounted patternMux
	(&Handler{}).Mount(&mounted)
	if len(mounted) < 20 {
		t.Fatalf("Mount registered %d routes", len(mounted))
	}
	var ruled []string
	for _, r := range Rules {
		ruled = append(ruled, r.Pattern)
	}
	for _, p := range mounted {
		if !slices.Contains(ruled, p) {
			t.Errorf("%s is mounted but has no row in Rules", p)
		}
	}
	for _, p := range ruled {
		if strings.Contains(p, " /admin/") && !slices.Contains(mounted, p) {
			t.Errorf("Rules has a row for %s, which is not mounted", p)
		}
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "admin-api.md"))
	if err != nil {
		t.Fatal(err)
	}
	table, headings := adminDocRefs(string(doc))
	for _, p := range mounted {
		if !slices.Contains(table, p) {
			t.Errorf("docs/admin-api.md's endpoints table does not list %s", p)
		}
		if !slices.Contains(headings, p) {
			t.Errorf("no heading of docs/admin-api.md names %s", p)
		}
	}
	for _, p := range append(table, headings...) {
		if !slices.Contains(mounted, p) {
			t.Errorf("docs/admin-api.md names %s, which is not mounted", p)
		}
	}
}

// adminDocRefs returns the endpoints the page's first table (| endpoint |
// what |) names, and those its headings name.
func adminDocRefs(doc string) (table, headings []string) {
	inTable := false
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "| endpoint |"):
			inTable = true
		case inTable && !strings.HasPrefix(line, "|"):
			inTable = false
		case strings.HasPrefix(line, "#"):
			for _, m := range endpointRef.FindAllStringSubmatch(line, -1) {
				headings = append(headings, m[1])
			}
		}
		if inTable {
			for _, m := range endpointRef.FindAllStringSubmatch(line, -1) {
				table = append(table, m[1])
			}
		}
	}
	return table, headings
}
