package main

// Creative: stories, poems, lyrics, marketing copy, dialogue, names.

var creativeSlots = map[string][]string{
	"hero": {"a lonely lighthouse keeper", "a retired astronaut", "a talking fox", "a girl who can hear plants", "an AI that wants to be a chef",
		"two rival bakers", "a ghost who is afraid of people", "a detective in 1920s Shanghai", "a dragon who collects teacups", "a grandmother who builds robots"},
	"theme": {"friendship", "loss", "the ocean", "autumn", "first love", "moving to a new city", "hope", "time", "the night sky", "coffee", "rain", "growing old", "Monday mornings"},
	"form":  {"poem", "haiku", "sonnet", "limerick", "free-verse poem", "short poem", "ballad"},
	"style": {"in the style of a fairy tale", "with a twist ending", "in second person", "as a noir thriller", "for children", "with lots of humor", "in 300 words", "set in the year 3000", ""},
	"biz":   {"a vegan bakery", "a bike repair shop", "a language learning app", "a dog-walking service", "an eco-friendly water bottle", "a small law firm", "a coworking space", "a local bookstore", "a budgeting app"},
	"who":   {"a pirate and a librarian", "Sherlock Holmes and a modern teenager", "a cat and a vacuum cleaner", "two astronauts stuck on the Moon", "a customer and a very tired barista", "Socrates and a chatbot"},
	"event": {"my best friend's wedding", "my dad's retirement party", "a team offsite", "my sister's graduation", "our 10th anniversary", "a colleague's farewell"},
}

func init() {
	register("creative", "story", 60, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Write a short story about {hero} {style}.", "Tell me a bedtime story about {hero}.", "Write a flash fiction piece about {theme}, {style}.",
			"Can you write a story where {hero} discovers a secret?", "Write the opening chapter of a novel about {hero}.",
			"Continue this story: \"The door had been locked for forty years, until this morning.\"", "Write a creepy campfire story about {hero}.",
			"I need a 500-word short story on the theme of {theme}.", "Write a fable with a moral about {theme}.",
		}), creativeSlots))}
	})
	register("creative", "verse", 50, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Write a {form} about {theme}.", "Compose a {form} about {hero}.", "Write song lyrics about {theme}, with a chorus.",
			"Write a rap verse about {theme}.", "Can you write me a {form} for {event}?", "Give me a rhyming {form} about {theme} for a greeting card.",
			"Write a love poem that doesn't use the word love.", "Write lyrics for a country song about {theme}.",
		}), creativeSlots))}
	})
	register("creative", "copy", 50, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Write a catchy slogan for {biz}.", "Write an Instagram caption for {biz}'s grand opening.", "Write a product description for {biz} that sounds fun.",
			"Draft a 30-second radio ad for {biz}.", "Write a tagline and a short pitch for {biz}.", "Write a funny tweet announcing {biz}.",
			"Write a heartfelt toast for {event}.", "Write a speech for {event}, warm and a bit funny.", "Write a LinkedIn post announcing my new job in an inspiring tone.",
			"Write a landing page hero text for {biz}.",
		}), creativeSlots))}
	})
	register("creative", "dialogue", 40, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Write a dialogue between {who}.", "Write a comedy sketch featuring {who}.", "Write a short screenplay scene where {who} argue about {theme}.",
			"Pretend you are {hero} and write a diary entry about today.", "Roleplay: you are {hero}. Describe your morning in first person.",
			"Write a monologue for {hero} on the night before a big decision.",
		}), creativeSlots))}
	})
	register("creative", "ideas", 30, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Give me 10 name ideas for {biz}.", "Brainstorm some creative themes for {event}.", "Come up with a plot for a fantasy novel about {hero}.",
			"Invent a new holiday and describe how people celebrate it.", "Make up a legend explaining why the moon changes shape.",
			"Create a fictional world with its own history and customs, inspired by {theme}.",
		}), creativeSlots))}
	})
	register("creative", "ml", 54, func(g *G) example {
		return example{Text: g.pick(langs[g.intn(len(langs))].creative)}
	})
}
