package sim

import (
	"regexp"
	"strings"
)

// answering finds the model a simulated prose answer names at its start.
var answering = regexp.MustCompile(`^This is (\S+)`)

// Continue returns the text that follows a.Prefill, deterministically:
// the rest of this model's own answer when the prefill begins it, else
// the rest of the answer of the simulated model the prefill names (so a
// stream cut on one simulator and continued on another reads as the
// first model's whole answer), else a few filler sentences chosen by the
// prompt and the prefill.
func (p *Profile) Continue(a Ask) string { return p.continueAnswer(a, shape{}) }

// continueAnswer is Continue shaped by sh: the model's own answer may be
// any of its knowledge answers (sh.candidates, right or wrong) at its
// drifted length.
func (p *Profile) continueAnswer(a Ask, sh shape) string {
	own := a
	own.Prefill = ""
	fulls := make([]string, 0, len(sh.candidates)+1)
	for _, c := range sh.candidates {
		k := sh
		k.core = c
		fulls = append(fulls, p.knownProse(own, k))
	}
	fulls = append(fulls, p.prose(own, sh))
	for _, full := range fulls {
		if strings.HasPrefix(full, a.Prefill) {
			return full[len(a.Prefill):]
		}
	}
	if m := answering.FindStringSubmatch(a.Prefill); m != nil {
		other := own
		other.Model = m[1]
		if full := (&Profile{Model: m[1]}).prose(other, shape{}); strings.HasPrefix(full, a.Prefill) {
			return full[len(a.Prefill):]
		}
	}
	h := hash(a.Prompt + "\x00" + a.Prefill)
	var b strings.Builder
	for i := 0; i < 2+int(h%3); i++ {
		b.WriteByte(' ')
		b.WriteString(filler(h, i))
	}
	return b.String()
}
