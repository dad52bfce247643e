package llm

// TextContent is how an OpenAI-wire deployment is sent a message whose
// content is text alone: OpenAI's API takes an array of text parts as
// well as a string, some compatible hosts only a string (DeepSeek's API
// refuses an array on every message, Groq's on a system message).
type TextContent string

// The text content settings.
const (
	// TextContentAuto decides by the host (the provider's base_url).
	TextContentAuto TextContent = ""
	// TextContentString sends every message of text alone as one string,
	// its parts joined by a blank line.
	TextContentString TextContent = "string"
	// TextContentParts sends each message's content as the client did:
	// an array of parts stays one.
	TextContentParts TextContent = "parts"
)

// TextContents lists the settings a configuration may name.
var TextContents = []string{string(TextContentString), string(TextContentParts)}

// Strings reports whether t sends text as one string: as set, else
// hostWants.
func (t TextContent) Strings(hostWants bool) bool {
	switch t {
	case TextContentString:
		return true
	case TextContentParts:
		return false
	}
	return hostWants
}
