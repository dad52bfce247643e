package responses

import (
	"encoding/json"
	"strconv"
	"strings"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// hosted appends the events of a hosted tool item's delta: its
// response.output_item.added when it starts (closing the open message:
// text that follows goes to a new one) and the tool's progress events
// (hostedPhases), its response.output_item.done when whole, at the
// router's output_index and sequence numbers. The upstream's own
// progress events are not relayed: they are written again from the item.
func (s *Streamer) hosted(dst []byte, bd *llm.BlockDelta) []byte {
	at := -1
	for i := range s.items {
		if it := &s.items[i]; it.Type == ItemHosted && it.toolIndex == bd.Index {
			at = i
			break
		}
	}
	if at < 0 {
		if len(bd.Start) == 0 {
			return dst
		}
		dst = s.endReasoning(dst)
		if s.msg >= 0 {
			dst = s.closeItem(dst, s.msg, StatusCompleted)
			s.msg = -1
		}
		var head hostedHead
		_ = json.Unmarshal(bd.Start, &head)
		at = len(s.items)
		s.hosteds++
		s.items = append(s.items, streamItem{Item: Item{Type: ItemHosted, ID: head.ID, Raw: bd.Start}, toolIndex: bd.Index, textPart: -1, refusalPart: -1})
		dst = s.begin(dst, "response.output_item.added")
		dst = append(dst, `,"output_index":`...)
		dst = strconv.AppendInt(dst, int64(at), 10)
		dst = append(append(dst, `,"item":`...), bd.Start...)
		dst = end(dst)
		for _, phase := range hostedPhases[head.Type].start {
			dst = s.hostedEvent(dst, at, head.Type+"."+phase)
		}
	}
	if it := &s.items[at]; len(bd.Whole) > 0 && !it.done {
		it.Raw, it.done = bd.Whole, true
		dst = s.hostedDone(dst, at)
	}
	return dst
}

// hostedHead is what the stream reads of a hosted item.
type hostedHead struct {
	ID     string  `json:"id"`
	Type   string  `json:"type"`
	Status string  `json:"status"`
	Code   *string `json:"code"`
}

// hostedPhases are the progress events of a hosted item's type: those
// after its added event (start) and before its done event (done;
// "completed" is "failed" for a failed item).
var hostedPhases = map[string]struct{ start, done []string }{
	"web_search_call":       {[]string{"in_progress", "searching"}, []string{"completed"}},
	"file_search_call":      {[]string{"in_progress", "searching"}, []string{"completed"}},
	"code_interpreter_call": {[]string{"in_progress"}, []string{"interpreting", "completed"}},
	"image_generation_call": {[]string{"in_progress", "generating"}, []string{"completed"}},
	"mcp_call":              {[]string{"in_progress"}, []string{"completed"}},
	"mcp_list_tools":        {[]string{"in_progress"}, []string{"completed"}},
}

// hostedDone appends the events that end hosted item i (whole): a code
// interpreter's code (as one delta, then done), its progress events and
// response.output_item.done.
func (s *Streamer) hostedDone(dst []byte, i int) []byte {
	it := &s.items[i]
	var head hostedHead
	_ = json.Unmarshal(it.Raw, &head)
	if head.Type == "code_interpreter_call" && head.Code != nil {
		code := jsonw.String(nil, *head.Code)
		for _, ev := range [...]struct{ typ, field string }{{"response.code_interpreter_call_code.delta", "delta"}, {"response.code_interpreter_call_code.done", "code"}} {
			dst = s.begin(dst, ev.typ)
			dst = s.appendIndexes(dst, i)
			dst = append(append(append(append(dst, ',', '"'), ev.field...), '"', ':'), code...)
			dst = end(dst)
		}
	}
	for _, phase := range hostedPhases[head.Type].done {
		if phase == "completed" && head.Status == StatusFailed && strings.HasPrefix(head.Type, "mcp_") {
			phase = StatusFailed
		}
		dst = s.hostedEvent(dst, i, head.Type+"."+phase)
	}
	return s.itemDone(dst, i, StatusCompleted)
}

// hostedEvent appends a hosted item's progress event of type
// response.<typ>: its item id and output index.
func (s *Streamer) hostedEvent(dst []byte, i int, typ string) []byte {
	dst = s.begin(dst, "response."+typ)
	dst = s.appendIndexes(dst, i)
	return end(dst)
}

// annotations keeps the annotations of the open message's text and
// appends a response.output_text.annotation.added event for each.
func (s *Streamer) annotations(dst []byte, raw json.RawMessage) []byte {
	var list []json.RawMessage
	if s.msg < 0 || json.Unmarshal(raw, &list) != nil {
		return dst
	}
	it := &s.items[s.msg]
	if it.textPart < 0 {
		return dst
	}
	var all []json.RawMessage
	if len(it.Annotations) > 0 {
		_ = json.Unmarshal(it.Annotations, &all)
	}
	for _, a := range list {
		dst = s.begin(dst, "response.output_text.annotation.added")
		dst = s.appendIndexes(dst, s.msg)
		dst = append(dst, `,"content_index":`...)
		dst = strconv.AppendInt(dst, int64(it.textPart), 10)
		dst = append(dst, `,"annotation_index":`...)
		dst = strconv.AppendInt(dst, int64(len(all)), 10)
		dst = append(append(dst, `,"annotation":`...), a...)
		dst = end(dst)
		all = append(all, a)
	}
	it.Annotations, _ = json.Marshal(all)
	return dst
}
