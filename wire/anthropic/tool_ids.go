package anthropic

import (
	"hash/fnv"
	"strconv"

	"switchyard/llm"
)

// UpstreamToolID is the id a tool call of id keeps on its way to Claude,
// in its tool_use block and its tool_result's tool_use_id alike. Claude
// takes only ids matching ^[a-zA-Z0-9_-]+$ ("messages.1.content.0.tool_use.id:
// String should match pattern '^[a-zA-Z0-9_-]+$'"), and other providers'
// ids are not all so: Kimi's "functions.get_weather:0", Codex's composite
// "call_1|fc_2", ids with dots or spaces from OpenAI-compatible servers. A
// conversation begun on one of them and routed to Claude would fail, so an
// id Claude refuses gets each refused byte replaced by '_' and a hash of
// the whole id appended, which keeps two ids that differ only there
// distinct. A valid id is returned as it is, without allocating. Claude's
// answer names only its own (valid) ids, so nothing maps back.
func UpstreamToolID(id string) string {
	if validToolID(id) {
		return id
	}
	b := make([]byte, 0, len(id)+10)
	for i := 0; i < len(id); i++ {
		if c := id[i]; toolIDByte(c) {
			b = append(b, c)
		} else {
			b = append(b, '_')
		}
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	b = append(b, '_')
	return string(strconv.AppendUint(b, uint64(h.Sum32()), 36))
}

// validToolID reports whether id matches ^[a-zA-Z0-9_-]+$.
func validToolID(id string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !toolIDByte(id[i]) {
			return false
		}
	}
	return true
}

func toolIDByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// checkToolUseIDs refuses a tool_use id used twice in the conversation, as
// the API does ("messages.1.content.1: `tool_use` ids must be unique", a
// 400 peers hit: trycua/cua#524).
func checkToolUseIDs(msgs []Message) *llm.Error {
	if i, j, ok := repeatedToolUse(msgs); ok {
		return rejectf("messages.%d.content.%d: `tool_use` ids must be unique", i, j)
	}
	return nil
}

// repeatedToolUse returns the place of the first tool_use block whose id
// an earlier one has. A conversation of a few calls is scanned without
// allocating; a longer one through a set of the ids.
func repeatedToolUse(msgs []Message) (i, j int, ok bool) {
	const scanned = 16
	n := 0
	for i := range msgs {
		for j := range msgs[i].Content {
			if msgs[i].Content[j].Type == BlockToolUse {
				n++
			}
		}
	}
	var seen map[string]bool
	if n > scanned {
		seen = make(map[string]bool, n)
	}
	for i := range msgs {
		for j := range msgs[i].Content {
			b := &msgs[i].Content[j]
			switch {
			case b.Type != BlockToolUse:
			case seen != nil && seen[b.ID], seen == nil && toolUseBefore(msgs, i, j, b.ID):
				return i, j, true
			case seen != nil:
				seen[b.ID] = true
			}
		}
	}
	return 0, 0, false
}

// toolUseBefore reports whether a tool_use block before block j of
// message i has the id id.
func toolUseBefore(msgs []Message, i, j int, id string) bool {
	for k := 0; k <= i; k++ {
		c := msgs[k].Content
		if k == i {
			c = c[:j]
		}
		for _, b := range c {
			if b.Type == BlockToolUse && b.ID == id {
				return true
			}
		}
	}
	return false
}

// uniqueToolUseIDs gives each tool_use of turns an id no earlier one has,
// and each tool_result the id of the call it answers (the latest call of
// its id before it). OpenAI's Chat Completions pairs a call and its result
// within one turn only, so some models and clients number each turn's
// calls from the start (call_0, call_1…); Claude refuses an id used twice
// in a conversation. A repeated id becomes the id, '_' and the first
// number that makes it unique. Turns without a repeated id are left as
// they are, without allocating.
func uniqueToolUseIDs(turns []Message) {
	if _, _, ok := repeatedToolUse(turns); !ok {
		return
	}
	used := map[string]bool{}
	for i := range turns {
		for j := range turns[i].Content {
			if b := &turns[i].Content[j]; b.Type == BlockToolUse {
				used[b.ID] = true
			}
		}
	}
	seen := map[string]bool{}
	current := map[string]string{} // a client's id → the id of its latest call
	for i := range turns {
		for j := range turns[i].Content {
			switch b := &turns[i].Content[j]; b.Type {
			case BlockToolUse:
				id := b.ID
				if seen[id] {
					id = freshToolID(b.ID, used)
				}
				seen[b.ID], used[id], current[b.ID] = true, true, id
				b.ID = id
			case BlockToolResult:
				if id, ok := current[b.ToolUseID]; ok {
					b.ToolUseID = id
				}
			}
		}
	}
}

// freshToolID is id, '_' and the first number from 2 that makes an id
// not in used.
func freshToolID(id string, used map[string]bool) string {
	for n := 2; ; n++ {
		if c := id + "_" + strconv.Itoa(n); !used[c] {
			return c
		}
	}
}
