package feature

// Input is the view of a request that features are extracted from.
type Input struct {
	Main    string    // the human's instruction: the last user message with text
	System  string    // the system (or developer) prompt
	History [2]string // earlier user turns, most recent first
	Turn    int       // user messages before the last one
	Tools   bool      // tools were offered
	JSON    bool      // response_format asks for JSON (object or schema)
	Images  bool      // an image part is present
}

// FromPrompt builds the Input of a labeled example or a bare prompt: text
// is the human's instruction, history the earlier user turns oldest first
// (the last two are kept).
func FromPrompt(text, system string, history []string, json, tools bool) Input {
	in := Input{Main: text, System: system, Turn: len(history), Tools: tools, JSON: json}
	for i, j := len(history)-1, 0; i >= 0 && j < len(in.History); i, j = i-1, j+1 {
		in.History[j] = history[i]
	}
	return in
}
