package responses

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// hosted appends the events of a hosted tool item's delta: its
// response.output_item.added when it starts (closing the open message:
// text that follows goes to a new one), its response.output_item.done
// when whole, at the router's output_index. OpenAI's events between them
// (response.web_search_call.searching…) are not relayed: the item done
// says what they said.
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
		var head struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(bd.Start, &head)
		at = len(s.items)
		s.items = append(s.items, streamItem{Item: Item{Type: ItemHosted, ID: head.ID, Raw: bd.Start}, toolIndex: bd.Index, textPart: -1, refusalPart: -1})
		dst = s.begin(dst, "response.output_item.added")
		dst = append(dst, `,"output_index":`...)
		dst = strconv.AppendInt(dst, int64(at), 10)
		dst = append(append(dst, `,"item":`...), bd.Start...)
		dst = end(dst)
	}
	if it := &s.items[at]; len(bd.Whole) > 0 && !it.done {
		it.Raw, it.done = bd.Whole, true
		dst = s.itemDone(dst, at, StatusCompleted)
	}
	return dst
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
