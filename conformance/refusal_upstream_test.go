package conformance

import (
	"io"
	"net/http"
	"strconv"
	"strings"
)

// refuseResponses answers a Responses API request with the refusal, as
// OpenAI's API reference shows a refusal content part ({"type":"refusal",
// "refusal":…}) and its stream events (response.content_part.added with
// an empty refusal part, response.refusal.delta, response.refusal.done,
// response.content_part.done).
func refuseResponses(w http.ResponseWriter, stream bool) {
	const msgID = "msg_refused"
	part := `{"type":"refusal","refusal":"` + openAIRefusal + `"}`
	item := func(status, content string) string {
		return `{"id":"` + msgID + `","type":"message","status":"` + status + `","role":"assistant","content":[` + content + `]}`
	}
	response := func(status, output, usage string) string {
		return `{"id":"resp_refused","object":"response","created_at":1700000000,"status":"` + status + `","error":null,"incomplete_details":null,` +
			`"model":"gpt-4o-mini-2024-07-18","output":[` + output + `],"parallel_tool_calls":true,"tool_choice":"auto","tools":[],"usage":` + usage + `}`
	}
	const usage = `{"input_tokens":12,"input_tokens_details":{"cached_tokens":0},"output_tokens":10,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":22}`
	if !stream {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, response("completed", item("completed", part), usage))
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	seq := 0
	event := func(typ, rest string) {
		io.WriteString(w, "event: "+typ+"\ndata: {\"type\":\""+typ+"\",\"sequence_number\":"+strconv.Itoa(seq)+","+rest+"}\n\n")
		seq++
	}
	at := `"item_id":"` + msgID + `","output_index":0,"content_index":0`
	event("response.created", `"response":`+response("in_progress", "", "null"))
	event("response.output_item.added", `"output_index":0,"item":`+item("in_progress", ""))
	event("response.content_part.added", at+`,"part":{"type":"refusal","refusal":""}`)
	for _, piece := range strings.SplitAfter(openAIRefusal, " ") {
		event("response.refusal.delta", at+`,"delta":"`+piece+`"`)
	}
	event("response.refusal.done", at+`,"refusal":"`+openAIRefusal+`"`)
	event("response.content_part.done", at+`,"part":`+part)
	event("response.output_item.done", `"output_index":0,"item":`+item("completed", part))
	event("response.completed", `"response":`+response("completed", item("completed", part), usage))
}
