package openai

import (
	"strconv"

	"switchyard/llm"
)

// chatPartTypes are the content part types Chat Completions has, as
// OpenAI lists them refusing another in a user, assistant, system or
// developer message ("Invalid value: 'image'. Supported values are:
// 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.",
// param messages[0].content[1].type; quoted in public code and issues).
const chatPartTypes = "'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'"

// toolPartTypes are those OpenAI lists refusing another in a tool
// message (fiber#121's probe, param the part's path).
const toolPartTypes = "'text', 'refusal', 'image_url', and 'input_audio'"

// isChatPartType reports whether typ is a content part type Chat
// Completions has.
func isChatPartType(typ string) bool {
	switch typ {
	case "text", "image_url", "input_audio", "refusal", "audio", "file":
		return true
	}
	return false
}

// isToolPartType reports whether typ is one a tool message takes.
func isToolPartType(typ string) bool {
	switch typ {
	case "text", "refusal", "image_url", "input_audio":
		return true
	}
	return false
}

// checkPartTypes refuses m's first content part of a type Chat
// Completions does not have (a Responses input_text, a vLLM video_url,
// Anthropic's thinking, LangChain's standard {"type":"image","mimeType"}
// block), as OpenAI refuses it: 400, code invalid_value, OpenAI's
// wording. The decoder keeps a part it does not read verbatim
// (llm.PartOther), which each upstream kind would otherwise refuse in
// its own words, or pass on; refused here, the answer is the same
// whatever the route. A tool message's parts are held to its own four
// types (its file part included); types Chat has but m's role does not
// take are left to checkMessage.
func checkPartTypes(s *scanner, m *llm.Message) error {
	for j := range m.Content {
		p := &m.Content[j]
		if p.Type == llm.PartText || p.Type == llm.PartImage || p.Type == llm.PartDocument && m.Role != llm.RoleTool {
			continue
		}
		got := partType(s, p)
		at := "[" + strconv.Itoa(j) + "]"
		switch {
		case m.Role == llm.RoleTool && !isToolPartType(got):
			return errPartType(got, toolPartTypes).in(at).in("content")
		case !isChatPartType(got):
			return errPartType(got, chatPartTypes).in("type").in(at).in("content")
		}
	}
	return nil
}
