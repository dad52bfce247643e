package guard

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// This file measures recall and precision on labeled texts, for the PII
// dataset and the written test sets alike.

// labeledText is a text with the pieces a redactor must mask.
type labeledText struct {
	text   string
	group  string // the family the text was written for ("" for none)
	labels []label
}

// label is one piece of a text that must be masked: text[start:end], of a
// group (an entity type or a family of secrets).
type label struct {
	start, end int
	group      string
}

// tally counts one group's results.
type tally struct {
	texts          int      // texts written for the group
	labeled, found int      // pieces to mask, and those masked whole
	masked, right  int      // masks put down, and those on a piece to mask
	missed, wrong  []string // examples of each mistake
}

func (c *tally) recall() float64    { return ratio(c.found, c.labeled) }
func (c *tally) precision() float64 { return ratio(c.right, c.masked) }

// scoring says how masks are judged: whether a mask of kind k covering a
// piece of group g finds it, and which group a mask of kind k that
// overlaps no piece counts against (x is the text it is in; "" counts it
// against none).
type scoring struct {
	finds   func(g string, k Kind) bool
	against func(x *labeledText, k Kind) string
}

// measure redacts each text with r and tallies, per group: a piece is
// found when one mask of a fitting kind covers it whole; a mask is right
// when it overlaps a piece it fits, and counts for that piece's group.
func measure(r *Redactor, texts []labeledText, sc scoring) map[string]*tally {
	out := map[string]*tally{}
	get := func(g string) *tally {
		if out[g] == nil {
			out[g] = &tally{}
		}
		return out[g]
	}
	for i := range texts {
		x := &texts[i]
		if x.group != "" {
			get(x.group).texts++
		}
		got := r.find(x.text, nil)
		for _, l := range x.labels {
			c := get(l.group)
			c.labeled++
			if coveredBy(l, got, sc) {
				c.found++
			} else {
				c.missed = append(c.missed, context(x.text, l.start, l.end))
			}
		}
		for _, g := range got {
			if l, ok := overlapped(g, x.labels, sc); ok {
				c := get(l.group)
				c.masked++
				c.right++
				continue
			}
			if grp := sc.against(x, g.kind); grp != "" {
				c := get(grp)
				c.masked++
				c.wrong = append(c.wrong, string(g.kind)+": "+context(x.text, g.start, g.end))
			}
		}
	}
	return out
}

func coveredBy(l label, got []span, sc scoring) bool {
	for _, g := range got {
		if g.start <= l.start && g.end >= l.end && sc.finds(l.group, g.kind) {
			return true
		}
	}
	return false
}

func overlapped(g span, labels []label, sc scoring) (label, bool) {
	for _, l := range labels {
		if g.start < l.end && l.start < g.end && sc.finds(l.group, g.kind) {
			return l, true
		}
	}
	return label{}, false
}

// context quotes s[i:j] with a little of the text around it.
func context(s string, i, j int) string {
	a, b := max(0, i-24), min(len(s), j+12)
	return fmt.Sprintf("%q", s[a:i]+"⟦"+s[i:j]+"⟧"+s[j:b])
}

// report logs each group's figures and mistakes, and fails the test for
// a group below its floors (minimum recall and precision); groups without
// floors are reported only.
func report(t *testing.T, counts map[string]*tally, floors map[string][2]float64) {
	t.Helper()
	groups := make([]string, 0, len(counts))
	for g := range counts {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		c := counts[g]
		t.Logf("%-24s texts %5d labeled %5d found %5d recall %.3f | masked %5d right %5d precision %.3f",
			g, c.texts, c.labeled, c.found, c.recall(), c.masked, c.right, c.precision())
		for _, m := range c.missed[:min(len(c.missed), 20)] {
			t.Logf("    missed %s", m)
		}
		for _, m := range c.wrong[:min(len(c.wrong), 20)] {
			t.Logf("    wrong  %s", m)
		}
		if f, ok := floors[g]; ok && (c.recall() < f[0] || c.precision() < f[1]) {
			t.Errorf("%s: recall %.3f precision %.3f, want at least %.2f and %.2f", g, c.recall(), c.precision(), f[0], f[1])
		}
	}
	for g := range floors {
		if counts[g] == nil || counts[g].labeled == 0 && floors[g][0] > 0 {
			t.Errorf("%s: nothing labeled, so its floor checks nothing", g)
		}
	}
}

// markup turns a written test text into a labeledText: each piece to mask
// is written ⟦group:text⟧.
func markup(t *testing.T, src, group string) labeledText {
	t.Helper()
	x := labeledText{group: group}
	var b strings.Builder
	for {
		i := strings.Index(src, "⟦")
		if i < 0 {
			break
		}
		j := strings.Index(src[i:], "⟧")
		colon := strings.IndexByte(src[i:], ':')
		if j < 0 || colon < 0 || colon > j {
			t.Fatalf("bad markup in %q", src)
		}
		b.WriteString(src[:i])
		g, piece := src[i+len("⟦"):i+colon], src[i+colon+1:i+j]
		x.labels = append(x.labels, label{b.Len(), b.Len() + len(piece), g})
		b.WriteString(piece)
		src = src[i+j+len("⟧"):]
	}
	b.WriteString(src)
	x.text = b.String()
	return x
}
