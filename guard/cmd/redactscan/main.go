// Command redactscan reports what guard.Redact would mask in files: for
// each kind, how many pieces, and some of them in context. It is how the
// false positives on public texts in docs/security.md were counted:
//
//	go run ./guard/cmd/redactscan ../shared/datasets/api_specs/*/*.json
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"switchyard/guard"
)

func main() {
	examples := flag.Int("n", 5, "pieces shown per kind")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: redactscan [-n pieces] file...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(os.Stdout, flag.Args(), *examples); err != nil {
		fmt.Fprintln(os.Stderr, "redactscan:", err)
		os.Exit(1)
	}
}

// run writes the report on files to w.
func run(w io.Writer, files []string, examples int) error {
	byKind := map[guard.Kind][]string{}
	r := &guard.Redactor{}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		s := string(b)
		for _, m := range r.Find(s) {
			byKind[m.Kind] = append(byKind[m.Kind], inContext(s, m))
		}
	}
	kinds := make([]guard.Kind, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "%-12s %6d\n", k, len(byKind[k]))
		for _, x := range byKind[k][:min(examples, len(byKind[k]))] {
			fmt.Fprintf(w, "    %s\n", x)
		}
	}
	return nil
}

// inContext quotes the piece m of s between ⟦ and ⟧, with a little of the
// text around it.
func inContext(s string, m guard.Match) string {
	a, b := max(0, m.Start-30), min(len(s), m.End+15)
	return fmt.Sprintf("%q", s[a:m.Start]+"⟦"+s[m.Start:m.End]+"⟧"+s[m.End:b])
}
