package migrate

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	ms, err := Load(fstest.MapFS{"0002_b.sql": file("B"), "0001_a.sql": file("A"), "README": file("x")})
	if err != nil || len(ms) != 2 || ms[0] != (Migration{1, "a", "A"}) || ms[1] != (Migration{2, "b", "B"}) {
		t.Fatalf("Load = %+v, %v", ms, err)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"gap":       {"0001_a.sql": file("A"), "0003_c.sql": file("C")},
		"no number": {"init.sql": file("A")},
		"duplicate": {"0001_a.sql": file("A"), "01_b.sql": file("B")},
		"empty":     {},
	} {
		if _, err := Load(fsys); err == nil || !strings.Contains(err.Error(), "migrate:") {
			t.Errorf("%s: Load error = %v, want one", name, err)
		}
	}
}
