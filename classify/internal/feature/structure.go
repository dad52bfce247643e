package feature

import (
	"math/bits"
	"strings"
)

// Structural signals of the main text: code lines and fences, JSON, bullets,
// questions, digits. They are computed from at most structScanMax bytes with
// the strings package's fast searches and a per-line check of line starts
// and ends only.

const structScanMax = 16 << 10

// structure holds the structural signals of one text.
type structure struct {
	lines     int // newline-separated lines
	codeLines int // lines that look like source code
	bullets   int // lines starting with "- ", "* ", "• " or "1."
	fences    int // occurrences of ```
	jsonKeys  int // occurrences of `":`, JSON object keys
	braces    bool
	mathSyms  int  // occurrences of = ^ and math signs (√ ∫ π ≤ ≥ × ÷ ² ∑)
	arith     int  // arithmetic between numbers in the first arithScan bytes: "17 * 23", "3+4", "10 - 2"
	question  bool // contains a question mark
	endsQ     bool // ends with a question mark
}

// codeStarts are line starts (after indentation, case-folded) typical of
// source code.
var codeStarts = [...]string{
	"def ", "class ", "import ", "from ", "#include", "function ", "func ", "public ",
	"private ", "protected ", "static ", "return ", "return;", "const ", "let ", "var ",
	"for (", "for(", "if (", "if(", "while (", "} else", "//", "/*", "<?php",
	"package ", "select ", "insert into", "print(", "printf(", "console.", "#!/", "elif ",
	"else:", "try:", "except", ">>> ", "int ", "void ", "fn ", "pub ", "async ", "await ",
	"std::", "using ", "namespace ", "@", "$ ", "<div", "</", "SELECT ",
}

// mathSigns are signs of formulas beyond = and ^.
var mathSigns = [...]string{"√", "∫", "π", "≤", "≥", "×", "÷", "²", "∑"}

// codeEnds are line ends typical of source code.
var codeEnds = [...]string{";", "{", "}", "};", ");", "):", "])", "=>", "\\"}

// hasPrefixFold reports whether s starts with the ASCII-lowercase p.
func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

// isCodeLine reports whether a line looks like a line of source code.
func isCodeLine(line string) bool {
	indent := 0
	for indent < len(line) && (line[indent] == ' ' || line[indent] == '\t') {
		indent++
	}
	l := strings.TrimRight(line[indent:], " \t\r")
	if strings.Trim(l, "{}[](),;") == "" {
		return false // blank, or only brackets: JSON as much as code
	}
	for _, p := range codeStarts {
		if hasPrefixFold(l, p) {
			return true
		}
	}
	for _, e := range codeEnds {
		if strings.HasSuffix(l, e) {
			return true
		}
	}
	if indent >= 4 && (strings.IndexByte(l, '(') >= 0 || strings.Contains(l, " = ")) {
		return true
	}
	return strings.Contains(l, " = ") && strings.IndexByte(l, '(') >= 0 && !strings.Contains(l, ". ")
}

// isBullet reports whether a line starts a list item.
func isBullet(line string) bool {
	l := strings.TrimLeft(line, " \t")
	if len(l) < 2 {
		return false
	}
	switch {
	case (l[0] == '-' || l[0] == '*') && l[1] == ' ':
		return true
	case strings.HasPrefix(l, "• "):
		return true
	case l[0] >= '0' && l[0] <= '9' && (l[1] == '.' || l[1] == ')'):
		return true
	}
	return false
}

// scanStructure computes the structural signals of s.
func scanStructure(s string) structure {
	if len(s) > structScanMax {
		s = s[:runeStart(s, structScanMax)]
	}
	var st structure
	st.fences = strings.Count(s, "```")
	st.jsonKeys = strings.Count(s, "\":")
	st.braces = strings.IndexByte(s, '{') >= 0
	st.mathSyms = strings.Count(s, "=") + strings.Count(s, "^")
	for _, sign := range mathSigns {
		st.mathSyms += strings.Count(s, sign)
	}
	st.arith = countArithmetic(s[:runeStart(s, min(len(s), arithScan))])
	st.question = strings.IndexByte(s, '?') >= 0 || strings.Contains(s, "？")
	t := strings.TrimRight(s, " \t\r\n")
	st.endsQ = strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？")
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		st.lines++
		if strings.HasPrefix(strings.TrimLeft(line, " \t"), "```") {
			continue
		}
		if isCodeLine(line) {
			st.codeLines++
		}
		if isBullet(line) {
			st.bullets++
		}
	}
	return st
}

// hasCode reports whether the text holds code: a fence, or at least two
// code-like lines.
func (st *structure) hasCode() bool {
	return st.fences > 0 || st.codeLines >= 2
}

// bucket returns bits.Len(n) capped at max: a log2 length bucket.
func bucket(n, max int) int {
	if n < 0 {
		n = 0
	}
	b := bits.Len(uint(n))
	if b > max {
		b = max
	}
	return b
}

// ratioBucket buckets the share of digits among letters and digits.
func ratioBucket(digits, letters int32) int {
	total := digits + letters
	if total == 0 || digits == 0 {
		return 0
	}
	r := float64(digits) / float64(total)
	switch {
	case r < 0.02:
		return 1
	case r < 0.05:
		return 2
	case r < 0.12:
		return 3
	case r < 0.3:
		return 4
	}
	return 5
}

// arithScan bounds the bytes searched for arithmetic: short questions
// ("what is 17 * 23") are where it decides.
const arithScan = 256

// countArithmetic counts binary operators between two numbers: + * × ÷
// with or without spaces around them, - and / only with spaces (so dates
// and fractions like 2024-03-14 and 3/4 do not count).
func countArithmetic(s string) int {
	n := 0
	for i := 1; i < len(s); i++ {
		if !isDigit(s[i-1]) {
			continue
		}
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		spaced := j > i
		op := 0 // operator length in bytes
		switch {
		case j < len(s) && (s[j] == '+' || s[j] == '*'):
			op = 1
		case j < len(s) && (s[j] == '-' || s[j] == '/') && spaced:
			op = 1
		case strings.HasPrefix(s[j:], "×") || strings.HasPrefix(s[j:], "÷"):
			op = len("×")
		}
		if op == 0 {
			continue
		}
		k := j + op
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k < len(s) && isDigit(s[k]) && (spaced == (k > j+op) || s[j] != '-' && s[j] != '/') {
			n++
			i = k
		}
	}
	return n
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
