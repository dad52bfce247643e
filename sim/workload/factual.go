package workload

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"switchyard/llm"
)

// fact is a question's subject and its answer; trap, when set, is the
// wrong answer people most often give.
type fact struct{ subject, answer, trap string }

// relation is a kind of fact, with the question forms that ask it.
type relation struct {
	facts []fact
	forms []string // each has one %s for the subject
}

// The facts are common knowledge, written here (the NQ-open questions in
// ../shared/datasets have no answers there); the question forms imitate
// real search queries (NQ-open) and chat questions.
var relations = []relation{
	{facts: []fact{
		{"Australia", "Canberra", "Sydney"}, {"Canada", "Ottawa", "Toronto"}, {"Brazil", "Brasília", "Rio de Janeiro"},
		{"Turkey", "Ankara", "Istanbul"}, {"Switzerland", "Bern", "Zurich"}, {"New Zealand", "Wellington", "Auckland"},
		{"Nigeria", "Abuja", "Lagos"}, {"Morocco", "Rabat", "Casablanca"}, {"Vietnam", "Hanoi", "Ho Chi Minh City"},
		{"Pakistan", "Islamabad", "Karachi"}, {"South Korea", "Seoul", ""}, {"Peru", "Lima", ""}, {"Kenya", "Nairobi", ""},
		{"Norway", "Oslo", ""}, {"Portugal", "Lisbon", "Porto"}, {"Egypt", "Cairo", ""}, {"Argentina", "Buenos Aires", ""},
		{"Thailand", "Bangkok", ""}, {"Poland", "Warsaw", "Krakow"}, {"Chile", "Santiago", ""}, {"Ireland", "Dublin", ""},
		{"Hungary", "Budapest", ""}, {"Finland", "Helsinki", ""}, {"Colombia", "Bogotá", "Medellín"}, {"Greece", "Athens", ""},
		{"Indonesia", "Jakarta", ""}, {"the Philippines", "Manila", ""}, {"Austria", "Vienna", ""}, {"Sweden", "Stockholm", ""},
		{"Ghana", "Accra", ""}, {"Iceland", "Reykjavík", ""}, {"Cuba", "Havana", ""}, {"Jamaica", "Kingston", ""},
	}, forms: []string{
		"What is the capital of %s?", "capital of %s", "which city is the capital of %s", "What city is the capital of %s?",
		"what is the capital city of %s", "Name the capital of %s.",
	}},
	{facts: []fact{
		{"Pride and Prejudice", "Jane Austen", ""}, {"Moby-Dick", "Herman Melville", ""}, {"War and Peace", "Leo Tolstoy", "Fyodor Dostoevsky"},
		{"Crime and Punishment", "Fyodor Dostoevsky", "Leo Tolstoy"}, {"One Hundred Years of Solitude", "Gabriel García Márquez", ""},
		{"The Great Gatsby", "F. Scott Fitzgerald", "Ernest Hemingway"}, {"The Old Man and the Sea", "Ernest Hemingway", "John Steinbeck"},
		{"Frankenstein", "Mary Shelley", "Bram Stoker"}, {"Dracula", "Bram Stoker", "Mary Shelley"}, {"Nineteen Eighty-Four", "George Orwell", "Aldous Huxley"},
		{"Brave New World", "Aldous Huxley", "George Orwell"}, {"To Kill a Mockingbird", "Harper Lee", ""}, {"The Grapes of Wrath", "John Steinbeck", ""},
		{"Things Fall Apart", "Chinua Achebe", ""}, {"Don Quixote", "Miguel de Cervantes", ""}, {"The Divine Comedy", "Dante Alighieri", ""},
		{"Jane Eyre", "Charlotte Brontë", "Emily Brontë"}, {"Wuthering Heights", "Emily Brontë", "Charlotte Brontë"}, {"Beloved", "Toni Morrison", ""},
		{"The Catcher in the Rye", "J. D. Salinger", ""}, {"Great Expectations", "Charles Dickens", ""}, {"Les Misérables", "Victor Hugo", ""},
	}, forms: []string{
		"Who wrote %s?", "who wrote the novel %s", "who is the author of %s", "Who is the author of the book %s?", "Which author wrote %s?",
	}},
	{facts: []fact{
		{"gold", "Au", "Ag"}, {"silver", "Ag", "Au"}, {"iron", "Fe", "Ir"}, {"sodium", "Na", "So"}, {"potassium", "K", "P"},
		{"lead", "Pb", "Le"}, {"tin", "Sn", "Ti"}, {"mercury", "Hg", "Me"}, {"copper", "Cu", "Co"}, {"tungsten", "W", "Tu"},
		{"helium", "He", ""}, {"oxygen", "O", ""}, {"carbon", "C", "Ca"}, {"calcium", "Ca", "C"}, {"neon", "Ne", ""}, {"zinc", "Zn", "Zi"},
	}, forms: []string{
		"What is the chemical symbol for %s?", "chemical symbol of %s", "what is the symbol of the element %s", "Which symbol stands for %s on the periodic table?",
	}},
	{facts: []fact{
		{"the telephone", "Alexander Graham Bell", "Thomas Edison"}, {"the World Wide Web", "Tim Berners-Lee", ""},
		{"the printing press", "Johannes Gutenberg", ""}, {"dynamite", "Alfred Nobel", ""}, {"the phonograph", "Thomas Edison", "Alexander Graham Bell"},
		{"the polio vaccine", "Jonas Salk", "Louis Pasteur"}, {"the theory of general relativity", "Albert Einstein", "Isaac Newton"},
		{"penicillin", "Alexander Fleming", "Louis Pasteur"}, {"the periodic table", "Dmitri Mendeleev", ""},
	}, forms: []string{
		"Who invented %s?", "who is credited with inventing %s", "who came up with %s", "Who discovered or invented %s?",
	}},
	{facts: []fact{
		{"the Berlin Wall fall", "1989", "1991"}, {"the Titanic sink", "1912", "1915"}, {"World War II end", "1945", "1944"},
		{"the first Moon landing happen", "1969", "1972"}, {"the French Revolution begin", "1789", "1776"},
		{"the Soviet Union dissolve", "1991", "1989"}, {"the American Declaration of Independence get signed", "1776", "1789"},
		{"Nelson Mandela become president of South Africa", "1994", "1990"}, {"the Chernobyl disaster happen", "1986", ""},
		{"the euro enter circulation", "2002", "1999"}, {"the first iPhone come out", "2007", "2008"},
	}, forms: []string{
		"In what year did %s?", "when did %s", "What year did %s?", "In which year did %s?",
	}},
	{facts: []fact{
		{"largest planet in the solar system", "Jupiter", "Saturn"}, {"longest river in Africa", "the Nile", "the Congo"},
		{"tallest mountain on Earth", "Mount Everest", "K2"}, {"largest ocean on Earth", "the Pacific Ocean", "the Atlantic Ocean"},
		{"smallest planet in the solar system", "Mercury", "Mars"}, {"hardest natural substance", "diamond", ""},
		{"largest desert in Asia", "the Gobi Desert", ""}, {"most spoken native language in the world", "Mandarin Chinese", "English"},
		{"largest bone in the human body", "the femur", "the tibia"}, {"closest star to Earth", "the Sun", "Proxima Centauri"},
		{"planet known as the Red Planet", "Mars", "Jupiter"}, {"largest country by area", "Russia", "Canada"},
		{"fastest land animal", "the cheetah", "the lion"}, {"largest mammal", "the blue whale", "the elephant"},
	}, forms: []string{
		"What is the %s?", "Which is the %s?", "name the %s", "what's the %s", "Tell me the %s.",
	}},
	{facts: []fact{
		{"Japan", "the yen", "the yuan"}, {"Switzerland", "the Swiss franc", "the euro"}, {"Mexico", "the peso", "the dollar"},
		{"India", "the rupee", "the rupiah"}, {"the United Kingdom", "the pound sterling", "the euro"}, {"South Africa", "the rand", ""},
		{"China", "the yuan", "the yen"}, {"Brazil", "the real", "the peso"}, {"Russia", "the ruble", ""}, {"Sweden", "the krona", "the euro"},
		{"South Korea", "the won", "the yen"}, {"Turkey", "the lira", "the euro"},
	}, forms: []string{
		"What is the currency of %s?", "what currency is used in %s", "Which currency does %s use?", "currency of %s",
	}},
	{facts: []fact{
		{"Brazil", "Portuguese", "Spanish"}, {"Egypt", "Arabic", ""}, {"Argentina", "Spanish", "Portuguese"}, {"Austria", "German", ""},
		{"Iran", "Persian", "Arabic"}, {"Israel", "Hebrew", ""}, {"Mozambique", "Portuguese", ""}, {"Haiti", "Haitian Creole and French", "Spanish"},
		{"Quebec", "French", "English"}, {"Kenya", "Swahili and English", ""},
	}, forms: []string{
		"What language is spoken in %s?", "what language do people speak in %s", "What is the official language of %s?", "main language of %s",
	}},
	{facts: []fact{
		{"the Mona Lisa", "Leonardo da Vinci", "Michelangelo"}, {"The Starry Night", "Vincent van Gogh", "Claude Monet"},
		{"The Persistence of Memory", "Salvador Dalí", "René Magritte"}, {"Guernica", "Pablo Picasso", "Salvador Dalí"},
		{"The Girl with a Pearl Earring", "Johannes Vermeer", "Rembrandt"}, {"The Birth of Venus", "Sandro Botticelli", "Titian"},
		{"The Scream", "Edvard Munch", ""}, {"the ceiling of the Sistine Chapel", "Michelangelo", "Raphael"},
	}, forms: []string{
		"Who painted %s?", "who painted %s", "%s was painted by which artist?", "Which artist painted %s?",
	}},
	{facts: []fact{
		{"players are on a soccer team on the field", "11", "10"}, {"strings does a standard guitar have", "6", "7"},
		{"legs does a spider have", "8", "6"}, {"keys does a standard piano have", "88", "76"},
		{"hearts does an octopus have", "3", "1"}, {"planets are in the solar system", "8", "9"},
		{"bones are in the adult human body", "206", "212"}, {"continents are there", "7", "6"},
		{"sides does a hexagon have", "6", "8"}, {"minutes are in a day", "1440", "1400"},
	}, forms: []string{
		"How many %s?", "Quick question: how many %s?", "how many %s, exactly?", "In total, how many %s?",
	}},
}

// factual writes a question about a fact; wrong answers are its trap and
// other answers of its kind.
func factual(r *rand.Rand) Item {
	rel := pick(r, relations)
	i := r.IntN(len(rel.facts))
	f := rel.facts[i]
	form := pick(r, rel.forms)
	subject := f.subject
	if strings.ToLower(form[:1]) == form[:1] {
		subject = strings.ToLower(subject)
	}
	it := Item{Prompt: fmt.Sprintf(form, subject), Category: llm.CategoryFactual, Expected: f.answer}
	if f.trap != "" {
		it.Wrong = append(it.Wrong, f.trap)
	}
	for try := 0; len(it.Wrong) < 2 && try < maxTries; try++ {
		o := pickOther(r, rel.facts, i).answer
		if o != f.trap && !Right(o, f.answer) && !Right(f.answer, o) {
			it.Wrong = append(it.Wrong, o)
		}
	}
	return it
}
