package workload

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"switchyard/llm"
)

// subject is what a piece is about, with an image that belongs to it.
type subject struct{ name, image string }

var subjects = []subject{
	{"the ocean", "salt wind on the tide"}, {"autumn leaves", "red and gold on the path"}, {"a city at night", "neon in the puddles"},
	{"an old lighthouse", "a beam across the dark"}, {"the first snow", "quiet on the rooftops"}, {"a mountain lake", "still water holding the sky"},
	{"a rainy afternoon", "drops racing down the glass"}, {"a desert at dawn", "sand turning to copper"}, {"a forgotten garden", "roses climbing the wall"},
	{"a train journey", "fields sliding past the window"}, {"the moon", "a silver coin over the hills"}, {"a busy market", "voices and spices in the air"},
	{"a grandmother's kitchen", "bread rising by the stove"}, {"a summer thunderstorm", "thunder rolling over the fields"},
	{"a small fishing village", "boats asleep in the harbour"}, {"a library at closing time", "dust in the last light"},
	{"a winter forest", "pines bowed under snow"}, {"a child's first bicycle ride", "wobbling wheels and a shout of joy"},
}

var animals = []string{"cat", "dog", "parrot", "goat", "penguin", "hedgehog", "llama", "tortoise", "fox", "owl"}

var businesses = []struct{ kind, promise string }{
	{"coffee shop", "every cup brewed like it matters"}, {"bike repair shop", "back on the road by tomorrow"},
	{"bakery", "bread worth waking up for"}, {"bookstore", "a story for every shelf of your life"},
	{"dog grooming salon", "happy tails, fresh coats"}, {"plant nursery", "helping green things grow"},
	{"language school", "speak the world, one word at a time"}, {"moving company", "your whole life, carried with care"},
}

var brandWords = []string{"Bean", "North", "Copper", "Little", "Wild", "Blue", "Maple", "Harbor", "Golden", "Stone"}
var brandTails = []string{"There", "Works", "House", "Corner", "Co.", "Lab", "Street", "Nest"}

// pieces write one creative request and its answer about s; the caller
// makes the wrong answer from the same form about another subject, so a
// wrong answer is off topic.
var pieces = []func(r *rand.Rand, s subject, name string) (prompt, answer string){
	func(r *rand.Rand, s subject, _ string) (string, string) {
		p := pick(r, []string{"Write a haiku about %s.", "Write a haiku on the theme of %s.", "write me a haiku about %s", "Write a haiku poem about %s."})
		return fmt.Sprintf(p, s.name), fmt.Sprintf("%s,\n%s,\nand the day breathes out.", capitalize(s.name), s.image)
	},
	func(r *rand.Rand, s subject, name string) (string, string) {
		title := name + "'s " + pick(r, []string{"Song", "Hour", "Window", "Return", "Promise"})
		p := pick(r, []string{"Write a short poem about %s titled \"%s\".", "Can you write a four-line poem about %s? Call it \"%s\"."})
		return fmt.Sprintf(p, s.name, title), fmt.Sprintf("%s\n\nI went looking for %s,\nand found %s;\nI stayed until the light was gone,\nand kept it as my own.", title, s.name, s.image)
	},
	func(r *rand.Rand, s subject, _ string) (string, string) {
		p := pick(r, []string{"Write a two-sentence story about %s.", "Tell a very short story, two sentences, about %s.", "Write a two sentence horror story set in %s."})
		return fmt.Sprintf(p, s.name), fmt.Sprintf("Nobody had visited %s in years, yet every evening there was %s. Tonight, for the first time, someone was waiting there for me.", s.name, s.image)
	},
	func(r *rand.Rand, s subject, _ string) (string, string) {
		p := pick(r, []string{"Write the opening paragraph of a novel set in %s.", "Draft an opening line for a fantasy story about %s.", "Write a song chorus about %s."})
		return fmt.Sprintf(p, s.name), fmt.Sprintf("It began, as the best things do, with %s: %s, and a promise I did not mean to keep.", s.name, s.image)
	},
}

// creative writes a request for a poem, story, limerick or slogan; the
// answer is the piece, a wrong answer the same kind of piece about
// something else.
func creative(r *rand.Rand) Item {
	switch r.IntN(6) {
	case 0:
		return limerick(r)
	case 1:
		return slogan(r)
	}
	piece := pick(r, pieces)
	i := r.IntN(len(subjects))
	name := pick(r, people).name
	prompt, answer := piece(r, subjects[i], name)
	_, off := piece(r, pickOther(r, subjects, i), name)
	return Item{Prompt: prompt, Category: llm.CategoryCreative, Expected: answer, Wrong: []string{off}}
}

func limerick(r *rand.Rand) Item {
	i := r.IntN(len(animals))
	name := pick(r, people).name
	verse := func(animal string) string {
		return fmt.Sprintf("There once was a %s named %s,\nwho wanted a life full of fame;\nit danced on the shelf,\nand admired itself,\nand never was quite the same.", animal, name)
	}
	p := pick(r, []string{"Write a limerick about a %s named %s.", "Write a funny limerick about a %s called %s.", "write a silly limerick about %[2]s the %[1]s", "Write a limerick about %[2]s, a %[1]s."})
	return Item{Prompt: fmt.Sprintf(p, animals[i], name), Category: llm.CategoryCreative, Expected: verse(animals[i]), Wrong: []string{verse(pickOther(r, animals, i))}}
}

func slogan(r *rand.Rand) Item {
	i := r.IntN(len(businesses))
	brand := pick(r, brandWords) + " " + pick(r, brandTails)
	line := func(promise string) string { return fmt.Sprintf("%s: %s.", brand, promise) }
	p := pick(r, []string{"Come up with a catchy slogan for a %s called %s.", "Write a tagline for %[2]s, a new %[1]s.", "Brainstorm a slogan for my %s, %s."})
	b := businesses[i]
	return Item{Prompt: fmt.Sprintf(p, b.kind, brand), Category: llm.CategoryCreative,
		Expected: line(b.promise), Wrong: []string{line(pickOther(r, businesses, i).promise), strings.ToUpper(brand[:1]) + brand[1:] + "."}}
}
