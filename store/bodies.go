package store

// Bodies are what the request log keeps of a chat request's prompt and
// answer when store.bodies is "redacted": the text only, after the
// redaction engine (package guard) has masked secrets and personal data.
// The recorder's store sink builds them (record.StoreSink); nothing else
// writes them.
type Bodies struct {
	// Messages are the prompt's messages in order. When the prompt was too
	// long to keep whole, the oldest messages are left out and counted in
	// OmittedMessages.
	Messages        []BodyMessage `json:"messages,omitempty"`
	OmittedMessages int           `json:"omitted_messages,omitempty"`
	// Answer is the answer the client got (a stream's accumulated, partial
	// when it was cut); nil when there was none.
	Answer *BodyAnswer `json:"answer,omitempty"`
	// Truncated reports that a text was cut to the size bound (the cut is
	// marked in the text), or that the record kept a streamed answer in
	// part (llm.Response.TextLeftOut, PartsLeftOut).
	Truncated bool `json:"truncated,omitempty"`
}

// BodyMessage is one message of a prompt.
type BodyMessage struct {
	Role string `json:"role"`
	// Text is the message's text parts joined; a part that is not text
	// (an image, a file) is the marker "[image]" or "[other]", never its
	// content or URL.
	Text string `json:"text,omitempty"`
	// ToolCalls are the calls an assistant message made; ToolCallID the
	// call a tool message answers (its result is Text).
	ToolCalls  []BodyToolCall `json:"tool_calls,omitempty"`
	ToolCallID string         `json:"tool_call_id,omitempty"`
	// Refusal is an assistant message's refusal text.
	Refusal string `json:"refusal,omitempty"`
}

// BodyToolCall is one tool call: the function's name and its arguments
// as the model wrote them (JSON text).
type BodyToolCall struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	Arguments string `json:"arguments,omitempty"`
}

// BodyAnswer is the answer's first choice.
type BodyAnswer struct {
	Text      string         `json:"text,omitempty"`
	ToolCalls []BodyToolCall `json:"tool_calls,omitempty"`
	Refusal   string         `json:"refusal,omitempty"`
	// FinishReason is why the model stopped (stop, length, tool_calls,
	// content_filter); empty for a stream cut before its end.
	FinishReason string `json:"finish_reason,omitempty"`
	// Hosted are the answer's OpenAI hosted tool items (a web search's
	// web_search_call, a code_interpreter_call…), in order.
	Hosted []BodyHosted `json:"hosted,omitempty"`
	// Annotations are the text's annotations (url_citation,
	// file_citation…: a JSON array as the provider wrote it), redacted.
	Annotations string `json:"annotations,omitempty"`
}

// BodyHosted is one of an answer's OpenAI hosted tool items.
type BodyHosted struct {
	// Type is the item's type: web_search_call, file_search_call,
	// code_interpreter_call, image_generation_call, mcp_call…
	Type string `json:"type"`
	// Item is the item's JSON text as the provider wrote it (its query,
	// code, outputs…), redacted: a masked datum keeps it JSON, a cut
	// does not.
	Item string `json:"item"`
}
