package main

import (
	"strings"
	"testing"
)

// shellCommands returns the simple commands of the shell blocks (sh,
// bash, shell; console, text and unnamed blocks for their "$ " lines) of
// README.md and docs/*.md, each as its words with the block it is in:
// continuation lines joined, "$ " prompts dropped, comments,
// redirections and environment assignments removed, and lists (&&, ;,
// |, &) split.
func shellCommands(t *testing.T) []shellCommand {
	var out []shellCommand
	for _, b := range docBlocks(t, "sh", "bash", "shell", "console", "text", "") {
		if b.skipped() {
			continue
		}
		for _, line := range shellLines(b) {
			for _, c := range splitCommands(shellWords(line.text)) {
				out = append(out, shellCommand{b, c.words, c.stdout, line.answer})
			}
		}
	}
	return out
}

// shellCommand is one simple command of a document's shell block.
type shellCommand struct {
	block  docBlock
	words  []string
	stdout string // the file its output is redirected to, or ""
	// answer is the comment the document writes under the command line
	// ("# 201 {…}"), without the #, or the output a console block shows
	// under it, or "".
	answer string
}

// shellLine is one command line of a block and the comment under it.
type shellLine struct{ text, answer string }

// shellLines joins a block's continued lines (a trailing backslash, or
// an open quote) and, in a block that is not sh, bash or shell, keeps
// only the lines after a "$ " prompt.
func shellLines(b docBlock) []shellLine {
	var lines []shellLine
	script := b.lang == "sh" || b.lang == "bash" || b.lang == "shell"
	cont, open, answering := false, false, false
	for _, l := range strings.Split(b.text, "\n") {
		s := strings.TrimSpace(l)
		switch {
		case open:
			lines[len(lines)-1].text += "\n" + l
		case cont:
			lines[len(lines)-1].text += " " + s
		case answering && strings.HasPrefix(s, "#"):
			lines[len(lines)-1].answer += strings.TrimSpace(strings.TrimPrefix(s, "#")) + "\n"
			continue
		default:
			if p, ok := strings.CutPrefix(s, "$ "); ok {
				s = p
			} else if !script && answering && s != "" {
				lines[len(lines)-1].answer += s + "\n"
				continue
			} else if !script || s == "" || strings.HasPrefix(s, "#") {
				answering = false
				continue
			}
			lines = append(lines, shellLine{text: s})
		}
		last := &lines[len(lines)-1].text
		open = unclosedQuote(*last)
		cont = false
		if t := strings.TrimRight(*last, " \t"); !open && strings.HasSuffix(t, "\\") {
			*last, cont = strings.TrimSuffix(t, "\\"), true
		}
		answering = !open && !cont
	}
	return lines
}

// unclosedQuote reports whether a line ends inside a quoted string.
func unclosedQuote(s string) bool {
	var q byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q == 0 && (c == '\'' || c == '"'):
			q = c
		case q == 0 && c == '#' && (i == 0 || s[i-1] == ' '):
			return false
		case q == '"' && c == '\\':
			i++
		case c == q:
			q = 0
		}
	}
	return q != 0
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
		case c == '\'':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				j = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == '"':
			i = doubleQuoted(line, i+1, &w)
			inWord = true
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			flush()
			return words
		case strings.IndexByte("|&;<>", c) >= 0:
			op := string(c)
			if c == '>' && inWord && strings.Trim(w.String(), "0123456789") == "" {
				op = w.String() + op // 2>: a file descriptor's redirection
				w.Reset()
				inWord = false
			}
			flush()
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

// simpleCommand is one command of a list.
type simpleCommand struct {
	words  []string
	stdout string // the file its output is redirected to, or ""
}

// splitCommands splits words at the list operators, drops redirections
// (with their targets, an output file kept) and leading VAR=value
// assignments.
func splitCommands(words []string) []simpleCommand {
	var out []simpleCommand
	var cur simpleCommand
	end := func() {
		for len(cur.words) > 0 && strings.Contains(cur.words[0], "=") && !strings.HasPrefix(cur.words[0], "-") {
			cur.words = cur.words[1:]
		}
		if len(cur.words) > 0 {
			out = append(out, cur)
		}
		cur = simpleCommand{}
	}
	for i := 0; i < len(words); i++ {
		switch w := words[i]; w {
		case "|", "||", "&", "&&", ";":
			end()
		case ">", ">>":
			if i+1 < len(words) {
				cur.stdout = words[i+1]
			}
			i++
		case "<", "<<":
			i++
		case ">&":
		default:
			if strings.HasSuffix(w, ">") || strings.HasSuffix(w, ">&") { // 2> 2>&
				i++
				continue
			}
			cur.words = append(cur.words, w)
		}
	}
	end()
	return out
}

// doubleQuoted writes the double-quoted string of line starting at i,
// its backslash escapes undone, and returns the index of its closing
// quote.
func doubleQuoted(line string, i int, w *strings.Builder) int {
	for ; i < len(line) && line[i] != '"'; i++ {
		if line[i] == '\\' && i+1 < len(line) && strings.IndexByte("\"\\$`", line[i+1]) >= 0 {
			i++
		}
		w.WriteByte(line[i])
	}
	return i
}
