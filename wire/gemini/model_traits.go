package gemini

import (
	"strings"

	"switchyard/llm"
)

// What each Gemini model takes, read from its id.

// ThinkingModel reports whether a Gemini model thinks, and so takes a
// thinkingConfig: Gemini 2.5 and 3 models.
func ThinkingModel(model string) bool {
	model = strings.TrimPrefix(model, "models/")
	return isGemini3(model) || strings.HasPrefix(model, "gemini-2.5-")
}

func isGemini3(model string) bool {
	model = strings.TrimPrefix(model, "models/")
	return strings.HasPrefix(model, "gemini-3.") || strings.HasPrefix(model, "gemini-3-")
}

// RefusesJSONWithTools reports whether a Gemini model refuses a JSON
// response (responseMimeType application/json, with or without a schema)
// beside function declarations it may call (a functionCallingConfig mode
// other than NONE): 400 INVALID_ARGUMENT "Function calling with a response
// mime type: 'application/json' is unsupported" (googleapis/python-genai#867,
// symfony/ai#1777 on gemini-2.5-flash, google/adk-python#5735 on
// gemini-2.5-pro, where mode NONE is answered). Gemini 1.x and 2.x
// refuse the pair; Gemini 3 combines structured output with function
// calling. Another id (a later generation, a -latest alias, one that is
// not Gemini's) is taken to accept it.
func RefusesJSONWithTools(model string) bool { return beforeGemini3(model) }

// RefusesSearchWithTools reports whether a Gemini model refuses its
// googleSearch tool beside function declarations: 400 INVALID_ARGUMENT
// "Tool use with function calling is unsupported" (google/adk-python#53
// and #134; apps that moved to gemini-3-pro-preview to be rid of it).
// Gemini 1.x and 2.x refuse the pair; Gemini 3 combines built-in tools
// with function calling. Another id is taken to accept it.
func RefusesSearchWithTools(model string) bool { return beforeGemini3(model) }

// beforeGemini3 reports whether model is a Gemini model of a generation
// before 3 (1.x, 2.x, gemini-pro, gemini-exp ids).
func beforeGemini3(model string) bool {
	m := strings.TrimPrefix(strings.ToLower(model), "models/")
	for _, old := range []string{"gemini-1.", "gemini-2.", "gemini-pro", "gemini-exp"} {
		if strings.HasPrefix(m, old) {
			return true
		}
	}
	return false
}

// RefusesPenalties reports whether a Gemini model refuses presencePenalty
// and frequencyPenalty (400 INVALID_ARGUMENT "Penalty is not enabled for
// models/gemini-2.5-flash"): every Gemini model from 2.5 on, and the
// experimental and -latest aliases; Gemini 1.x and 2.0 take them. An id
// that is not Gemini's (gemma-…, a tuned model) is taken to accept them.
func RefusesPenalties(model string) bool {
	m := strings.TrimPrefix(strings.ToLower(model), "models/")
	if !strings.HasPrefix(m, "gemini-") {
		return false
	}
	for _, old := range []string{"gemini-1.", "gemini-2.0", "gemini-pro"} {
		if strings.HasPrefix(m, old) {
			return false
		}
	}
	return true
}

// DroppedPenalties returns the names of the penalties of req that its
// model refuses (RefusesPenalties), which FromLLM leaves out: sampling
// hints, dropped rather than refused; nil when there are none.
func DroppedPenalties(req *llm.Request) []string {
	if !RefusesPenalties(req.ModelID()) {
		return nil
	}
	var names []string
	if req.PresencePenalty != nil {
		names = append(names, "presence_penalty")
	}
	if req.FrequencyPenalty != nil {
		names = append(names, "frequency_penalty")
	}
	return names
}
