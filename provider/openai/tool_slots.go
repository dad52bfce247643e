package openai

import "switchyard/llm"

// Tool call fragments of hosts that number them wrong. OpenAI numbers
// every fragment of a streamed tool call with the call's index, and a
// new call comes with a new index and its id. Some hosts behind kind
// openai do not, and an index-keyed merge then glues two calls into one
// (call_b's id, call_a's name, arguments `{"x":1}{"y":2}`):
//   - Gemini's OpenAI compatibility endpoint writes no index at all, two
//     parallel calls in one delta (openai/openai-python#2806,
//     AstrBotDevs/AstrBot#6661);
//   - Ollama writes no index (ollama/ollama#7881) or, in later releases,
//     index 0 on every call of a turn (vercel/ai#14277);
//   - DeepSeek behind some hosts starts a second call with the first
//     one's index (agno-agi/agno#8879).
//
// toolSlots places each fragment by its call's id instead: a fragment
// with an id seen before goes to that id's call; one with a new id to a
// call of its own, the next one (or the call its index began without an
// id); one without an id to the call its index was last given to, else
// to its index; with neither, to the call that had the last fragment, or,
// in a delta of several, to the calls begun together before, in order
// (a host that streams parallel calls side by side). OpenAI's own
// streams keep their indexes.
type toolSlots struct {
	ids []string // the id of each call placed, by index
	// alias maps an index the host wrote to the call it was last given
	// to, for fragments that carry the index but not the id.
	alias map[int]int
	last  int // the index of the call the last fragment went to
	// group holds the indexes of the calls the last delta that began any
	// began, in its order: a delta of several fragments with neither id
	// nor index continues them, one each, in that order.
	group []int
}

// place rewrites the Index of each of d's tool call fragments to the
// call it belongs to.
func (s *toolSlots) place(d *llm.Delta) {
	begun := false // whether d begins a call: it then starts a new group
	for i := range d.ToolCalls {
		td := &d.ToolCalls[i]
		switch {
		case td.ID != "":
			td.Index = s.placeID(td.ID, td.Index)
			if !begun {
				begun, s.group = true, s.group[:0]
			}
			s.group = append(s.group, td.Index)
		case td.Index < 0 && len(d.ToolCalls) > 1 && i < len(s.group):
			td.Index = s.group[i] // several calls go on side by side, in order
		case td.Index < 0:
			td.Index = s.last
		default:
			if to, ok := s.alias[td.Index]; ok {
				td.Index = to
			} else {
				s.hold(td.Index)
			}
		}
		s.last = td.Index
	}
}

// placeID returns the index of the call with id, which the host wrote
// with index wrote (-1 for none): a new id is the next call, whatever
// index the host gave it (a gap in OpenAI's numbering would leave an
// empty call in the answer), and the index it wrote now stands for it.
func (s *toolSlots) placeID(id string, wrote int) int {
	for j, seen := range s.ids {
		if seen == id {
			return j
		}
	}
	if len(s.ids) >= maxPlacedCalls { // a hostile stream: no longer tracked
		return max(wrote, 0)
	}
	at := len(s.ids)
	if wrote >= 0 && wrote < len(s.ids) && s.ids[wrote] == "" {
		at = wrote // a call begun without its id
	} else {
		s.ids = append(s.ids, "")
	}
	s.ids[at] = id
	if wrote >= 0 && wrote != at {
		if s.alias == nil {
			s.alias = make(map[int]int, 1)
		}
		s.alias[wrote] = at
	} else if wrote >= 0 {
		delete(s.alias, wrote)
	}
	return at
}

// hold notes a call at index i that came without an id, so that a new
// id does not take its place.
func (s *toolSlots) hold(i int) {
	for len(s.ids) <= i && len(s.ids) < maxPlacedCalls {
		s.ids = append(s.ids, "")
	}
}

// maxPlacedCalls bounds the calls of a choice whose ids are tracked.
const maxPlacedCalls = 1024

// placeToolCalls places the tool call fragments of ch's choices
// (toolSlots), one table per choice; a stream without tool calls
// allocates nothing. A choice that made calls and ends "stop" ends
// "tool_calls": OpenAI ends a call forced by name so (vllm-project/vllm#25054's
// captures), as do other hosts (vLLM, Ollama and OpenVINO's server
// before their fixes: ollama/ollama#5995, openvinotoolkit/model_server#3927),
// and agent loops read "tool_calls" (an Anthropic client tool_use) as
// the turn's calls to run, as every other adapter reports them.
func (d *decoder) placeToolCalls(ch *llm.Chunk) {
	for i := range ch.Choices {
		c := &ch.Choices[i]
		if len(c.Delta.ToolCalls) > 0 {
			d.slotsOf(c.Index).place(&c.Delta)
		}
		if c.FinishReason == llm.FinishStop && d.slots[c.Index] != nil {
			c.FinishReason = llm.FinishToolCalls
		}
	}
}

// slotsOf returns the table of choice i, made when new.
func (d *decoder) slotsOf(i int) *toolSlots {
	if d.slots == nil {
		d.slots = make(map[int]*toolSlots, 1)
	}
	s := d.slots[i]
	if s == nil {
		s = new(toolSlots)
		d.slots[i] = s
	}
	return s
}
