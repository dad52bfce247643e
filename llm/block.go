package llm

import "encoding/json"

// Block is a content block of an assistant turn that only the provider
// that wrote it understands — Anthropic's server tool blocks
// (server_tool_use, web_search_tool_result, tool_search_tool_result,
// code_execution_tool_result…), which run on Anthropic's servers — kept
// byte for byte as the provider wrote it (or the client sent it back),
// at its place in the turn: after the first At bytes of the message's
// text (Message.Text) and after its first Calls tool calls.
//
// Only an encoder of that provider's wire format writes a Block: a Claude
// deployment gets it back in place in a later turn, an Anthropic client
// in the answer. Every other encoder (OpenAI's chat and Responses APIs,
// Gemini's) does not read Message.Blocks and so skips it; the router
// never sends a request holding one to another provider (see
// Request.AnthropicServerTools).
type Block struct {
	// Raw is the block's JSON object, as written.
	Raw json.RawMessage
	// At is the byte offset in the message's text before which the block
	// stands (0: before any text; len(text): after it).
	At int
	// Calls is how many of the message's tool calls come before it.
	Calls int
	// Thoughts is how many of the message's thinking blocks (Thinking)
	// come before it: a thinking block follows the provider block before
	// the first one that counts it (Claude thinks again after a server
	// tool's result).
	Thoughts int
	// Marker reports a block that carries nothing for a model (Anthropic's
	// fallback block, where one model's output gave way to the next): it
	// goes back to a Claude deployment in place, and asks for none
	// (AnthropicServerTools ignores it).
	Marker bool
}

// BlockDelta is a stream's share of a Block (see Block), in the order the
// provider streamed it. The pieces of one block share its Index (0 for
// the answer's first Block, 1 for the next, …):
//
//   - Start is the block as the provider's stream opened it (Anthropic's
//     content_block_start content_block), on the block's first delta;
//   - Input is a piece of its input's JSON text (input_json_delta), to
//     be joined in order;
//   - Delta is any other content_block_delta's delta of the block, as
//     the provider wrote it (Anthropic's compaction_delta), written
//     again as it came;
//   - Whole is the complete block (the start with its input joined), on
//     its last delta, for accumulators: an encoder of the stream writes
//     Start and Input, and ignores Whole.
type BlockDelta struct {
	Index int
	Start json.RawMessage
	Input string
	Delta json.RawMessage
	Whole json.RawMessage
}

// Blocks returns an assistant turn's provider blocks, or nil.
func (m *Message) Blocks() []Block {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.Blocks
}

// SetBlocks sets an assistant turn's provider blocks (m keeps blocks, not
// a copy); see setExtra.
func (m *Message) SetBlocks(blocks []Block) {
	m.setExtra(func(e *MessageExtra) { e.Blocks = blocks })
}

// AnthropicServerTools reports whether r holds what only Anthropic's API
// can serve: a server tool's declaration (AnthropicToolOptions.Server),
// a provider block in its conversation (Message.Blocks) or a code
// execution container (AnthropicContainer). The router sends such a
// request to Claude deployments only.
func (r *Request) AnthropicServerTools() bool {
	if len(r.AnthropicContainer) > 0 {
		return true
	}
	for i := range r.Tools {
		if a := r.Tools[i].Anthropic; a != nil && len(a.Server) > 0 {
			return true
		}
	}
	for i := range r.Messages {
		if e := r.Messages[i].Extra; e != nil {
			for j := range e.Blocks {
				if !e.Blocks[j].Marker {
					return true
				}
			}
		}
	}
	return false
}

// AnthropicWebSearch returns the index in Tools of Claude's own web
// search server tool (web_search_20250305 or a later version: a server
// tool, whose one name is "web_search"), -1 when the request declares
// none. It does not allocate.
func (r *Request) AnthropicWebSearch() int {
	for i := range r.Tools {
		if a := r.Tools[i].Anthropic; a != nil && len(a.Server) > 0 && r.Tools[i].Name == "web_search" {
			return i
		}
	}
	return -1
}

// maxBlocks bounds the provider blocks of one choice an Accumulator
// keeps.
const maxBlocks = 1024

// addBlock folds a block delta in: a new Index (the next one: a gap is
// not trusted) with its Start starts a block at the text, tool calls and
// thinking so far; Whole completes it.
func (acc *choiceAcc) addBlock(bd *BlockDelta) {
	if bd.Index == len(acc.provider) && bd.Index < maxBlocks && len(bd.Start) > 0 {
		acc.provider = append(acc.provider, Block{Raw: bd.Start, At: acc.content.Len(), Calls: len(acc.calls), Thoughts: len(acc.thinking)})
	}
	if bd.Index >= 0 && bd.Index < len(acc.provider) && len(bd.Whole) > 0 {
		acc.provider[bd.Index].Raw = bd.Whole
	}
}
