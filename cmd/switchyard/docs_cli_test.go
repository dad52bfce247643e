package main

import (
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

// flaglessCommands are the commands that take no flag.
var flaglessCommands = map[string]bool{"config init": true, "config check": true, "drift starter": true, "version": true, "help": true}

// TestDocCLIExamples: every switchyard command line of the documents'
// shell blocks names a command, and its flags parse with that command's
// own flag set (the commands are not run). A bracketed option ([--json])
// is checked as if given.
func TestDocCLIExamples(t *testing.T) {
	sets, _ := cliFlagSets(t)
	checked := 0
	var bins map[string]bool
	var block docBlock
	for _, c := range shellCommands(t) {
		if c.block != block {
			block = c.block
			bins = map[string]bool{"switchyard": true, "./switchyard": true, "bin/switchyard": true, "./bin/switchyard": true}
		}
		if out, ok := builtSwitchyard(c.words); ok {
			bins[out] = true
			continue
		}
		args, ok := switchyardArgs(c.words, bins)
		if !ok {
			continue
		}
		checked++
		if err := parseCLIExample(sets, args); err != nil {
			t.Errorf("%s: switchyard %s: %v", c.block.where(), strings.Join(args, " "), err)
		}
	}
	t.Logf("%d switchyard command lines checked", checked)
	if checked < 20 {
		t.Errorf("only %d command lines found: is the extraction broken?", checked)
	}
}

// builtSwitchyard returns the binary a "go build -o X ./cmd/switchyard"
// writes.
func builtSwitchyard(words []string) (string, bool) {
	if len(words) < 3 || words[0] != "go" || words[1] != "build" || strings.TrimSuffix(words[len(words)-1], "/") != "./cmd/switchyard" {
		return "", false
	}
	i := slices.Index(words, "-o")
	if i < 0 || i+1 >= len(words) {
		return "switchyard", true
	}
	return words[i+1], true
}

// switchyardArgs returns a command's arguments when it runs switchyard
// (one of bins, go run, or the docker image), optional brackets removed.
func switchyardArgs(words []string, bins map[string]bool) ([]string, bool) {
	switch {
	case len(words) > 0 && bins[words[0]]:
		words = words[1:]
	case len(words) > 2 && words[0] == "docker" && words[1] == "run" && slices.Contains(words, "switchyard"):
		words = words[slices.Index(words, "switchyard")+1:]
		if len(words) == 0 {
			return nil, false // the image's default command (the Dockerfile's CMD)
		}
	case len(words) > 2 && words[0] == "go" && words[1] == "run" && strings.TrimSuffix(words[2], "/") == "./cmd/switchyard":
		words = words[3:]
	default:
		return nil, false
	}
	var args []string
	for _, w := range words {
		w = strings.TrimRight(strings.TrimLeft(w, "["), "]")
		if w != "" && w != "|" && w != "..." && w != "…" {
			args = append(args, w)
		}
	}
	return args, true
}

// parseCLIExample parses a command line's flags as its command does.
func parseCLIExample(sets map[string]*flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return errorf("no command")
	}
	name, rest := args[0], args[1:]
	if len(args) > 1 && sets[args[0]+" "+args[1]] != nil || flaglessCommands[strings.Join(args[:min(2, len(args))], " ")] {
		name, rest = args[0]+" "+args[1], args[2:]
	}
	if name == "replay" && slices.Contains(rest, "--log") {
		name, rest = "replay --log", slices.DeleteFunc(slices.Clone(rest), func(s string) bool { return s == "--log" })
	}
	if flaglessCommands[name] || flaglessCommands[args[0]] {
		for _, a := range rest {
			if strings.HasPrefix(a, "-") {
				return errorf("%s takes no flag, given %s", name, a)
			}
		}
		return nil
	}
	fs := sets[name]
	if fs == nil {
		return errorf("no command %q", name)
	}
	fs.SetOutput(io.Discard)
	if strings.HasPrefix(name, "keys ") {
		_, err := parseInterleaved(fs, rest)
		return err
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	for _, a := range fs.Args() {
		if strings.HasPrefix(a, "-") && a != "-" { // - is standard input
			return errorf("the flag %s after a positional argument is not parsed", a)
		}
	}
	return nil
}
