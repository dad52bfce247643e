package main

import (
	"fmt"
	"strings"
)

// Broader coverage added after the first evaluation: explanation and
// trivia questions, chat banter, and summaries asked with other verbs and
// of other documents. The held-out generators were not edited.

var explainSlots = map[string][]string{
	"concept": {"supply and demand", "natural selection", "the greenhouse effect", "compound interest", "the separation of powers", "herd immunity", "entropy", "the placebo effect", "continental drift", "opportunity cost"},
	"hist":    {"the Industrial Revolution", "the Black Death", "the invention of the telephone", "the fall of Constantinople", "the Meiji Restoration", "the Marshall Plan", "the discovery of penicillin"},
	"domain":  {"everyday life", "medicine", "politics in Europe", "the economy", "communication", "science"},
	"phen":    {"climate change", "hyperinflation", "antibiotic resistance", "desertification", "the 2008 financial crisis", "ocean acidification"},
	"pair":    {"a democracy and a republic", "weather and climate", "a comet and an asteroid", "DNA and RNA", "stocks and bonds", "an epidemic and a pandemic", "a crocodile and an alligator"},
	"organ":   {"the liver", "the pancreas", "red blood cells", "the hippocampus", "the kidneys", "the thyroid"},
}

func init() {
	register("factual", "explain", 60, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"What is {concept} and why does it matter?", "How did {hist} change {domain}?", "What are the main causes of {phen}?",
			"Can you explain the difference between {pair}?", "What happened during {hist}?", "What is the function of {organ}?",
			"In simple terms, what is {concept}?", "What were the consequences of {hist}?", "Is it true that humans only use 10% of their brains?",
			"How is {phen} measured?", "Who was involved in {hist}?", "Why did {hist} happen when it did?",
			"Why is {concept} important for {domain}?", "Why are scientists worried about {phen}?",
		}), explainSlots))}
	})
	register("factual", "trivia", 50, func(g *G) example {
		return example{Text: g.casual(g.pick([]string{
			"Name the largest planet in our solar system.", "Which element has the symbol Fe?", "Who discovered penicillin?", "In which country is Machu Picchu?",
			"What's the chemical formula for table salt?", "How many players are on a soccer team?", "What year did the first iPhone come out?",
			"Which ocean is the deepest?", "Who composed the Four Seasons?", "What is the smallest country in the world?", "What is the speed of sound in air?",
			"Which planet is known as the Red Planet?", "Who was the first person to reach the South Pole?", "What is the hardest natural substance?",
			"How many bones are in the adult human body?", "Which city hosted the 2016 Summer Olympics?", "What is the longest river in Africa?",
			"Who invented the World Wide Web?", "What is the main ingredient in guacamole?", "Which country gifted the Statue of Liberty to the US?",
			"What's the tallest animal?", "How long does light from the Sun take to reach Earth?", "Who is the author of the Harry Potter books?",
			"Which gas do plants absorb from the air?", "What was the name of the first artificial satellite?", "At what temperature does water freeze in Fahrenheit?",
		}))}
	})
	register("chat", "banter", 70, func(g *G) example {
		return example{Text: g.casual(g.pick([]string{
			"Pineapple on pizza is great, fight me", "Wanna hear something funny?", "I'm making pasta tonight", "No way!", "omg", "That's crazy",
			"Same here", "Me too!", "I love rainy days", "What are you doing today?", "I'm going to the beach tomorrow", "Just woke up", "brb",
			"I'm watching a movie right now", "You're so helpful", "That was a weird answer lol", "Are you there?", "Hmm, interesting",
			"Let's play a game!", "Do you ever get bored of answering questions?", "I'm talking to an AI, this is wild", "Guess who's back",
			"What's new with you?", "I'm having coffee with a friend later", "Tell me something nice", "You made my day", "Happy new year!",
			"Merry Christmas!", "It's my birthday today!", "I'm back from vacation", "Good talk", "Whatever you say, boss",
			"My dog just learned a new trick", "I'm at the airport waiting for my flight", "It's so hot today", "I burned my toast again",
			"My kids are finally asleep", "Just got back from the gym", "Work was so busy today", "I finally cleaned my room",
			"I'm listening to some old songs", "We're having a barbecue this weekend", "My neighbor's cat visits me every morning",
			"I just started learning guitar", "Our team won the game last night!", "I'm thinking about getting a haircut",
		}))}
	})
	register("summarization", "digest", 60, func(g *G) example {
		instr := g.pick([]string{
			"Give me the short version of this.", "What's the bottom line here?", "Write a synopsis of the following.",
			"Skim this and tell me what matters.", "Recap this in a couple of lines.", "Give me a brief overview of this document.",
			"Create a summary of this for the team channel.", "Sum up the reviews below: what do customers like and dislike overall?",
			"Summarize the key terms of this contract clause.", "Write a short recap of this update for people who missed it.",
			"I don't have time to read all this. Summary?", "Can you digest this into a few sentences?", "Paraphrase this as a brief summary.",
		})
		doc := g.pick(passages)
		switch {
		case strings.Contains(instr, "reviews"):
			doc = g.reviews()
		case strings.Contains(instr, "contract"):
			doc = g.pick([]string{passages[15], passages[27]})
		case g.chance(0.2):
			doc = g.emailMsg()
		}
		return example{Text: g.wrap(instr, doc)}
	})
}

// reviews returns a few customer reviews of one product.
func (g *G) reviews() string {
	good := []string{"Works great, setup took five minutes.", "Excellent battery life.", "Looks nicer than in the photos.", "Great value for the price.", "Customer service replaced it quickly."}
	bad := []string{"Stopped working after two weeks.", "The app keeps disconnecting.", "Much louder than advertised.", "Instructions are confusing.", "Arrived with a scratch."}
	var b strings.Builder
	for i := 0; i < g.rangeInt(3, 6); i++ {
		stars := g.rangeInt(1, 5)
		text := g.pick(good)
		if stars <= 2 || (stars == 3 && g.chance(0.5)) {
			text = g.pick(bad)
		}
		fmt.Fprintf(&b, "%s %s — %s\n", strings.Repeat("★", stars), g.pick(firstNames), text)
	}
	return strings.TrimSpace(b.String())
}

func init() {
	register("extraction", "minutes", 45, func(g *G) example {
		instr := g.pick([]string{
			"List the action items from this transcript with owner and due date, as JSON.", "Extract every decision and deadline mentioned below.",
			"Who said what? Extract each speaker and the commitments they made.", "Pull out all numbers and percentages mentioned in this discussion.",
			"Extract the names of the participants and the times of their messages into a table.", "From this chat log, extract the tasks and who took them.",
		})
		doc := g.transcript()
		if g.chance(0.4) {
			doc = g.thread()
		}
		return example{Text: g.wrap(instr, doc)}
	})
	register("code", "howto", 50, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"How do I read a file line by line in {lang}?", "How can I convert a string to an integer in {lang}?", "What's the best way to handle errors in {lang}?",
			"How do I sort a list of objects by a field in {lang}?", "How do I make an HTTP request in {lang}?", "In {lang}, how do I check if a key exists in a map?",
			"How do I install a package in {lang}?", "How can I run two tasks in parallel in {lang}?", "What's the {lang} equivalent of a for-each loop?",
			"Is there a way to format dates in {lang} without a library?", "How do I write unit tests in {lang}?", "How should I structure a medium-sized {lang} project?",
			"How do I parse JSON in {lang}?", "Why is my {lang} program so slow when I concatenate strings in a loop?",
		}), codeSlots))}
	})
}
