package main

// Factual: questions with a factual answer, asked the way people ask them
// (capitalized, with question marks, with "tell me about"), as opposed to
// the public set's lowercase search queries.

var factSlots = map[string][]string{
	"book":    {"Pride and Prejudice", "One Hundred Years of Solitude", "The Brothers Karamazov", "To Kill a Mockingbird", "The Divine Comedy", "Things Fall Apart", "Beloved", "The Little Prince"},
	"country": {"Australia", "Canada", "Kenya", "Peru", "Mongolia", "Norway", "Vietnam", "Morocco", "New Zealand", "Chile", "Finland", "Egypt"},
	"event":   {"the Berlin Wall fall", "the French Revolution begin", "World War I end", "the Titanic sink", "the first Moon landing happen", "the Roman Empire fall", "the printing press get invented", "the Chernobyl disaster happen"},
	"thing":   {"Mount Everest", "the Eiffel Tower", "the Great Wall of China", "the Burj Khalifa", "Niagara Falls", "the Amazon River", "the Golden Gate Bridge"},
	"person":  {"Marie Curie", "Nelson Mandela", "Ada Lovelace", "Genghis Khan", "Frida Kahlo", "Alan Turing", "Cleopatra", "Napoleon", "Rosalind Franklin", "Simón Bolívar"},
	"acr":     {"NASA", "UNESCO", "DNA", "GDP", "HTTP", "NATO", "laser", "scuba", "OPEC", "WHO"},
	"planet":  {"Jupiter", "Mars", "Saturn", "Neptune", "Venus"},
	"topic":   {"the Roman Empire", "black holes", "the Renaissance", "octopuses", "the Treaty of Versailles", "the Great Depression", "photosynthesis", "the Ottoman Empire", "the human immune system", "plate tectonics", "the Cold War", "the Maya civilization"},
	"process": {"vaccines work", "a bill becomes law in the US", "airplanes stay in the air", "the stock market works", "rainbows form", "the heart pumps blood", "tides work", "nuclear power plants generate electricity", "GPS works"},
	"word":    {"serendipity", "ubiquitous", "schadenfreude", "ephemeral", "hubris", "zeitgeist"},
}

func init() {
	register("factual", "wh", 90, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Who wrote {book}?", "What is the capital of {country}?", "When did {event}?", "How tall is {thing}?", "Where is {thing} located?",
			"Who was {person}?", "What does {acr} stand for?", "How many moons does {planet} have?", "What is the population of {country}?",
			"What language do they speak in {country}?", "What currency does {country} use?", "What was {person} famous for?",
			"In what year did {event}?", "Which country has the largest population?", "What is the largest desert in the world?",
			"How far is {planet} from the Sun?", "Who was the first woman to win a Nobel Prize?", "What's the official language of {country}?",
			"What is the boiling point of water at sea level?", "Who painted the Mona Lisa?", "How old is the universe?",
		}), factSlots))}
	})
	register("factual", "howwhy", 60, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Why is the sky blue?", "How do {process}?", "What causes inflation?", "Explain how {process}.", "Why do we have seasons?",
			"What's the difference between a virus and a bacterium?", "What's the difference between weather and climate?", "Why did {event}?",
			"How does the immune system fight infections?", "Why do cats purr?", "What causes earthquakes?", "How are diamonds formed?",
			"Why is the ocean salty?", "What makes a star explode?", "How do birds know where to migrate?", "Why do leaves change color in autumn?",
		}), factSlots))}
	})
	register("factual", "lookup", 50, func(g *G) example {
		return example{Text: g.casual(g.fill(g.pick([]string{
			"Tell me about {topic}.", "Give me some facts about {topic}.", "What do you know about {person}?", "Define the word {word}.",
			"What does {word} mean?", "Information on {topic}, please.", "I'd like to learn about {topic}. Where did it start?",
			"Can you explain {topic} to me?", "Quick facts about {country}?", "Brief history of {thing}?", "Give me an overview of {topic}.",
		}), factSlots))}
	})
	register("factual", "ml", 65, func(g *G) example {
		return example{Text: g.pick(langs[g.intn(len(langs))].factual)}
	})
}
