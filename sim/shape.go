package sim

import (
	"math"
	"strings"
)

// shape is what a Behavior decided about one answer.
type shape struct {
	// verbosity multiplies the prose's length; zero means 1.
	verbosity float64
	// refuse makes the model refuse.
	refuse bool
	// core is the knowledge answer to state (right or wrong); empty for a
	// prompt the knowledge base does not know.
	core string
	// right is the entry's right answer: no sentence added around a wrong
	// core may state it.
	right string
	// candidates are every answer the model could state (the right one
	// first), which a continuation may be the rest of.
	candidates []string
	// bare states core alone, with nothing around it (Entry.Bare).
	bare bool
}

func (sh *shape) factor() float64 {
	if sh.verbosity == 0 {
		return 1
	}
	return sh.verbosity
}

// filler returns the i-th filler sentence of the sequence seeded by h.
func filler(h uint64, i int) string {
	return fillers[(h>>(i*4)+uint64(i))%uint64(len(fillers))]
}

// padded returns head followed by filler sentences seeded by h: base of
// them or, with a verbosity other than 1, as many as fit in base's pieces
// times the verbosity, then a closing sentence of as many words as are
// left, so the answer has just that many pieces when head fits in it.
// Sentences that would state sh.right are left out.
func padded(head string, h uint64, base int, sh shape) string {
	seq := fillerSeq(h, sh.right, base)
	v := sh.factor()
	if v == 1 {
		return join(head, seq)
	}
	target := int(math.Round(float64(len(Split(join(head, seq)))) * v))
	// Every filler has at least four words.
	seq = fillerSeq(h, sh.right, min(target/4+1, maxFillers))
	n := 0
	for n < len(seq) && len(Split(join(head, seq[:n+1]))) <= target {
		n++
	}
	out := seq[:n:n]
	gap := target - len(Split(join(head, out)))
	if gap > 0 {
		c := closers[min(gap, len(closers))-1]
		if sh.right == "" || !ContainsAnswer(c, sh.right) {
			out = append(out, c)
		}
	}
	return join(head, out)
}

// fillerSeq returns the first n filler sentences seeded by h that do not
// state right ("" states nothing).
func fillerSeq(h uint64, right string, n int) []string {
	seq := make([]string, 0, 8)
	for i := 0; len(seq) < n && i < n+8*len(fillers); i++ {
		if f := filler(h, i); right == "" || !ContainsAnswer(f, right) {
			seq = append(seq, f)
		}
	}
	return seq
}

// join appends sentences to head, each after a space (after a newline
// when head ends a block of lines).
func join(head string, sentences []string) string {
	var b strings.Builder
	b.WriteString(head)
	for i, f := range sentences {
		if i == 0 && strings.HasSuffix(head, "\n") {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	}
	return b.String()
}

// maxFillers bounds the filler sentences of one answer.
const maxFillers = 400

// closers end a lengthened answer: closers[i] has i+1 words.
var closers = []string{
	"Indeed.", "That's all.", "Hope this helps.", "I hope this helps.", "I hope that this helps.",
	"Let me know if that helps.", "Tell me if you would like more.",
}

// statements frame a one-line knowledge answer; the last one, the answer
// alone, is used when every other would state the right answer next to a
// wrong one.
var statements = []string{
	"The answer is %s", "Here is the answer: %s", "Answer: %s", "It is %s", "%s",
}

// knownProse states sh.core (a one-line answer in a sentence, a longer one
// after a short lead) followed by filler sentences.
func (p *Profile) knownProse(a Ask, sh shape) string {
	h := hash(a.Model + "\x00" + a.Prompt)
	base := 1 + int(h%4)
	core := strings.TrimSpace(sh.core)
	if strings.Contains(core, "\n") {
		return padded("Here is a solution:\n\n"+core+"\n", h, base, sh)
	}
	end := "."
	if strings.HasSuffix(core, ".") || strings.HasSuffix(core, "!") || strings.HasSuffix(core, "?") {
		end = ""
	}
	for i := range statements {
		head := strings.Replace(statements[(int(h>>8)+i)%len(statements)], "%s", core, 1) + end
		if core == sh.right || !ContainsAnswer(head, sh.right) {
			return padded(head, h, base, sh)
		}
	}
	return padded(core+end, h, base, sh)
}

// refusals are how the simulated models refuse, as real models word it.
var refusals = []string{
	"I'm sorry, but I can't help with that.",
	"I'm sorry, but I can't assist with that request.",
	"I can't help with that.",
	"Sorry, I can't help with that request.",
}

// refusal is the model's refusal of a.
func refusal(a Ask) string {
	return refusals[hash(a.Model+"\x00"+a.Prompt)%uint64(len(refusals))]
}
