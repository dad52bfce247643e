package main

// Scripts and scenes: "script" means a screenplay here, not code, when
// characters act in it. Written here.

var screenCast = []string{
	"a knight and a vending machine", "two rival wizards", "Batman and a confused tourist", "a robot and a grumpy cat",
	"Mario and Sonic", "a dragon and a tax inspector", "two penguins on a first date", "a pirate captain and his parrot",
	"a superhero and her mom", "a vampire and a dentist", "Pikachu and a squirrel", "a chess grandmaster and a toddler",
}

var screenPlots = []string{
	"in a boxing match", "stuck in an elevator", "arguing over the last slice of pizza", "planning a bank heist",
	"on a cooking show", "at a job interview", "lost in IKEA", "in a rap battle", "trying to assemble a bookshelf",
}

func init() {
	slots := map[string][]string{"cast": screenCast, "plot": screenPlots}
	register("creative", "screen", 45, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"A script of {cast} {plot}", "Write a script of {cast} {plot}.", "script: {cast} {plot}, make it funny",
			"Write a short film script about {cast} {plot}.", "Write a YouTube skit script where {cast} are {plot}.",
			"Scene: {cast} {plot}. Write the dialogue.", "Write a sitcom scene with {cast} {plot}.",
			"Create a comic strip script: {cast} {plot}, four panels.", "Write a stage play scene featuring {cast} {plot}.",
		}), slots))}
	})
}
