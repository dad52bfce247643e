package providertest

import (
	"switchyard/llm"
)

// responsesEvent is one event of a Responses API stream: named, as the
// API names every event, its data a ResponseStreamEvent object.
func responsesEvent(name, data string) string {
	return "event: " + name + "\ndata: " + data + "\n\n"
}

// responsesFinish closes the message (its text's, part's and item's done
// events) and ends the response with response.completed, which carries
// the usage.
func responsesFinish(prompt, completion string) string {
	const text = `"text":"Hello"`
	return responsesEvent("response.output_text.done", `{"type":"response.output_text.done","sequence_number":6,"item_id":"msg_1","output_index":0,"content_index":0,`+text+`,"logprobs":[]}`) +
		responsesEvent("response.content_part.done", `{"type":"response.content_part.done","sequence_number":7,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],`+text+`}}`) +
		responsesEvent("response.output_item.done", `{"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":{"id":"msg_1","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],`+text+`}],"role":"assistant"}}`) +
		responsesEvent("response.completed", `{"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","object":"response","created_at":1,"status":"completed","error":null,"incomplete_details":null,"model":"m","output":[{"id":"msg_1","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],`+text+`}],"role":"assistant"}],"service_tier":"default","usage":{"input_tokens":`+prompt+`,"input_tokens_details":{"cached_tokens":0},"output_tokens":`+completion+`,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":8}}}`)
}

// OpenAIResponses is the Responses API stream (POST /v1/responses with
// stream true, kinds openai and azure for a deployment of api responses),
// as in OpenAI's streaming events reference: response.created and
// in_progress, the message item and its output_text part added, one
// response.output_text.delta a piece, then the done events and
// response.completed with the usage. It has no end marker:
// response.completed (or incomplete, or failed) is the last event. The
// API sends no keep-alives; Noop is an SSE comment, which any stream may
// hold.
var OpenAIResponses = Format{
	Start: responsesEvent("response.created", `{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1,"status":"in_progress","error":null,"incomplete_details":null,"model":"m","output":[],"usage":null}}`) +
		responsesEvent("response.in_progress", `{"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","object":"response","created_at":1,"status":"in_progress","error":null,"incomplete_details":null,"model":"m","output":[],"usage":null}}`) +
		responsesEvent("response.output_item.added", `{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"}}`) +
		responsesEvent("response.content_part.added", `{"type":"response.content_part.added","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}`),
	Text: func(s string) string {
		return responsesEvent("response.output_text.delta", `{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":`+quote(s)+`,"logprobs":[]}`)
	},
	Finish:      responsesFinish("3", "5"),
	FinishUsage: responsesFinish,
	Noop:        ": keep-alive\n\n",
	Bad:         responsesEvent("response.output_text.delta", `{"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"x"`),
	ErrorEvent:  responsesEvent("error", `{"type":"error","sequence_number":5,"code":"server_error","message":"The server had an error while processing your request (key `+Secret+`, header `+HeaderSecret+`)","param":null}`),
	ErrorKind:   llm.KindUpstream,
	ErrorJSON:   OpenAI.ErrorJSON,
}
