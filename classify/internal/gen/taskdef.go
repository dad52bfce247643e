package main

// Instruction-set prompts: a task definition in the style of instruction
// tuning collections ("In this task, you are given … Your job is to …"),
// then the instance. Written here.

var taskDefOpeners = []string{
	"In this task, you are given {thing}.", "In this task, you're given {thing}.", "You are given {thing}.",
	"Given {thing},", "You will be shown {thing}.", "Read {thing} carefully.",
}

var taskDefs = map[string]struct{ things, jobs []string }{
	"factual": {
		things: []string{"a trivia question", "a question about history", "an open-domain question", "a question about geography", "a science question with four answer options"},
		jobs: []string{"Your job is to answer the question correctly.", "Answer the question with a short phrase.",
			"Provide the correct answer based on your knowledge.", "Choose the correct option and give the answer.", "Write the answer in a few words."},
	},
	"extraction": {
		things: []string{"a product review", "a sentence from a news article", "a short biography", "a customer message", "a tweet"},
		jobs: []string{"Your task is to classify the sentiment as positive or negative.", "Identify all person names mentioned and list them.",
			"Extract the dates and locations in the text.", "Label the intent of the message from the given categories.",
			"Find the organization names and output them separated by commas."},
	},
	"summarization": {
		things: []string{"a news article", "a dialogue between two people", "a long product review", "a scientific abstract", "an email thread"},
		jobs: []string{"Your task is to generate a one-sentence summary.", "Write a short headline that summarizes it.",
			"Generate a concise summary of the main points.", "Summarize it in at most three sentences."},
	},
	"creative": {
		things: []string{"a title", "the first sentence of a story", "a topic", "a list of keywords", "a character description"},
		jobs: []string{"Your task is to write a short story that fits it.", "Write a poem based on it.",
			"Compose the next sentence of the story so that it is surprising.", "Write a limerick about it."},
	},
	"reasoning": {
		things: []string{"a math word problem", "an arithmetic question", "a logic puzzle", "a sequence of numbers", "a geometry problem"},
		jobs: []string{"You need to solve it and report the final numerical answer.", "Apply the operations in order and give the result.",
			"Work out the answer step by step.", "Find the next number in the sequence and explain the rule."},
	},
	"code": {
		things: []string{"a description of a function", "a list of integers", "a natural-language command", "a SQL table schema", "a Python snippet with a bug"},
		jobs: []string{"Your task is to write Python code that implements it.", "Write the SQL query that answers the question.",
			"Fix the bug and return the corrected code.", "Write a function that returns the requested output."},
	},
	"chat": {
		things: []string{"a casual message from a friend", "a greeting", "a message from a lonely user"},
		jobs:   []string{"Reply in a warm, conversational way.", "Respond as a friendly chatbot would.", "Write a short, kind reply."},
	},
}

var taskInstances = map[string][]string{
	"factual":       {"Question: Which river flows through Cairo?", "Question: Who painted the Mona Lisa?", "Question: What gas do plants absorb? (A) oxygen (B) carbon dioxide (C) helium (D) neon"},
	"extraction":    {"Review: The battery died after two days and support never answered.", "Sentence: Maria Lopez met officials from Siemens in Madrid on 3 May.", "Message: I want to cancel my subscription."},
	"summarization": {"Article: The city council approved a new budget on Monday that increases spending on public transit by 12 percent while cutting road maintenance. Officials said the change reflects rising ridership.", "Dialogue: A: Are we still on for Friday? B: Yes, 7pm at the usual place. A: Great, I'll bring the tickets."},
	"creative":      {"Title: The Last Lighthouse", "Keywords: rain, bicycle, forgotten letter", "First sentence: The door had not been opened in forty years."},
	"reasoning":     {"Problem: A shop sells 3 pens for $4. How much do 12 pens cost?", "Sequence: 2, 6, 12, 20, 30, ?", "Problem: If all bloops are razzies and some razzies are lazzies, are all bloops lazzies?"},
	"code":          {"Input: [3, 1, 4, 1, 5]. Output: the list sorted without duplicates.", "Command: count the words in a text file", "Table: orders(id, customer_id, total, created_at). Question: total revenue per month."},
	"chat":          {"Message: hey! long time no see, how have you been?", "Message: good morning :)", "Message: I had a rough day at work."},
}

func init() {
	for _, class := range classNames {
		register(class, "taskdef", 40, func(g *G) example {
			d := taskDefs[class]
			opener := g.fill(g.pick(taskDefOpeners), map[string][]string{"thing": d.things})
			return example{Text: opener + " " + g.pick(d.jobs) + "\n\n" + g.pick(taskInstances[class])}
		})
	}
}
