package llm

import (
	"bytes"
	"encoding/json"
)

// RawArgumentsKey holds, in ArgumentsObject, the arguments of a tool call
// that are not a JSON object.
const RawArgumentsKey = "_raw_arguments"

// ArgumentsObject returns a conversation's tool call arguments as the JSON
// object Claude's tool_use input and Gemini's functionCall args must be:
// args as they are when they are one, {} when empty, else
// {"_raw_arguments": args}. A model's call truncated by max_tokens
// ({"city": "Par) or written as other JSON stays in the history OpenAI
// takes as it is (arguments are a string there); sent to Claude or Gemini
// as it was, the whole conversation was refused on every later turn
// (livekit/agents#6321, MoonshotAI/kimi-cli#2196). The model still reads
// what it wrote.
func ArgumentsObject(args string) json.RawMessage {
	t := bytes.TrimSpace([]byte(args))
	if len(t) == 0 {
		return json.RawMessage("{}")
	}
	if t[0] == '{' && json.Valid(t) {
		return json.RawMessage(t)
	}
	b, _ := json.Marshal(map[string]string{RawArgumentsKey: args})
	return b
}
