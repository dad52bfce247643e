package offline

import "math"

// Shape features: numbers about a prompt's form that hold for any task.
// They are computed from at most shapeScanMax bytes (the length itself
// from the whole prompt).

const shapeScanMax = 32 << 10

// Shape features have slots of their own, below ShapeSlots. Each of the
// shapeNames values, in [0, 1], is one linear feature and one of
// shapeBins one-hot bins (so the model can learn a curve, not only a
// slope). The values are computed for the whole prompt and again for its
// last block (after the last blank line: the question after the
// instructions or the worked examples).
var shapeNames = [...]string{
	"len", "lines", "blocks", "digits", "upper", "punct", "nonascii",
	"options", "questions", "lastline", "code", "wordlen",
}

const (
	numShape  = len(shapeNames)
	shapeBins = 8
	// shapeParts is the whole prompt and its last block.
	shapeParts = 2
	// ShapeSlots is the number of buckets reserved for shape features;
	// hashed text features never land in them.
	ShapeSlots = 256
)

// The slot layout: per part, numShape linear slots then numShape*shapeBins
// bin slots.
const partSlots = numShape * (1 + shapeBins)

var _ = [ShapeSlots - shapeParts*partSlots]struct{}{} // the slots fit

// shape appends the shape features of s.
func (x *hasher) shape(s string) {
	whole := s[:min(len(s), shapeScanMax)]
	var vals [numShape]float64
	for part, text := range [shapeParts]string{whole, lastBlock(whole)} {
		if part == 0 || len(text) != len(whole) { // a last block that is the whole prompt is not scanned twice
			vals = shapeValues(text, len(s))
		}
		if part == 1 {
			vals[0] = squash(len(text), 1<<16)
		}
		base := part * partSlots
		for i, v := range vals {
			if v != 0 {
				x.pushSlot(base+i, float32(v))
			}
			bin := min(shapeBins-1, int(v*shapeBins))
			x.pushSlot(base+numShape+i*shapeBins+bin, 1)
		}
	}
}

// lastBlock returns the text after the last blank line of s (ignoring
// trailing white space), or all of s.
func lastBlock(s string) string {
	end := len(s)
	for end > 0 && (s[end-1] == ' ' || s[end-1] == '\n' || s[end-1] == '\t' || s[end-1] == '\r') {
		end--
	}
	for i := end - 1; i > 0; i-- {
		if s[i] == '\n' && isBlank(lastLine(s[:i])) {
			return s[i+1 : end]
		}
	}
	return s[:end]
}

// lastLine returns the line s ends with.
func lastLine(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

// textCounts are the counts one scan of a prompt gathers.
type textCounts struct {
	lines, blocks, options, questions, codeLines, lastLine int
	digits, upper, letters, punct, nonASCII, visible       int
	words, wordBytes                                       int
}

// shapeValues returns the shape features of s in shapeNames order; n is
// the length to report (s may be cut).
func shapeValues(s string, n int) [numShape]float64 {
	t := scanText(s)
	return [numShape]float64{
		squash(n, 1<<16),
		squash(t.lines, 1024),
		squash(t.blocks, 64),
		ratio(t.digits, t.digits+t.letters),
		ratio(t.upper, t.letters),
		ratio(t.punct, t.visible),
		ratio(t.nonASCII, t.visible),
		squash(t.options, 64),
		squash(t.questions, 64),
		squash(t.lastLine, 4096),
		ratio(t.codeLines, t.lines),
		min(1, ratio(t.wordBytes, t.words)/16),
	}
}

// scanText counts, line by line, what the shape features need.
func scanText(s string) textCounts {
	var t textCounts
	blank := true // the previous line was blank (or there was none)
	for start := 0; start < len(s); {
		end := start
		for end < len(s) && s[end] != '\n' {
			end++
		}
		line := s[start:end]
		start = end + 1
		t.lines++
		if isBlank(line) {
			blank = true
			continue
		}
		if blank {
			t.blocks++
		}
		blank = false
		t.lastLine = len(line)
		if isOption(line) {
			t.options++
		}
		if isCodeLike(line) {
			t.codeLines++
		}
		t.countBytes(line)
	}
	return t
}

func (t *textCounts) countBytes(line string) {
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		w := wordByte(c)
		switch {
		case c >= 0x80:
			t.nonASCII++
		case '0' <= c && c <= '9':
			t.digits++
		case 'A' <= c && c <= 'Z':
			t.upper++
			t.letters++
		case 'a' <= c && c <= 'z':
			t.letters++
		case c == '?':
			t.questions++
			t.punct++
		case c > ' ' && c < 0x7f:
			t.punct++
		}
		if c > ' ' {
			t.visible++
		}
		if w {
			t.wordBytes++
			if !inWord {
				t.words++
			}
		}
		inWord = w
	}
}

func isBlank(line string) bool {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// isOption reports a line that starts an enumerated choice: "A) …",
// "b. …", "(C) …", "1) …", "2. …".
func isOption(line string) bool {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i < len(line) && line[i] == '(' {
		i++
	}
	if i+1 >= len(line) {
		return false
	}
	c, d := line[i], line[i+1]
	mark := 'A' <= c && c <= 'H' || 'a' <= c && c <= 'h' || '1' <= c && c <= '9'
	return mark && (d == ')' || d == '.' || d == ':')
}

// isCodeLike reports a line indented by four spaces or a tab, or ending
// the way source lines do.
func isCodeLike(line string) bool {
	if len(line) >= 4 && line[:4] == "    " || len(line) > 0 && line[0] == '\t' {
		return true
	}
	end := len(line)
	for end > 0 && (line[end-1] == ' ' || line[end-1] == '\r') {
		end--
	}
	if end == 0 {
		return false
	}
	switch line[end-1] {
	case ';', '{', '}':
		return true
	}
	return false
}

// squash maps a count onto [0, 1] by log(1+n)/log(1+top), capped.
func squash(n, top int) float64 {
	return min(1, math.Log1p(float64(n))/math.Log1p(float64(top)))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
