// Command gen writes the classifier's written-here training examples: the
// extraction and summarization classes, which no public labeled set covers,
// and extra creative, chat, factual, reasoning and code prompts phrased the
// way people type them, in English and eight other languages.
//
// Every example is made here, by templates and word lists in this directory
// (no public dataset text), and carries "source":"written-here:CLASS:GEN",
// naming the generator, so evaluation can hold out whole generators. The
// output is deterministic:
//
//	go run ./classify/internal/gen -out classify/testdata/written
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// example is one output line.
type example struct {
	Text      string   `json:"text"`
	Label     string   `json:"label"`
	Source    string   `json:"source"`
	System    string   `json:"system,omitempty"`
	History   []string `json:"history,omitempty"`
	WantsJSON bool     `json:"wants_json,omitempty"`
	Tools     bool     `json:"tools,omitempty"`
}

// generator makes the examples of one source.
type generator struct {
	class, name string
	n           int // how many examples to make
	make        func(g *G) example
}

var generators []generator

// register adds a generator; files call it from init.
func register(class, name string, n int, f func(g *G) example) {
	generators = append(generators, generator{class, name, n, f})
}

func main() {
	out := flag.String("out", "classify/testdata/written", "output directory")
	flag.Parse()
	if err := generate(*out); err != nil {
		fail(err)
	}
}

// generate writes one CLASS.jsonl file per class into dir.
func generate(dir string) error {
	files, err := render()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// render runs every generator and returns the file contents by file name.
func render() (map[string][]byte, error) {
	byClass := map[string][]example{}
	gens := slices.Clone(generators)
	slices.SortStableFunc(gens, func(a, b generator) int {
		return strings.Compare(a.class+":"+a.name, b.class+":"+b.name)
	})
	for _, gen := range gens {
		g := &G{r: rng{state: seedOf(gen.class + ":" + gen.name)}}
		seen := map[string]bool{}
		for tries := 0; len(seen) < gen.n && tries < gen.n*30; tries++ {
			e := gen.make(g)
			e.Text = strings.TrimSpace(e.Text)
			if e.Text == "" || seen[e.Text] {
				continue
			}
			seen[e.Text] = true
			g.decorate(&e, gen.class)
			e.Label = gen.class
			e.Source = "written-here:" + gen.class + ":" + gen.name
			byClass[gen.class] = append(byClass[gen.class], e)
		}
		if len(seen) < gen.n {
			return nil, fmt.Errorf("%s:%s made %d of %d examples", gen.class, gen.name, len(seen), gen.n)
		}
	}
	files := map[string][]byte{}
	for class, ex := range byClass {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, e := range ex {
			if err := enc.Encode(e); err != nil {
				return nil, err
			}
		}
		files[class+".jsonl"] = b.Bytes()
	}
	return files, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// seedOf derives a generator's seed from its name (FNV-1a 64).
func seedOf(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// rng is splitmix64.
type rng struct{ state uint64 }

func (r *rng) next() uint64 {
	r.state += 0x9E3779B97F4A7C15
	z := r.state
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// G is a generator's toolbox: a seeded random source and text helpers.
type G struct{ r rng }

// intn returns a number in [0, n).
func (g *G) intn(n int) int { return int(g.r.next() % uint64(n)) }

// rangeInt returns a number in [lo, hi].
func (g *G) rangeInt(lo, hi int) int { return lo + g.intn(hi-lo+1) }

// chance reports true with probability p.
func (g *G) chance(p float64) bool { return float64(g.r.next()>>11)/(1<<53) < p }

// pick returns a random element.
func (g *G) pick(list []string) string { return list[g.intn(len(list))] }

// pickN returns n distinct random elements.
func (g *G) pickN(list []string, n int) []string {
	idx := make([]int, len(list))
	for i := range idx {
		idx[i] = i
	}
	for i := len(idx) - 1; i > 0; i-- {
		j := g.intn(i + 1)
		idx[i], idx[j] = idx[j], idx[i]
	}
	out := make([]string, 0, n)
	for _, i := range idx[:min(n, len(idx))] {
		out = append(out, list[i])
	}
	return out
}

// fill replaces every {name} in tmpl by a random pick from slots[name].
// A slot name missing from slots is left as is (and shows up in review).
func (g *G) fill(tmpl string, slots map[string][]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		name := tmpl[i+1 : i+j]
		b.WriteString(tmpl[:i])
		if list, ok := slots[name]; ok {
			b.WriteString(g.pick(list))
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// casual roughens a short prompt the way people type: sometimes all
// lowercase, sometimes without its final punctuation.
func (g *G) casual(s string) string {
	if g.chance(0.3) {
		s = strings.ToLower(s)
	}
	if g.chance(0.25) {
		s = strings.TrimRight(s, ".?!")
	}
	return s
}

// wrap puts an instruction before or after a document, joined by a blank
// line, or with a label line.
func (g *G) wrap(instr, doc string) string {
	switch g.intn(5) {
	case 0, 1:
		return instr + "\n\n" + doc
	case 2:
		return doc + "\n\n" + instr
	case 3:
		return instr + "\n\n\"\"\"\n" + doc + "\n\"\"\""
	}
	return instr + "\n\nText:\n" + doc
}

// money formats an amount with two decimals.
func money(cents int) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }
