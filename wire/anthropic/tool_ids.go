package anthropic

import (
	"hash/fnv"
	"strconv"
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
