package workload

import (
	"fmt"
	"math/rand/v2"

	"switchyard/llm"
)

// story is a made-up news item: its text, a one-sentence summary, and
// summaries that get a key fact wrong.
type story struct{ text, summary, wrong string }

var stories = []func(r *rand.Rand) story{
	func(r *rand.Rand) story {
		c, day := pick(r, companies), pick(r, weekdays)
		rev, pct := between(r, 12, 95), between(r, 3, 25)
		product := pick(r, []string{"cloud services", "electric scooters", "frozen meals", "payment cards", "streaming plans", "solar panels"})
		text := fmt.Sprintf("%s reported quarterly revenue of $%d.%d billion on %s, up %d%% from a year earlier, driven by strong demand for its %s. "+
			"The company also raised its full-year forecast, and its shares rose in after-hours trading. Analysts had expected slower growth as competition intensified.",
			c, rev/10, rev%10, day, pct, product)
		sum := func(p int) string {
			return fmt.Sprintf("%s's quarterly revenue grew %d%% to $%d.%d billion on demand for its %s, and it raised its forecast.", c, p, rev/10, rev%10, product)
		}
		return story{text, sum(pct), sum(pct + between(r, 5, 15))}
	},
	func(r *rand.Rand) story {
		city, day := pick(r, cities), pick(r, weekdays)
		yes := between(r, 5, 9)
		no := between(r, 1, yes-1)
		miles := between(r, 5, 40)
		text := fmt.Sprintf("The %s city council voted %d-%d on %s to expand the downtown bike lane network by %d miles over the next three years. "+
			"The plan will be paid for by a new parking fee. Supporters said it would cut traffic; opponents worried about lost parking for small businesses.",
			city, yes, no, day, miles)
		sum := func(m int) string {
			return fmt.Sprintf("%s's council voted %d-%d to add %d miles of downtown bike lanes over three years, funded by a new parking fee.", city, yes, no, m)
		}
		return story{text, sum(miles), sum(miles * 2)}
	},
	func(r *rand.Rand) story {
		home, away := pick(r, cities), pick(r, cities)
		for away == home {
			away = pick(r, cities)
		}
		a := between(r, 2, 6)
		b := between(r, 0, a-1)
		text := fmt.Sprintf("The %s Rovers beat the %s Hawks %d-%d on Saturday in front of a sold-out crowd. "+
			"The winning goal came late in the second half after a long spell of pressure, and the result lifts the Rovers to the top of the league table.",
			home, away, a, b)
		sum := func(w, l string) string {
			return fmt.Sprintf("The %s beat the %s %d-%d with a late goal and moved to the top of the league.", w, l, a, b)
		}
		return story{text, sum(home+" Rovers", away+" Hawks"), sum(away+" Hawks", home+" Rovers")}
	},
	func(r *rand.Rand) story {
		first, last := fullName(r)
		n := 100 * between(r, 3, 40)
		habit := pick(r, []string{"walked for 30 minutes a day", "slept at least seven hours", "ate breakfast every day", "read before bed"})
		outcome := pick(r, []struct{ did, noun string }{
			{"had lower blood pressure", "lower blood pressure"}, {"reported a better mood", "a better mood"},
			{"scored higher on memory tests", "higher memory scores"}, {"took fewer sick days", "fewer sick days"},
		})
		text := fmt.Sprintf("A study of %d adults led by Dr. %s %s found that people who %s %s than those who did not. "+
			"The researchers followed the group for two years and cautioned that the study shows a link, not proof of cause.",
			n, first, last, habit, outcome.did)
		sum := func(k int) string {
			return fmt.Sprintf("A two-year study of %d adults linked people who %s with having %s, without proving cause.", k, habit, outcome.noun)
		}
		return story{text, sum(n), sum(n / 10)}
	},
}

// summaryForms ask for a one-line summary of %s.
var summaryForms = []string{
	"Summarize the following article in one sentence:\n\n%s",
	"TL;DR: %s",
	"Give me a brief summary of this news story: %s",
	"Can you condense this into a single sentence? %s",
	"%s\n\nSummarize the above in one line.",
	"Write a one-sentence summary of the text below.\n\n%s",
	"Please summarise this for me: %s",
}

// summarization writes a request to summarize a made-up news item; a
// wrong summary gets a key fact wrong.
func summarization(r *rand.Rand) Item {
	s := pick(r, stories)(r)
	return Item{Prompt: fmt.Sprintf(pick(r, summaryForms), s.text), Category: llm.CategorySummarization, Expected: s.summary, Wrong: []string{s.wrong}}
}
