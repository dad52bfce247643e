package main

import (
	"fmt"
	"strings"
)

// Summarization: condense a given text (or, rarely, a well-known work).

var lengths = []string{
	"in three sentences", "in one paragraph", "in 50 words", "in two lines", "briefly",
	"in plain English", "for a busy executive", "for a 10-year-old", "in under 100 words", "",
}

func init() {
	register("summarization", "article", 90, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Summarize the following article {len}.", "Can you give me a summary of this?",
			"Please summarize this text {len}.", "Write a short summary of the passage below.",
			"summarize this for me", "Give me the gist of this article.", "What is this article about? Summarize it {len}.",
			"Provide a concise summary {len}.", "Could you sum this up {len}?", "Summarise the text below, keeping only the essentials.",
			"Write a one-paragraph summary suitable for a newsletter.", "Summarize the above {len}.",
			"Recap this {len}.", "In a nutshell, what does this say?", "Boil this down {len}.", "Give me the highlights of this.",
			"Cut this down to a short overview.", "Abridge this text.", "Main ideas of this text, {len}?", "Sum this up for me.",
		}), map[string][]string{"len": lengths})
		return example{Text: g.wrap(instr, g.summaryDoc())}
	})
	register("summarization", "tldr", 55, func(g *G) example {
		p := g.pick(passages)
		switch g.intn(6) {
		case 0:
			return example{Text: "TL;DR:\n\n" + p}
		case 1:
			return example{Text: p + "\n\ntl;dr?"}
		case 2:
			return example{Text: p + "\n\nTLDR please"}
		case 3:
			return example{Text: "too long, didn't read. what's the short version of this:\n\n" + p}
		case 4:
			return example{Text: "Give me a tl;dr of this in one sentence:\n" + p}
		}
		return example{Text: "Boil this down to a single sentence.\n\n" + p}
	})
	register("summarization", "keypoints", 70, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"What are the key points of this text?", "List the main takeaways from this report as bullet points.",
			"Give me a bullet-point summary of the following.", "Summarize this in {n} bullet points.",
			"What are the {n} most important points here?", "Outline the main ideas of this passage.",
			"Highlight the key findings of this study in a few bullets.", "Key points only, please:",
			"Recap the main arguments of this text.",
		}), map[string][]string{"n": {"3", "4", "5", "three", "five"}})
		return example{Text: g.wrap(instr, g.summaryDoc())}
	})
}

func init() {
	register("summarization", "meeting", 60, func(g *G) example {
		instr := g.pick([]string{
			"Summarize this meeting transcript: main decisions and open questions.", "Write meeting minutes from this transcript.",
			"Can you recap what was discussed in this call?", "Summarize the discussion below in a short paragraph.",
			"Here's the transcript of our standup. Give me a summary I can post in Slack.", "Summarize what each person said in this meeting.",
			"What was decided in this meeting? Keep it short.", "Condense this call transcript into a brief summary.",
		})
		return example{Text: g.wrap(instr, g.transcript())}
	})
	register("summarization", "condense", 65, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Condense this {len}.", "Shorten this text to about a third of its length without losing the main facts.",
			"Write an abstract for this.", "Write an executive summary of the following for leadership.",
			"Rewrite this as a short summary for our internal newsletter.", "Compress this into a headline and a two-sentence summary.",
			"Can you make a short version of this email for my boss?", "Trim this down to the essentials.",
			"Reduce this passage to one paragraph.",
		}), map[string][]string{"len": lengths})
		doc := g.pick(passages)
		if g.chance(0.3) {
			doc = g.emailMsg()
		}
		return example{Text: g.wrap(instr, doc)}
	})
	register("summarization", "thread", 45, func(g *G) example {
		instr := g.pick([]string{
			"Summarize this thread.", "Catch me up: what happened in this conversation?", "Summarize this chat log in a few sentences.",
			"I missed this discussion. Give me a summary.", "Summarize this email chain and tell me where things stand.",
			"sum up this conversation",
		})
		return example{Text: g.wrap(instr, g.thread())}
	})
	register("summarization", "known", 35, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Summarize the plot of {work} in a paragraph.", "Give me a short summary of {work}.", "Can you summarize {work} in 5 bullet points?",
			"Summarize the main ideas of {book}.", "tl;dr of {work}", "What happens in {work}? Short summary please.",
			"Give me a chapter-by-chapter summary of {book}.",
		}), map[string][]string{
			"work": {"Hamlet", "Romeo and Juliet", "The Great Gatsby", "1984", "Pride and Prejudice", "The Odyssey", "Moby-Dick", "Macbeth", "Don Quixote", "Frankenstein", "The Lord of the Rings", "Jane Eyre"},
			"book": {"Sapiens", "Thinking, Fast and Slow", "The Wealth of Nations", "On the Origin of Species", "The Art of War", "Atomic Habits", "The Prince"},
		}))}
	})
	register("summarization", "ml", 64, func(g *G) example {
		lg := langs[g.intn(len(langs))]
		doc := g.pick(lg.passages)
		if g.chance(0.2) {
			doc = g.pick(passages)
		}
		return example{Text: g.wrap(g.pick(lg.summarize), doc)}
	})
}

