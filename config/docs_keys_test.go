package config

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docs/config.md's reference tables name every key the parser accepts.
// Each table of fields is preceded by a comment naming the path its rows
// are under — <!-- keys: routes.* --> ("." for the top level; several
// paths when the same fields are accepted at each) — and a row's first
// cell names its fields (`name`, `latency.ttft`, `categories.NAME.examples`);
// a type cell written `{a, b}` names the fields of the object the row is,
// and one written list of `{a, b}` those of each of its entries.

var (
	keysMarker = regexp.MustCompile(`^<!-- keys: (.+) -->$`)
	backticked = regexp.MustCompile("`([^`]+)`")
	fieldName  = regexp.MustCompile(`^[a-z_0-9]+(\.[a-zA-Z_0-9]+)*$`)
	upperSeg   = regexp.MustCompile(`^[A-Z]+$`)
	objectType = regexp.MustCompile("`\\{([^`]+)\\}`")
)

// docKey is one key a table of config.md names, and where.
type docKey struct {
	path string
	line int
}

// splitRow splits a Markdown table row into its cells; \| is not a
// separator.
func splitRow(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(strings.TrimSuffix(row, "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		if row[i] == '\\' && i+1 < len(row) && row[i+1] == '|' {
			cur.WriteByte('|')
			i++
			continue
		}
		if row[i] == '|' {
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(row[i])
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// docPath writes a documented name under prefix in acceptedKeys' form.
func docPath(prefix, name string) string {
	segs := strings.Split(name, ".")
	for i, s := range segs {
		if upperSeg.MatchString(s) {
			segs[i] = "*"
		}
	}
	name = strings.Join(segs, ".")
	if prefix == "." {
		return name
	}
	return prefix + "." + name
}

// documentedKeys reads the keys named by config.md's marked tables. A
// table of fields without a marker is an error: its rows would not be
// checked.
func documentedKeys(t *testing.T, text string) []docKey {
	var keys []docKey
	var prefixes []string
	inTable := false
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		n := i + 1
		if m := keysMarker.FindStringSubmatch(line); m != nil {
			prefixes = strings.Fields(m[1])
			continue
		}
		if !strings.HasPrefix(line, "|") {
			if strings.TrimSpace(line) != "" {
				prefixes = nil
			}
			inTable = false
			continue
		}
		cells := splitRow(line)
		if !inTable {
			inTable = true
			if !tableDelimiter(lines, i+1) {
				t.Errorf("docs/config.md:%d: a table row with no header above it (a paragraph or a blank line cut the table)", n)
			}
			if len(prefixes) == 0 && strings.HasSuffix(cells[0], "field") {
				t.Errorf("docs/config.md:%d: a table of fields with no <!-- keys: PATH --> line above it", n)
			}
			continue
		}
		if len(prefixes) == 0 || strings.HasPrefix(cells[0], "---") {
			continue
		}
		for _, p := range prefixes {
			keys = append(keys, rowKeys(t, n, p, cells)...)
		}
	}
	return keys
}

// tableDelimiter reports whether lines[i] is a table's |---| row.
func tableDelimiter(lines []string, i int) bool {
	return i < len(lines) && strings.HasPrefix(strings.ReplaceAll(lines[i], " ", ""), "|---")
}

// rowKeys returns the keys one row of a marked table names.
func rowKeys(t *testing.T, line int, prefix string, cells []string) []docKey {
	var keys []docKey
	for _, m := range backticked.FindAllStringSubmatch(cells[0], -1) {
		if !fieldName.MatchString(m[1]) {
			t.Errorf("docs/config.md:%d: %q is not a field name", line, m[1])
			continue
		}
		path := docPath(prefix, m[1])
		keys = append(keys, docKey{path, line})
		if len(cells) < 2 {
			continue
		}
		sub := objectType.FindStringSubmatch(cells[1])
		if sub == nil {
			continue
		}
		if strings.HasPrefix(cells[1], "list") {
			path += "[]"
		}
		for _, s := range strings.Split(sub[1], ",") {
			keys = append(keys, docKey{path + "." + strings.TrimSpace(s), line})
		}
	}
	return keys
}

// TestConfigDocsNameEveryKey fails when docs/config.md's tables and the
// parser disagree: a key the parser accepts that no table names, or a
// key a table names that the parser does not accept.
func TestConfigDocsNameEveryKey(t *testing.T) {
	b, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	docs := documentedKeys(t, string(b))
	accepted := acceptedKeys(t)
	named := map[string]bool{}
	for _, k := range docs {
		named[k.path] = true
		if _, ok := accepted[k.path]; !ok {
			t.Errorf("docs/config.md:%d names %s, which the parser does not accept", k.line, k.path)
		}
	}
	var missing []string
	for path, leaf := range accepted {
		top := !strings.ContainsAny(path, ".[")
		if (leaf || top) && !named[path] {
			missing = append(missing, path)
		}
	}
	slices.Sort(missing)
	for _, p := range missing {
		t.Errorf("the parser accepts %s, which no table of docs/config.md names", p)
	}
}

// TestRestartOnlyDocumented fails when docs/admin-api.md's list of what
// only a restart changes (PUT /admin/config, step 4) and restartOnly
// disagree: a section the list leaves out would be refused by a reload
// the page says applies in place, and one it names in excess would be
// restarted for nothing.
func TestRestartOnlyDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/admin-api.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "4. **What only a restart changes**")
	end := strings.Index(text[max(start, 0):], ". Providers,")
	if start < 0 || end < 0 {
		t.Fatal("docs/admin-api.md: no list of what only a restart changes (4. **What only a restart changes** … . Providers,)")
	}
	accepted := acceptedKeys(t)
	var listed []string
	for _, m := range backticked.FindAllStringSubmatch(text[start:start+end], -1) {
		if _, ok := accepted[m[1]]; ok {
			listed = append(listed, m[1])
		}
	}
	var coded []string
	for _, s := range restartOnly {
		coded = append(coded, s.path)
	}
	slices.Sort(listed)
	slices.Sort(coded)
	if !slices.Equal(slices.Compact(listed), coded) {
		t.Errorf("docs/admin-api.md says only a restart changes %v; restartOnly is %v", listed, coded)
	}
}
