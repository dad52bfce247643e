package anthropic

import (
	"fmt"
	"slices"

	"switchyard/llm"
)

// This file carries a compaction block through the canonical request: a
// deployment of any kind reads its summary as the conversation's first
// user message (RequestToLLM, OpenCompactions), and a Claude deployment
// on Anthropic's API is sent Anthropic's own block in that message's
// place (FromLLM, applyCompaction).

// conversationStart is the index of msgs' first message that is not a
// system message, and whether it opens with a compaction block.
func conversationStart(msgs []Message) (int, bool) {
	for i := range msgs {
		if msgs[i].Role != "system" {
			return i, len(msgs[i].Content) > 0 && msgs[i].Content[0].Type == BlockCompaction
		}
	}
	return -1, false
}

// OpenCompactions puts, in place of a compaction block the router made
// (RouterMade) at the start of req's conversation, the summary it holds
// (open: the caller's tenant's opener) as the text of a user turn
// (CompactionSummaryHeader, then the summary): no deployment can read the
// router's sealed blob, and Claude cannot check a router block's
// signature. Anthropic's own blocks are left for RequestToLLM. A block
// that does not open (made for another tenant, or under a key the router
// no longer holds) is an invalid_request error naming its
// encrypted_content: the conversation it stands for cannot be read.
// req.Messages is replaced, never written to in place.
func OpenCompactions(req *MessagesRequest, open func(blob string) (string, bool)) error {
	i, ok := conversationStart(req.Messages)
	if !ok {
		return nil
	}
	cb, err := DecodeCompactionBlock(req.Messages[i].Content[0].Raw, fmt.Sprintf("messages.%d.content.0", i))
	if err != nil || !cb.RouterMade() {
		return err
	}
	summary, ok := "", false
	if open != nil {
		summary, ok = open(*cb.EncryptedContent)
	}
	if !ok {
		e := rejectf("messages.%d.content.0.encrypted_content: the compaction block could not be read: it was not made by this router for this key's tenant, or under a key the router no longer holds. Send the conversation itself, or compact it again.", i)
		e.Param = fmt.Sprintf("messages.%d.content.0.encrypted_content", i)
		return e
	}
	req.Messages = standIn(req.Messages, i, CompactionSummaryHeader+summary)
	return nil
}

// standIn returns msgs with the compaction block opening msgs[i]
// replaced by a user turn of text before it (the turn dropped when the
// block was all it held); msgs is not written to.
func standIn(msgs []Message, i int, text string) []Message {
	out := make([]Message, 0, len(msgs)+1)
	out = append(out, msgs[:i]...)
	if text != "" {
		out = append(out, Message{Role: "user", Content: Blocks{{Type: BlockText, Text: text}}})
	}
	if rest := msgs[i].Content[1:]; len(rest) > 0 {
		out = append(out, Message{Role: msgs[i].Role, Content: rest})
	}
	return append(out, msgs[i+1:]...)
}

// liftCompaction returns req with Anthropic's compaction block at the
// start of its conversation replaced by its summary as a user turn
// (standIn), and the block as the canonical request carries it; a block
// with null content (a compaction that failed, which the API takes as a
// no-op) is dropped. A router-made block that OpenCompactions did not
// open is refused: it holds nothing a deployment can read.
func liftCompaction(req *MessagesRequest) (*MessagesRequest, *llm.AnthropicCompaction, error) {
	i, ok := conversationStart(req.Messages)
	if !ok {
		return req, nil, nil
	}
	raw := req.Messages[i].Content[0].Raw
	cb, err := DecodeCompactionBlock(raw, fmt.Sprintf("messages.%d.content.0", i))
	if err != nil {
		return nil, nil, err
	}
	if cb.RouterMade() {
		e := rejectf("messages.%d.content.0.encrypted_content: the compaction block was made by this router and cannot be read here; send it on POST /v1/messages", i)
		e.Param = fmt.Sprintf("messages.%d.content.0.encrypted_content", i)
		return nil, nil, e
	}
	cp := *req
	if cb.Content == nil {
		cp.Messages = standIn(req.Messages, i, "")
		if j, _ := conversationStart(cp.Messages); j < 0 {
			return nil, nil, rejectf("messages: the conversation holds nothing but a compaction block with null content (a compaction that failed), which stands for nothing")
		}
		return &cp, nil, nil
	}
	text := CompactionSummaryHeader + *cb.Content
	cp.Messages = standIn(req.Messages, i, text)
	return &cp, &llm.AnthropicCompaction{Block: raw, Role: llm.Role(req.Messages[i].Role), Text: text}, nil
}

// applyCompaction sends a Claude model on Anthropic's API the compaction
// block req's conversation starts with (req.AnthropicCompaction), with
// CompactBeta, in place of the user text standing for it: the first
// block of out's first turn that is not a system turn, when it is that
// text, when the model takes compaction (TakesCompaction); another
// Claude model (an older one, or on Bedrock or Vertex) reads the summary
// as text.
func applyCompaction(out *MessagesRequest, req *llm.Request) {
	c := req.AnthropicCompaction
	if c == nil || !TakesCompaction(req.ModelID()) {
		return
	}
	i := slices.IndexFunc(out.Messages, func(m Message) bool { return m.Role != "system" })
	if i < 0 || out.Messages[i].Role != "user" || len(out.Messages[i].Content) == 0 {
		return
	}
	if first := &out.Messages[i].Content[0]; first.Type != BlockText || first.Text != c.Text {
		return
	}
	block := Message{Role: string(c.Role), Content: Blocks{{Type: BlockCompaction, Raw: c.Block}}}
	rest, after := out.Messages[i].Content[1:], out.Messages[i+1:]
	if len(rest) == 0 && len(after) > 0 && after[0].Role == block.Role {
		// The turn the block opened, as the client sent it (an answer
		// that went on after Claude compacted the conversation).
		block.Content = append(block.Content, after[0].Content...)
		after = after[1:]
	}
	msgs := append(slices.Clip(out.Messages[:i]), block)
	if len(rest) > 0 {
		msgs = append(msgs, Message{Role: "user", Content: rest})
	}
	out.Messages = append(msgs, after...)
	if !slices.Contains(out.Betas, CompactBeta) {
		out.Betas = append(slices.Clip(out.Betas), CompactBeta)
	}
}