var meetingLines = [][]string{
	{"We're two weeks behind on the mobile release because of the payment SDK update.", "Can we ship without the new checkout and add it in the next sprint?",
		"Legal still needs to review the updated terms before anything goes live.", "I'd rather slip a week than ship a broken checkout.",
		"Okay, let's target the 20th and I'll tell marketing.", "I'll ping legal today and report back tomorrow.", "QA needs the build by Friday at the latest."},
	{"The budget for next quarter is 10% lower than we asked for.", "We could delay the second hire until April.",
		"Cutting the conference travel would save about twelve thousand.", "I don't want to cut training, people need it.",
		"Let's cut travel and delay the hire, and revisit in March.", "I'll update the spreadsheet and send it around.", "Finance wants the final numbers by the 5th."},
	{"The outage started at 2:14 when the certificate expired on the load balancer.", "Alerts fired but went to an old on-call rotation.",
		"We restored service at 3:02 by deploying a new certificate manually.", "We need automatic renewal and a check that alerts reach the right people.",
		"I'll own the renewal automation, due next Friday.", "Customer support got about 300 tickets; we should post a status update.", "Let's do a full postmortem doc by Wednesday."},
	{"Sign-ups are up 18% since the new landing page.", "But conversion to paid is flat, around 3%.", "Users say the pricing page is confusing.",
		"We could test a simpler page with two plans instead of four.", "Let's run the A/B test for three weeks.", "Design can have mockups by Monday.", "I'll set up the tracking."},
}

// transcript returns a meeting transcript with named speakers.
func (g *G) transcript() string {
	lines := meetingLines[g.intn(len(meetingLines))]
	names := g.pickN(firstNames, 3)
	var b strings.Builder
	if g.chance(0.5) {
		fmt.Fprintf(&b, "Meeting notes — %s\nAttendees: %s\n\n", g.date(), strings.Join(names, ", "))
	}
	start := g.intn(2)
	for i, l := range lines[start:] {
		if g.chance(0.5) {
			fmt.Fprintf(&b, "[%02d:%02d] ", g.rangeInt(9, 11), (i*3+g.intn(3))%60)
		}
		fmt.Fprintf(&b, "%s: %s\n", names[(i+g.intn(2))%len(names)], l)
	}
	return strings.TrimSpace(b.String())
}

var threadMsgs = [][]string{
	{"Is anyone else seeing the staging environment return 502s?", "Yes, since about 10 this morning.", "Looks like the database migration locked a table.",
		"I rolled back the migration, can you check again?", "Working now, thanks!", "I'll rewrite the migration to run in batches tonight."},
	{"Who's bringing what to the picnic on Saturday?", "I can bring sandwiches for everyone.", "I'll take care of drinks, but someone needs to bring ice.",
		"I have a big cooler, I'll bring ice.", "Weather says rain in the afternoon, should we start at 11 instead of 1?", "11 works, see you all there."},
	{"The client says the March invoice was charged twice.", "I checked: the payment processor retried after a timeout.", "Can we refund the duplicate today?",
		"Refund issued, it takes 3-5 business days.", "I'll email the client and apologize.", "Let's add idempotency keys so this can't happen again."},
}

// thread returns a chat or email thread.
func (g *G) thread() string {
	msgs := threadMsgs[g.intn(len(threadMsgs))]
	names := g.pickN(firstNames, 4)
	var b strings.Builder
	for i, m := range msgs {
		if g.chance(0.5) {
			fmt.Fprintf(&b, "%s (%d:%02d): %s\n", names[i%len(names)], g.rangeInt(8, 18), g.intn(60), m)
		} else {
			fmt.Fprintf(&b, "%s: %s\n", names[i%len(names)], m)
		}
	}
	return strings.TrimSpace(b.String())
}

// summaryDoc returns a document to summarize: mostly prose, sometimes an
// email, reviews or a chat thread (documents extraction prompts use too).
func (g *G) summaryDoc() string {
	switch r := g.intn(20); {
	case r < 4:
		return g.emailMsg()
	case r < 6:
		return g.reviews()
	case r < 8:
		return g.thread()
	case r < 10:
		return g.transcript()
	}
	return g.pick(passages)
}
