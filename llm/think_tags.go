package llm

// ThinkTags is whether an OpenAI-wire deployment's answers are read for
// reasoning written in the content between <think> and </think>, as
// open-weight reasoning models write it on hosts that do not parse it out
// into reasoning_content (DeepSeek-R1 and its distills, QwQ, Qwen3,
// MiniMax-M2 on vLLM or SGLang without a reasoning parser, llama.cpp,
// LM Studio, older Ollama, some hosted APIs).
type ThinkTags string

// The think_tags settings.
const (
	// ThinkTagsAuto reads a leading <think> block for the model ids known
	// to write one, and nothing for the others.
	ThinkTagsAuto ThinkTags = ""
	// ThinkTagsOn reads a leading <think> block whatever the model, and
	// takes an answer that does not open with the tag as reasoning up to
	// its first </think> (a chat template that writes the opening tag
	// into the prompt leaves only the closing one in the answer).
	ThinkTagsOn ThinkTags = "on"
	// ThinkTagsOff reads nothing: the content is the answer, tags and all.
	ThinkTagsOff ThinkTags = "off"
)

// ThinkTagsSettings lists the settings a configuration may name.
var ThinkTagsSettings = []string{string(ThinkTagsOn), string(ThinkTagsOff)}
