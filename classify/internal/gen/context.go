package main

// Request context for the examples: system prompts typical of each class,
// JSON response formats and tools, at rates that mirror how applications
// send them. A system prompt of another class is used now and then, so the
// model learns that context is evidence, not a verdict.

var systemsByClass = map[string][]string{
	"extraction": {
		"You are an information extraction engine. Output only valid JSON, no commentary.",
		"You extract structured data from documents. If a field is missing, use null.",
		"You are a data entry assistant for the accounts payable team.",
	},
	"summarization": {
		"You are a summarization assistant. Be faithful to the source and concise.",
		"You write executive summaries for busy managers.",
		"Summarize for a general audience, no jargon.",
	},
	"code": {
		"You are an expert software engineer. Answer with working code and short explanations.",
		"You are a senior Python developer helping with code reviews.",
		"You are a coding assistant inside an IDE.",
	},
	"creative": {
		"You are a creative writing partner with a vivid, playful style.",
		"You are a copywriter for a marketing agency.",
		"You write stories for children aged 5 to 8.",
	},
	"reasoning": {
		"You are a math tutor. Show your reasoning step by step.",
		"Think carefully and verify each step before giving the final answer.",
		"You solve logic puzzles and explain the solution.",
	},
	"factual": {
		"You are a knowledgeable assistant. Answer questions accurately and cite facts.",
		"You are a trivia expert. Answer briefly.",
		"Answer using your general knowledge; say so if you are unsure.",
	},
	"chat": {
		"You are a friendly companion. Keep replies short and warm.",
		"You are Sam, a cheerful assistant who likes small talk.",
		"Be casual and friendly.",
	},
}

var classNames = []string{"factual", "creative", "reasoning", "extraction", "code", "summarization", "chat"}

// decorate adds a system prompt, a JSON response format or tools to some
// examples, unless the generator set its own context.
func (g *G) decorate(e *example, class string) {
	if e.System == "" && g.chance(0.15) {
		c := class
		if g.chance(0.2) {
			c = g.pick(classNames)
		}
		e.System = g.pick(systemsByClass[c])
	}
	jsonRate := map[string]float64{"extraction": 0.35, "summarization": 0.08}[class]
	if jsonRate == 0 {
		jsonRate = 0.03
	}
	if g.chance(jsonRate) {
		e.WantsJSON = true
	}
	toolRate := 0.08
	if class == "factual" {
		toolRate = 0.12
	}
	if g.chance(toolRate) {
		e.Tools = true
	}
}
