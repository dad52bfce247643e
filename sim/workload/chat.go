package workload

import (
	"math/rand/v2"
	"strings"

	"switchyard/llm"
)

// smallTalk is a small-talk turn and the reply that fits it; a wrong
// reply is one that fits another turn.
var smallTalk = []struct{ says, reply string }{
	{"how are you today?", "I'm doing well, thanks for asking! How are you?"},
	{"how's your day going?", "My day is going nicely, thank you. How is yours going?"},
	{"thanks so much for your help!", "You're very welcome, happy I could help."},
	{"what's your name?", "I don't have a name of my own; you can just call me your assistant."},
	{"good night!", "Good night, sleep well and talk tomorrow."},
	{"are you a robot?", "I'm an AI assistant, so not a robot with a body, but a program."},
	{"do you like music?", "I can't listen to music, but I love talking about it. What do you like?"},
	{"i'm bored", "Sorry you're bored! Want a fun fact, a quick game, or a book idea?"},
	{"nice to meet you", "Nice to meet you too! What would you like to talk about?"},
	{"see you later", "See you later, take care!"},
	{"i had a rough day", "I'm sorry your day was rough. Do you want to talk about what happened?"},
	{"you're awesome", "Thank you, that's kind of you to say!"},
	{"what's up?", "Not much, just here and ready to chat. What's up with you?"},
	{"do you have any hobbies?", "I don't have hobbies the way people do, but I enjoy a good conversation."},
	{"what's your favorite color?", "I don't see colors, but blue sounds calm and lovely to me."},
	{"i just got a new puppy!", "Congratulations on the new puppy! What's its name?"},
	{"can you keep me company for a bit?", "Of course, I'm happy to keep you company. What's on your mind?"},
	{"happy friday!", "Happy Friday to you too! Any plans for the weekend?"},
	{"are you having a good day?", "I am, thank you for asking! I hope yours is good too."},
	{"i'm so tired today", "Sorry to hear you're tired. Maybe a short break or some water would help?"},
	{"do you ever sleep?", "I don't sleep; I'm here whenever you want to chat."},
	{"tell me something nice", "You matter, and today is a good day to be kind to yourself."},
	{"good morning!", "Good morning! I hope you slept well."},
	{"i'm back", "Welcome back! Good to see you again."},
	{"what are you up to?", "Just here, ready to chat with you. What are you up to?"},
	{"i love talking to you", "That's lovely to hear, I enjoy our chats too!"},
	{"you're funny", "Ha, thank you! I try my best."},
	{"i can't sleep", "Sorry you can't sleep. Want to talk for a while or try a calming idea?"},
	{"how old are you?", "I don't have an age like people do, but I'm always learning."},
	{"where are you from?", "I don't come from a place; I live in the cloud, so to speak."},
	{"i'm feeling happy today", "That's wonderful! What's making today a happy one?"},
	{"do you like cats or dogs?", "I like both! Cats for the calm, dogs for the enthusiasm. Which do you prefer?"},
	{"i'm hungry", "Time for a snack then! What are you in the mood for?"},
	{"goodbye", "Goodbye, it was nice talking with you!"},
}

var chatOpeners = []string{"", "", "hey, ", "hi! ", "hello there, ", "hey there! ", "hi, ", "ok ", "so ", "well, "}
var chatClosers = []string{"", "", " :)", " haha", " lol", "!", " hehe"}

// chat writes a small-talk turn; the answer is the reply that fits it.
func chat(r *rand.Rand) Item {
	i := r.IntN(len(smallTalk))
	t := smallTalk[i]
	says := pick(r, chatOpeners) + t.says + pick(r, chatClosers)
	if r.IntN(2) == 0 {
		says = capitalize(says)
	}
	return Item{Prompt: strings.TrimSpace(says), Category: llm.CategoryChat, Expected: t.reply, Wrong: []string{pickOther(r, smallTalk, i).reply}}
}
