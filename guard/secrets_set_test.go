package guard

import (
	"fmt"
	"strings"
	"testing"
)

// secretKinds are the kinds that mask a secret; in the secrets set any of
// them counts (a GitHub token after "Bearer" is masked as a credential).
var secretKinds = map[Kind]bool{
	KindSecret: true, KindAPIKey: true, KindAWSKey: true, KindAWSSecret: true,
	KindCredential: true, KindJWT: true, KindPrivateKey: true,
}

// perTemplate is how many secrets of a family each template is filled
// with; nearMissCount how many texts of each near miss are drawn.
const (
	perTemplate   = 25
	nearMissCount = 200
)

// secretsSet draws the labeled secrets set: every family's secrets in
// every one of its templates, and the near misses, in a fixed order.
func secretsSet() []labeledText {
	g := newGen()
	var out []labeledText
	for _, f := range families {
		for _, tpl := range f.templates {
			for range perTemplate {
				secret := f.draw(g)
				at := strings.Index(tpl, "%s")
				text := fmt.Sprintf(tpl, secret)
				out = append(out, labeledText{text: text, group: f.name,
					labels: []label{{at, at + len(secret), f.name}}})
			}
		}
	}
	for _, n := range nearMisses {
		for range nearMissCount {
			out = append(out, labeledText{text: n.draw(g), group: "near_miss/" + n.name})
		}
	}
	return out
}

// TestRedactSecretsSet measures recall and precision per family of
// secrets on the generated set (secrets_gen_test.go): each family's
// recall must reach the bar of 0.99, and so must the precision
// over the whole set, near misses included (a mask on a near miss counts
// against it).
func TestRedactSecretsSet(t *testing.T) {
	counts := measure(&Redactor{}, secretsSet(), scoring{
		finds:   func(_ string, k Kind) bool { return secretKinds[k] },
		against: func(x *labeledText, _ Kind) string { return x.group },
	})
	floors := map[string][2]float64{}
	for _, f := range families {
		floors[f.name] = [2]float64{0.99, 0.99}
	}
	report(t, counts, floors)
	var all tally
	for _, c := range counts {
		all.texts += c.texts
		all.labeled, all.found, all.masked, all.right = all.labeled+c.labeled, all.found+c.found, all.masked+c.masked, all.right+c.right
	}
	t.Logf("%-24s texts %5d labeled %5d found %5d recall %.3f | masked %5d right %5d precision %.3f",
		"all", all.texts, all.labeled, all.found, all.recall(), all.masked, all.right, all.precision())
	if all.recall() < 0.99 || all.precision() < 0.99 {
		t.Errorf("whole set: recall %.3f precision %.3f, want at least 0.99 and 0.99", all.recall(), all.precision())
	}
}
