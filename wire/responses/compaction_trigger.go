package responses

import (
	"encoding/json"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file is the compaction_trigger input item: "compacts the current
// context", the final item of a request's input (Codex's remote
// compaction sends it after the conversation). The response is made by
// the compaction machinery of POST /v1/responses/compact: the routed
// model writes the conversation's summary (SummaryRequest), and the
// response's output is one compaction item holding it, sealed for the
// caller's tenant, which a later input sends back in the conversation's
// place. The trigger is a request, not content: it is neither stored nor
// added to a conversation.

// ItemCompactionTrigger is the compaction_trigger item's type.
const ItemCompactionTrigger = "compaction_trigger"

// compactionTriggerItem is a compaction_trigger input item.
type compactionTriggerItem struct {
	Type string  `json:"type"`
	ID   *string `json:"id"`
}

// compactionTrigger decodes a compaction_trigger item at path: the
// request's answer is the conversation's compaction (d.config.compact).
// It must be the input's last item (item refuses any after it); in a
// conversation's items, which are kept, it is refused.
func (d *inputDecoder) compactionTrigger(raw json.RawMessage, path string) error {
	var ci compactionTriggerItem
	if err := decodeStrict(raw, path, &ci); err != nil {
		return err
	}
	if d.config == nil {
		return invalid(path+".type", "Invalid '%s': a compaction_trigger item is a request to compact, taken as the final item of a request's 'input' only; it cannot be kept in a conversation.", path)
	}
	d.trigger, d.config.compact = path, true
	return nil
}

// triggerNotLast is the error of an item after a compaction_trigger
// (the one at path), as OpenAI words it.
func triggerNotLast(path string) *llm.Error {
	return invalid(path, "The 'compaction_trigger' item must be the final input item.")
}

// CompactionOutput is the output of a response to a compaction_trigger:
// one compaction item holding blob (the summary, sealed), completed,
// with the summarizing request's usage u priced at cost.
func CompactionOutput(ids IDs, blob string, u *llm.Usage, cost string) Output {
	return Output{Status: StatusCompleted, Usage: u, Cost: cost,
		Items: []Item{{Type: ItemCompaction, ID: "cmp_" + ids.Base, Encrypted: blob}}}
}

// appendCompactionItem appends a compaction output item: its summary
// sealed (encrypted_content) is the item, always written.
func appendCompactionItem(dst []byte, it *Item) []byte {
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, it.ID)
	dst = append(dst, `,"type":"compaction","encrypted_content":`...)
	dst = jsonw.String(dst, it.Encrypted)
	return append(dst, '}')
}

// Compacted appends the events of a streamed response to a
// compaction_trigger after Start: the compaction item of out (added whole,
// then done) and response.completed with out.
func (s *Streamer) Compacted(dst []byte, out *Output) []byte {
	for i := range out.Items {
		s.items = append(s.items, streamItem{Item: out.Items[i], done: true})
		n := len(s.items) - 1
		dst = s.begin(dst, "response.output_item.added")
		dst = append(dst, `,"output_index":`...)
		dst = jsonw.Int(dst, n)
		dst = append(dst, `,"item":`...)
		dst = end(appendCompactionItem(dst, &out.Items[i]))
		dst = s.itemDone(dst, n, StatusCompleted)
	}
	return s.responseEvent(dst, "response.completed", out)
}
