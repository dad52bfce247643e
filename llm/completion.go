package llm

// CapCompletions is a completions-only model's (gpt-3.5-turbo-instruct,
// davinci-002, a base model on vLLM): it serves OpenAI's legacy
// completions endpoint (POST /v1/completions), which the router calls
// natively for a legacy completions request, and no chat.
const CapCompletions Capability = "completions"

// Completion marks a request that came as a legacy completion (POST
// /v1/completions): its prompt is also its one user message, so that a
// chat model answers it; a completions-only deployment (CapCompletions)
// is sent Prompt on its own completions endpoint instead.
type Completion struct {
	// Prompt is the text to complete.
	Prompt string
	// Native is set, on the request a dispatcher sends one deployment,
	// when that deployment is completions-only: the adapter calls its
	// completions endpoint with Prompt.
	Native bool
}
