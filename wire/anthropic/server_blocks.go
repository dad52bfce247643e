package anthropic

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"switchyard/internal/jsonw"
)

// This file names Anthropic's server tools and the blocks they write,
// which the router keeps as they were written and sends to Claude alone.

// ServerToolTypes are the tool types of Anthropic's server tools, which
// run on Anthropic's side: only Claude deployments serve them.
var ServerToolTypes = []string{
	"code_execution_20250522", "code_execution_20250825", "code_execution_20260120", "code_execution_20260521",
	"web_search_20250305", "web_search_20260209", "web_search_20260318",
	"web_fetch_20250910", "web_fetch_20260209", "web_fetch_20260309", "web_fetch_20260318",
	"tool_search_tool_bm25_20251119", "tool_search_tool_regex_20251119",
	"tool_search_tool_bm25", "tool_search_tool_regex",
	AdvisorToolType,
}

// ServerToolName returns the one name the API accepts for the server tool
// of type typ ("web_search" for "web_search_20250305"), "" for a type that
// is not a server tool's.
func ServerToolName(typ string) string {
	if !slices.Contains(ServerToolTypes, typ) {
		return ""
	}
	if strings.HasPrefix(typ, "tool_search_tool_") {
		return strings.TrimSuffix(typ, "_20251119")
	}
	return typ[:strings.LastIndexByte(typ, '_')]
}

// BlockToolReference is a tool_reference block: in a tool_result, a
// client's tool search naming a deferred tool for Claude to load. It is
// kept as sent (Raw), for Claude deployments only.
const BlockToolReference = "tool_reference"

// ServerBlockTypes are the content blocks of Anthropic's server tools
// (and the container's uploads), which Claude writes in its answers and
// a client sends back in assistant turns: kept as written (Raw), in
// place (llm.Block), for Claude deployments only.
var ServerBlockTypes = []string{
	"server_tool_use", "web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result",
	"bash_code_execution_tool_result", "text_editor_code_execution_tool_result", "tool_search_tool_result", "container_upload",
	BlockAdvisorToolResult, BlockMCPToolListing,
}

// isServerBlock reports whether b is a server tool's block
// (ServerBlockTypes).
func isServerBlock(b *ContentBlock) bool {
	return b.Raw != nil && slices.Contains(ServerBlockTypes, b.Type)
}

// serverTool is a server tool's declaration as the client wrote it, with
// its type, name and breakpoint read for the checks that count them.
func serverTool(raw json.RawMessage) Tool {
	var h struct {
		Type         string        `json:"type"`
		Name         string        `json:"name"`
		CacheControl *CacheControl `json:"cache_control"`
	}
	json.Unmarshal(raw, &h)
	return Tool{Type: h.Type, Name: h.Name, CacheControl: h.CacheControl, Raw: raw}
}

// withInput returns the block start (a content_block_start's object) with
// its input member's value replaced by input (the joined input_json_delta
// pieces), as the complete block is written; start itself when input is
// empty, the member is missing or start does not decode.
func withInput(start json.RawMessage, input string) json.RawMessage {
	if input == "" {
		return start
	}
	out, _ := withMember(start, "input", []byte(input))
	return out
}

// withMember returns the object start with its member key's value
// replaced by value (raw JSON), the other members as they were; and
// whether start had the member (start itself when not, or when it does
// not decode).
func withMember(start json.RawMessage, key string, value []byte) (json.RawMessage, bool) {
	d := json.NewDecoder(bytes.NewReader(start))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return start, false
	}
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return start, false
		}
		from := int(d.InputOffset())
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return start, false
		}
		if k != key {
			continue
		}
		to := int(d.InputOffset())
		// from is just after the key: skip the colon and spaces.
		from += bytes.IndexByte(start[from:to], ':') + 1
		for from < to && (start[from] == ' ' || start[from] == '\t' || start[from] == '\n' || start[from] == '\r') {
			from++
		}
		out := make(json.RawMessage, 0, len(start)-(to-from)+len(value))
		out = append(out, start[:from]...)
		out = append(out, value...)
		return append(out, start[to:]...), true
	}
	return start, false
}

// withMembers returns the object start with each member of delta (an
// object; its type aside) set: replaced where start has it, else added at
// its end. start itself when either does not decode.
func withMembers(start, delta json.RawMessage) json.RawMessage {
	d := json.NewDecoder(bytes.NewReader(delta))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return start
	}
	out := start
	for d.More() {
		k, err := d.Token()
		var v json.RawMessage
		if err != nil || d.Decode(&v) != nil {
			return start
		}
		key, _ := k.(string)
		if key == "type" {
			continue
		}
		var had bool
		if out, had = withMember(out, key, v); had {
			continue
		}
		end := bytes.LastIndexByte(out, '}')
		if end < 0 {
			return start
		}
		add := make(json.RawMessage, 0, len(out)+len(key)+len(v)+4)
		add = append(add, out[:end]...)
		if bytes.ContainsAny(bytes.TrimSpace(out[:end]), ":") {
			add = append(add, ',')
		}
		add = jsonw.String(add, key)
		add = append(append(add, ':'), v...)
		out = append(add, out[end:]...)
	}
	return out
}

// MarshalJSON implements json.Marshaler: the request's fields as
// encoding/json writes them, except that when a tool is a server tool
// (Tool.Raw) the tools come last, each server tool as the client wrote
// it. Call it directly to encode a body: json.Marshal would validate and
// compact its output again.
func (r *MessagesRequest) MarshalJSON() ([]byte, error) {
	type plain MessagesRequest // without this method
	raw := false
	for i := range r.Tools {
		raw = raw || len(r.Tools[i].Raw) > 0
	}
	if !raw {
		return json.Marshal((*plain)(r))
	}
	cp := *r
	cp.Tools = nil
	out, err := json.Marshal((*plain)(&cp))
	if err != nil {
		return nil, err
	}
	out = append(out[:len(out)-1], `,"tools":[`...)
	for i := range r.Tools {
		if i > 0 {
			out = append(out, ',')
		}
		if len(r.Tools[i].Raw) > 0 {
			out = append(out, r.Tools[i].Raw...)
			continue
		}
		b, err := json.Marshal(&r.Tools[i])
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return append(out, "]}"...), nil
}
