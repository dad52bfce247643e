package responses

import (
	"encoding/json"

	"switchyard/llm"
)

// This file is the configuration_update input item: a setting of the
// conversation (reasoning.effort, text.format) that holds for the
// responses after it until a later update replaces that setting. Clients
// (Codex, LangChain, npm openai 7) keep the request's own reasoning and
// text as the conversation started, so that its prompt prefix stays
// cached, and put an update in the input where the setting changes. So
// the latest update of a setting in the whole conversation (a stored
// response's chain, a conversation's items, then the input) wins over the
// request's own field; a setting no update names is the request's. The
// item is kept where it stands (stored input, conversation items) so that
// a continuation carries it; no model is sent it.

// ItemConfigurationUpdate is the configuration_update item's type.
const ItemConfigurationUpdate = "configuration_update"

// statuslessPrefixes are the id prefixes of the stored items that have
// no status (InputID, NewItemID): a stored one is not given one.
var statuslessPrefixes = map[string]string{ItemConfigurationUpdate: "cu_", ItemAdditionalTools: "at_", ItemCompaction: "cmp_"}

// configUpdateItem is a configuration_update input item.
type configUpdateItem struct {
	Type      string          `json:"type"`
	ID        *string         `json:"id"`
	Reasoning json.RawMessage `json:"reasoning"`
	Text      json.RawMessage `json:"text"`
}

// configUpdateReasoning is an update's reasoning: only the effort.
type configUpdateReasoning struct {
	Effort *string `json:"effort"`
}

// configUpdateText is an update's text: only the format (no verbosity).
type configUpdateText struct {
	Format json.RawMessage `json:"format"`
}

// turnConfig is what the configuration_update items of a conversation
// leave in effect: the latest effort and text format they set.
type turnConfig struct {
	// effort is the latest reasoning.effort set; "" when none.
	effort string
	// format is the latest text.format set; nil when none.
	format *llm.ResponseFormat
	// added are the tools the additional_tools items added, in order.
	added []addedTool
	// compact says the input ends with a compaction_trigger.
	compact bool
	// refs resolves the input's item references where resolving is set
	// (a request's own input, not a stored conversation's items).
	refs      refResolver
	resolving bool
}

// apply puts the settings c holds on out, over the request's own, and
// offers the tools its items added (applyAdded).
func (c *turnConfig) apply(out *Request) error {
	if c.effort != "" {
		out.ReasoningEffort = c.effort
		out.Chat.Reasoning = &llm.Reasoning{Effort: llm.Effort(c.effort), Show: true}
	}
	if c.format != nil {
		out.Chat.ResponseFormat = c.format
	}
	out.CompactionTrigger = c.compact
	return c.applyAdded(out)
}

// configurationUpdate decodes a configuration_update item at path; after
// says the item before it was one too (two in a row are a 400, as
// OpenAI answers them: send one with both settings). Its settings go
// into d.config (nil: checked only).
func (d *inputDecoder) configurationUpdate(raw json.RawMessage, path string, after bool) error {
	var ci configUpdateItem
	if err := decodeStrict(raw, path, &ci); err != nil {
		return err
	}
	if after {
		return invalid(path, "Invalid '%s': a configuration_update item cannot follow another one. Send one update with both its 'reasoning' and 'text'.", path)
	}
	if isNull(ci.Reasoning) && isNull(ci.Text) {
		return invalid(path, "Invalid '%s': a configuration_update item must set 'reasoning', 'text', or both.", path)
	}
	var effort string
	if !isNull(ci.Reasoning) {
		var r configUpdateReasoning
		if err := decodeStrict(ci.Reasoning, path+".reasoning", &r); err != nil {
			return err
		}
		if r.Effort != nil {
			if !validEffort(*r.Effort) {
				return invalid(path+".reasoning.effort", "Invalid value: '%s'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh' and 'max'.", llm.Clip(*r.Effort))
			}
			effort = *r.Effort
		}
	}
	format, err := updateFormat(ci.Text, path+".text")
	if err != nil {
		return err
	}
	if d.config != nil {
		if effort != "" {
			d.config.effort = effort
		}
		if format != nil {
			d.config.format = format
		}
	}
	return nil
}

// updateFormat decodes an update's text (raw, at path): the format it
// sets, text or json_schema; nil when raw is absent.
func updateFormat(raw json.RawMessage, path string) (*llm.ResponseFormat, error) {
	if isNull(raw) {
		return nil, nil
	}
	var t configUpdateText
	if err := decodeStrict(raw, path, &t); err != nil {
		return nil, err
	}
	at := path + ".format"
	switch {
	case isNull(t.Format):
		return nil, invalid(at, "Missing required parameter: '%s'.", at)
	case first(t.Format) != '{':
		return nil, invalid(at, "Invalid type for '%s': expected an object, but got %s instead.", at, kindOf(t.Format))
	}
	var f formatParam
	if err := decodeStrict(t.Format, at, &f); err != nil {
		return nil, err
	}
	if f.Type == "json_object" {
		return nil, invalid(at+".type", "Invalid value: 'json_object'. Supported values are: 'text' and 'json_schema'.")
	}
	return responseFormat(&f, at)
}

// validEffort reports whether e is a reasoning effort the API takes.
func validEffort(e string) bool {
	switch e {
	case "none", "minimal", "low", "medium", "high", "xhigh", "max":
		return true
	}
	return false
}
