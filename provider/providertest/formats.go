package providertest

import (
	"encoding/json"
	"fmt"

	"switchyard/llm"
)

// quote returns s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// openAIChunk is one chat.completion.chunk event with the given choices
// and extra members.
func openAIChunk(rest string) string {
	return `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m",` + rest + "}\n\n"
}

// openAIFinish is the finish reason's chunk, then the usage chunk.
func openAIFinish(prompt, completion string) string {
	return openAIChunk(`"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]`) +
		openAIChunk(`"choices":[],"usage":{"prompt_tokens":`+prompt+`,"completion_tokens":`+completion+`,"total_tokens":8}`)
}

// OpenAI is the Chat Completions stream (kinds openai and azure), as in
// OpenAI's API reference.
var OpenAI = Format{
	Start: openAIChunk(`"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]`),
	Text: func(s string) string {
		return openAIChunk(`"choices":[{"index":0,"delta":{"content":` + quote(s) + `},"finish_reason":null}]`)
	},
	Finish:      openAIFinish("3", "5"),
	FinishUsage: openAIFinish,
	End:         "data: [DONE]\n\n",
	Noop:        ": keep-alive\n\n",
	Bad:         "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}]\n\n",
	ErrorEvent:  `data: {"error":{"message":"The server had an error (key ` + Secret + `, header ` + HeaderSecret + `)","type":"server_error","param":null,"code":null}}` + "\n\n",
	ErrorKind:   llm.KindUpstream,
	ErrorJSON:   `{"error":{"message":"Rate limit reached for key ` + Secret + ` (header ` + HeaderSecret + `)","type":"requests","param":null,"code":"rate_limit_exceeded"}}`,
}

// anthropicEvent is one Messages stream event.
func anthropicEvent(name, data string) string {
	return "event: " + name + "\ndata: " + data + "\n\n"
}

// anthropicFinish closes the text block and sends the stop reason with
// the usage (the input count repeated, as the API does since 2025).
func anthropicFinish(prompt, completion string) string {
	return anthropicEvent("content_block_stop", `{"type":"content_block_stop","index":0}`) +
		anthropicEvent("message_delta", `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":`+prompt+`,"output_tokens":`+completion+`}}`)
}

// Anthropic is the Messages stream, as in Anthropic's streaming docs.
var Anthropic = Format{
	Start: anthropicEvent("message_start", `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}`) +
		anthropicEvent("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`),
	Text: func(s string) string {
		return anthropicEvent("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":`+quote(s)+`}}`)
	},
	Finish:      anthropicFinish("3", "5"),
	FinishUsage: anthropicFinish,
	End:         anthropicEvent("message_stop", `{"type":"message_stop"}`),
	Noop:        anthropicEvent("ping", `{"type": "ping"}`),
	Bad:         anthropicEvent("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}`),
	ErrorEvent:  anthropicEvent("error", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded (key `+Secret+`, header `+HeaderSecret+`)"}}`),
	ErrorKind:   llm.KindUnavailable,
	ErrorJSON:   `{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited (key ` + Secret + `, header ` + HeaderSecret + `)"}}`,
}

// geminiEvent is one alt=sse event, framed as the API frames it.
func geminiEvent(data string) string { return "data: " + data + "\r\n\r\n" }

// geminiFinish is the last event: the finishReason with the usage.
func geminiFinish(prompt, completion string) string {
	return geminiEvent(`{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":` +
		prompt + `,"candidatesTokenCount":` + completion + `,"totalTokenCount":8},"modelVersion":"m","responseId":"r1"}`)
}

// Gemini is the streamGenerateContent?alt=sse stream: no end marker, the
// body's end after the finishReason ends it.
var Gemini = Format{
	Text: func(s string) string {
		return geminiEvent(fmt.Sprintf(`{"candidates":[{"content":{"parts":[{"text":%s}],"role":"model"},"index":0}],"modelVersion":"m","responseId":"r1"}`, quote(s)))
	},
	Finish:      geminiFinish("3", "5"),
	FinishUsage: geminiFinish,
	Noop:        ": keep-alive\r\n\r\n",
	Bad:         geminiEvent(`{"candidates":[{"content":{"parts":[{"text":"x"}]},"index":0}]`),
	ErrorEvent:  geminiEvent(`{"error":{"code":503,"message":"The model is overloaded (key ` + Secret + `, header ` + HeaderSecret + `)","status":"UNAVAILABLE"}}`),
	ErrorKind:   llm.KindUnavailable,
	ErrorJSON:   `{"error":{"code":429,"message":"Resource has been exhausted (key ` + Secret + `, header ` + HeaderSecret + `)","status":"RESOURCE_EXHAUSTED"}}`,
}
