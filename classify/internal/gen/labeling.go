package main

import (
	"fmt"
	"strings"
)

// Labeling given text: the sentiment of a review, the topic of a headline,
// the intent of a message, spam or not. The answer is structured data out
// of the text (a label per item), so these are extraction, as the public
// sets' own task labels have it (Dolly's "classification" with a passage,
// Super-NaturalInstructions' sentiment analysis and text categorization).
// Written here, in the words people use, not in any one dataset's template.

var labelReviews = []string{
	"The blender is loud but it crushes ice in seconds. Worth the price.",
	"Arrived broken, and customer service never answered my emails. Avoid.",
	"Decent hotel, clean rooms, but breakfast was cold both mornings.",
	"Best ramen I've had outside Tokyo. The broth is incredible.",
	"The app crashes every time I try to upload a photo. Uninstalled.",
	"Battery lasts two full days. Screen is bright even in the sun.",
	"Plot was predictable and the ending dragged on for half an hour.",
	"Shoes look nice but the sole came off after three weeks.",
	"Friendly staff, fast delivery, will order again!",
	"Not bad, not great. It does what the box says and nothing more.",
	"The course was well structured, although the quizzes were too easy.",
	"Waited 50 minutes for a table and the waiter forgot our order.",
}

var labelTweets = []string{
	"finally friday!!! beach plans with the crew",
	"my train got cancelled AGAIN. third time this week",
	"just watched the finale and I'm not okay",
	"new phone who dis. camera is insane tho",
	"can't believe they raised the rent by 20%",
	"coffee + rain + a good book = perfect sunday",
	"stuck in traffic for two hours, love this city",
	"got the job!!!",
}

var labelTickets = []string{
	"I was charged twice for my March subscription, please refund one payment.",
	"The export button does nothing when I click it in Firefox.",
	"How do I change the email address on my account?",
	"My package shows delivered but nothing arrived at my door.",
	"Can I upgrade to the team plan in the middle of a billing cycle?",
	"The login page says my password is wrong even after I reset it.",
	"Please delete my account and all my data.",
	"Your driver left the parcel in the rain and the box is soaked.",
}

var labelHeadlines = []string{
	"Central bank holds rates steady as inflation cools",
	"Underdogs stun champions with last-minute goal",
	"New battery chemistry promises cheaper electric cars",
	"Parliament passes controversial housing bill",
	"Study links poor sleep to higher risk of heart disease",
	"Streaming giant loses subscribers for second quarter",
	"Wildfire forces evacuation of mountain villages",
	"Chipmaker unveils processor with twice the efficiency",
}

var labelSentences = []string{
	"I can't believe you remembered my birthday!",
	"They cancelled the concert an hour before it started.",
	"The results will be announced tomorrow at noon.",
	"Why does nobody ever listen to me?",
	"We finally paid off the mortgage.",
	"Something is moving in the attic.",
	"Water boils at 100 degrees Celsius at sea level.",
	"Pineapple obviously belongs on pizza.",
}

// labelSets are the label choices offered for each kind of text.
var labelSets = map[string][]string{
	"review":   {"positive or negative", "positive, negative or neutral", "1 to 5 stars"},
	"tweet":    {"positive, negative or neutral", "happy, angry, sad or excited"},
	"ticket":   {"billing, technical, account or delivery", "urgent or not urgent", "refund request, bug report, question or complaint"},
	"headline": {"politics, sports, business, science, health or technology", "good news or bad news"},
	"sentence": {"joy, anger, sadness, fear or surprise", "fact or opinion", "question, statement or exclamation"},
}

// labelTexts returns the texts of a kind.
func labelTexts(kind string) []string {
	switch kind {
	case "review":
		return labelReviews
	case "tweet":
		return labelTweets
	case "ticket":
		return labelTickets
	case "headline":
		return labelHeadlines
	}
	return labelSentences
}

var labelOne = []string{
	"Is this {kind} {labels}?\n\n{text}",
	"Classify the following {kind} as {labels}.\n\n{text}",
	"What's the sentiment here? {text}",
	"Label this {kind}: {labels}. Just the label.\n\n\"{text}\"",
	"{text}\n\nWhich is it: {labels}?",
	"Categorize this {kind} ({labels}) and say which words gave it away:\n{text}",
	"Tag the {kind} below with one of: {labels}.\n\n{kind}: {text}",
	"Read this {kind} and tell me if it is {labels}: {text}",
}

var labelMany = []string{
	"Classify each {kind} as {labels}. Return a table with the {kind} and its label.\n\n{list}",
	"For every {kind} below, give the label ({labels}) as JSON: [{\"id\": 1, \"label\": \"...\"}].\n\n{list}",
	"Sort these {kind}s into {labels}:\n{list}",
	"Go through these and mark each one {labels}:\n\n{list}",
	"Here are some {kind}s. Which ones are {firstLabel}?\n{list}",
}

func init() {
	kinds := []string{"review", "tweet", "ticket", "headline", "sentence"}
	register("extraction", "labeling", 110, func(g *G) example {
		kind := g.pick(kinds)
		labels := g.pick(labelSets[kind])
		texts := labelTexts(kind)
		slots := map[string][]string{"kind": {kind}, "labels": {labels}, "text": {g.pick(texts)}}
		tmpl := g.pick(labelOne)
		if g.chance(0.4) {
			var list strings.Builder
			for i, t := range g.pickN(texts, g.rangeInt(3, 5)) {
				fmt.Fprintf(&list, "%d. %s\n", i+1, t)
			}
			first, _, _ := strings.Cut(strings.ReplaceAll(labels, " or ", ", "), ",")
			slots["list"], slots["firstLabel"] = []string{list.String()}, []string{first}
			tmpl = g.pick(labelMany)
		}
		if kind != "review" && kind != "tweet" && strings.HasPrefix(tmpl, "What's the sentiment") {
			tmpl = labelOne[0]
		}
		return example{Text: g.fill(tmpl, slots)}
	})
}
