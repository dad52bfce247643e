package main

// Chat: greetings, small talk, feelings, questions about the assistant,
// acknowledgements — short social turns.

func init() {
	register("chat", "greet", 50, func(g *G) example {
		return example{Text: g.casual(g.fill("{hi}{rest}", map[string][]string{
			"hi": {"Hi", "Hello", "Hey", "Hey there", "Good morning", "Good evening", "Yo", "Hiya", "Howdy", "Morning", "Heyyy"},
			"rest": {"!", " :)", ", how are you?", "! How's it going?", ", what's up?", ", how's your day been?", "! Nice to meet you.",
				" friend!", ", anyone there?", "! Long time no see", ", how are you doing today?", ". Hope you're well!"},
		}))}
	})
	register("chat", "feelings", 50, func(g *G) example {
		return example{Text: g.casual(g.pick([]string{
			"I'm feeling kind of down today.", "I just got promoted!!", "Ugh, Mondays.", "I'm so bored right now.", "I can't sleep.",
			"I had the worst day at work.", "My cat just knocked my coffee over lol", "I'm nervous about my exam tomorrow.",
			"Finally Friday!", "I miss my family, they live far away.", "I think I need a vacation.", "Today was actually a great day.",
			"I'm so tired of everything.", "Guess what, I passed my driving test!", "It's raining again and I'm stuck inside.",
			"I feel lonely sometimes.", "I'm excited, we're getting a puppy this weekend!", "Just finished a 10k run, I'm exhausted.",
			"Not gonna lie, I'm a bit stressed.", "I'm in a really good mood today.", "My best friend moved away and it sucks.",
			"I'm hungry but too lazy to cook.", "Can't believe it's already December.", "I'm procrastinating again haha.",
		}))}
	})
	register("chat", "about", 40, func(g *G) example {
		return example{Text: g.casual(g.pick([]string{
			"What's your name?", "Are you a robot?", "Do you have feelings?", "Who made you?", "What can you do?", "Are you real?",
			"Do you ever get tired?", "How old are you?", "Do you dream?", "Are you smarter than me?", "Can we be friends?",
			"Do you like talking to people?", "What do you do for fun?", "Are you a boy or a girl?", "Do you remember me?",
			"Where do you live?", "Do you have a favorite color?", "Are you happy?", "What are you up to?", "Can I call you Max?",
		}))}
	})
	register("chat", "smalltalk", 50, func(g *G) example {
		return example{Text: g.casual(g.pick([]string{
			"What's your favorite movie?", "Do you like pizza?", "Thanks!", "Thank you so much!", "lol", "Haha that's funny", "Ok cool",
			"Nice!", "Bye!", "See you later", "Good night!", "You're awesome", "That's hilarious", "Sounds good", "Cool, thanks",
			"Tell me a joke", "Do you prefer cats or dogs?", "What's your favorite season?", "Do you like music?", "How was your weekend?",
			"What should I do this weekend?", "What's up?", "Nothing much, just chilling", "I'm back!", "Sorry, I was away",
			"You're funny", "Let's chat", "Do you watch football?", "Have a nice day!", "Okay, talk to you tomorrow",
		}))}
	})
	register("chat", "followup", 26, func(g *G) example {
		hist := [][]string{
			{"What's the capital of Peru?"}, {"Write me a haiku about snow"}, {"Can you fix this Python error for me?"},
			{"Summarize this article please"}, {"hey", "not much, you?"}, {"How many grams in a pound?"},
		}
		return example{
			History: g.pickList(hist),
			Text: g.casual(g.pick([]string{
				"Thanks, that helped!", "haha ok", "Perfect, thank you!", "Great, you're the best", "ok got it", "Awesome, thanks a lot",
				"cool cool", "Nice one", "lol you're right", "Alright, bye for now", "That's all I needed, thanks", "Wow, thanks!",
			})),
		}
	})
	register("chat", "ml", 60, func(g *G) example {
		return example{Text: g.pick(langs[g.intn(len(langs))].chat)}
	})
}

// pickList returns a random list from lists.
func (g *G) pickList(lists [][]string) []string { return lists[g.intn(len(lists))] }
