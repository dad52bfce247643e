package main

import (
	"strings"
	"testing"
)

// shellCommands returns the simple commands of the shell blocks (sh,
// bash, shell; console and text blocks for their "$ " lines) of README.md and docs/*.md, each as its words
// with the block it is in: continuation lines joined, a console block's
// output lines and "$ " prompts dropped, comments, redirections and
// environment assignments removed, and lists (&&, ;, |, &) split.
func shellCommands(t *testing.T) []shellCommand {
	var out []shellCommand
	for _, b := range docBlocks(t, "sh", "bash", "shell", "console", "text", "") {
		if b.skipped() {
			continue
		}
		for _, line := range shellLines(b) {
			for _, words := range splitCommands(shellWords(line)) {
				out = append(out, shellCommand{b, words})
			}
		}
	}
	return out
}

// shellCommand is one simple command of a document's shell block.
type shellCommand struct {
	block docBlock
	words []string
}

// shellLines joins a block's continued lines and, in a console block,
// keeps only the lines after a "$ " prompt (in a sh, bash or shell block
// every line is a command).
func shellLines(b docBlock) []string {
	var lines []string
	cont := false
	for _, l := range strings.Split(b.text, "\n") {
		if cont {
			lines[len(lines)-1] += " " + strings.TrimSpace(strings.TrimSuffix(l, "\\"))
		} else {
			s := strings.TrimSpace(l)
			if p, ok := strings.CutPrefix(s, "$ "); ok {
				s = p
			} else if b.lang != "sh" && b.lang != "bash" && b.lang != "shell" {
				continue
			}
			lines = append(lines, strings.TrimSuffix(s, "\\"))
		}
		cont = strings.HasSuffix(strings.TrimSpace(l), "\\")
	}
	return lines
}

// shellWords splits a line into words and operators as a POSIX shell
// does, for the quoting the documents use (single and double quotes, no
// expansion); a word starting with # ends the line.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				j = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			flush()
			return words
		case strings.IndexByte("|&;<>", c) >= 0:
			flush()
			op := string(c)
			if i+1 < len(line) && (line[i+1] == c || line[i+1] == '&') {
				op += string(line[i+1])
				i++
			}
			words = append(words, op)
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// splitCommands splits words at the list operators, drops redirections
// (with their targets) and leading VAR=value assignments.
func splitCommands(words []string) [][]string {
	var out [][]string
	var cur []string
	end := func() {
		for len(cur) > 0 && strings.Contains(cur[0], "=") && !strings.HasPrefix(cur[0], "-") {
			cur = cur[1:]
		}
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur = nil
	}
	for i := 0; i < len(words); i++ {
		switch w := words[i]; w {
		case "|", "||", "&", "&&", ";":
			end()
		case ">", ">>", "<", "<<":
			i++
		case ">&":
		default:
			if strings.HasSuffix(w, ">") || strings.HasSuffix(w, ">&") { // 2> 2>&
				i++
				continue
			}
			cur = append(cur, w)
		}
	}
	end()
	return out
}
