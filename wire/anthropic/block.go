package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// The per-type encodings of a content block, with the fields in the order
// the API writes them.
type (
	textJSON struct {
		Type         string          `json:"type"`
		Text         string          `json:"text"`
		Citations    json.RawMessage `json:"citations,omitempty"`
		CacheControl *CacheControl   `json:"cache_control,omitempty"`
	}
	imageJSON struct {
		Type         string        `json:"type"`
		Source       *ImageSource  `json:"source"`
		CacheControl *CacheControl `json:"cache_control,omitempty"`
	}
	toolUseJSON struct {
		Type         string          `json:"type"`
		ID           string          `json:"id"`
		Name         string          `json:"name"`
		Input        json.RawMessage `json:"input"`
		CacheControl *CacheControl   `json:"cache_control,omitempty"`
	}
	toolResultJSON struct {
		Type         string        `json:"type"`
		ToolUseID    string        `json:"tool_use_id"`
		Content      Blocks        `json:"content,omitempty"`
		IsError      bool          `json:"is_error,omitempty"`
		CacheControl *CacheControl `json:"cache_control,omitempty"`
	}
	thinkingJSON struct {
		Type      string `json:"type"`
		Thinking  string `json:"thinking"`
		Signature string `json:"signature"`
	}
	documentJSON struct {
		Type         string          `json:"type"`
		Source       *ImageSource    `json:"source"`
		Title        string          `json:"title,omitempty"`
		Context      string          `json:"context,omitempty"`
		Citations    json.RawMessage `json:"citations,omitempty"`
		CacheControl *CacheControl   `json:"cache_control,omitempty"`
	}
	redactedJSON struct {
		Type string `json:"type"`
		Data string `json:"data"`
	}
)

// MarshalJSON implements json.Marshaler: the block's type decides its
// fields; an unmodelled type is written as Raw.
func (c ContentBlock) MarshalJSON() ([]byte, error) {
	switch c.Type {
	case BlockText:
		return json.Marshal(textJSON{c.Type, c.Text, c.Citations, c.CacheControl})
	case BlockImage:
		return json.Marshal(imageJSON{c.Type, c.Source, c.CacheControl})
	case BlockToolUse:
		input := c.Input
		if len(input) == 0 {
			input = json.RawMessage("{}")
		}
		return json.Marshal(toolUseJSON{c.Type, c.ID, c.Name, input, c.CacheControl})
	case BlockToolResult:
		return json.Marshal(toolResultJSON{c.Type, c.ToolUseID, c.Content, c.IsError, c.CacheControl})
	case BlockThinking:
		return json.Marshal(thinkingJSON{c.Type, c.Thinking, c.Signature})
	case BlockRedactedThinking:
		return json.Marshal(redactedJSON{c.Type, c.Data})
	case BlockDocument:
		return json.Marshal(documentJSON{c.Type, c.Source, c.Title, c.Context, c.Citations, c.CacheControl})
	}
	if len(c.Raw) > 0 {
		return c.Raw, nil
	}
	return json.Marshal(struct {
		Type string `json:"type"`
	}{c.Type})
}

// modelledBlock reports whether blocks of type t are decoded into fields
// (the others are kept as Raw).
func modelledBlock(t string) bool {
	switch t {
	case BlockText, BlockImage, BlockToolUse, BlockToolResult, BlockThinking, BlockRedactedThinking, BlockDocument:
		return true
	}
	return false
}

// blockJSON is the union of every modelled block's fields, for decoding.
type blockJSON struct {
	Type         string          `json:"type"`
	Text         string          `json:"text"`
	Citations    json.RawMessage `json:"citations"`
	Source       *ImageSource    `json:"source"`
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Input        json.RawMessage `json:"input"`
	ToolUseID    string          `json:"tool_use_id"`
	Content      *Blocks         `json:"content"`
	IsError      bool            `json:"is_error"`
	Thinking     string          `json:"thinking"`
	Signature    string          `json:"signature"`
	Data         string          `json:"data"`
	Title        string          `json:"title"`
	Context      string          `json:"context"`
	CacheControl *CacheControl   `json:"cache_control"`
}

// UnmarshalJSON implements json.Unmarshaler. A block of a type this
// package does not model keeps only Type and Raw.
func (c *ContentBlock) UnmarshalJSON(data []byte) error {
	// One pass for the modelled types (most blocks); a second, for the
	// type alone, when the union's fields do not fit the block.
	var b blockJSON
	err := json.Unmarshal(data, &b)
	if err != nil || !modelledBlock(b.Type) {
		var head struct {
			Type string `json:"type"`
		}
		if herr := json.Unmarshal(data, &head); herr != nil {
			return herr
		}
		switch {
		case head.Type == "":
			return ErrNoType
		case !modelledBlock(head.Type):
			*c = ContentBlock{Type: head.Type, Raw: append(json.RawMessage(nil), data...)}
			return nil
		}
		return fmt.Errorf("%s block: %w", head.Type, err)
	}
	*c = ContentBlock{
		Type: b.Type, Text: b.Text, Source: b.Source, ID: b.ID, Name: b.Name,
		ToolUseID: b.ToolUseID, IsError: b.IsError, Thinking: b.Thinking,
		Signature: b.Signature, Data: b.Data, Title: b.Title, Context: b.Context, CacheControl: b.CacheControl,
	}
	if len(b.Citations) > 0 && string(b.Citations) != "null" {
		c.Citations = b.Citations
	}
	if len(b.Input) > 0 && string(b.Input) != "null" {
		c.Input = b.Input
	}
	if b.Content != nil {
		c.Content, c.HasContent = *b.Content, true
	}
	return nil
}

// Blocks is a list of content blocks. It decodes from a JSON string (one
// text block), an array of blocks or null, and encodes as an array.
type Blocks []ContentBlock

// UnmarshalJSON implements json.Unmarshaler.
func (b *Blocks) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*b = nil
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*b = Blocks{{Type: BlockText, Text: s}}
		return nil
	}
	var list []ContentBlock
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	*b = list
	return nil
}

// Text returns the concatenated text of the text blocks.
func (b Blocks) Text() string {
	var buf bytes.Buffer
	for i := range b {
		if b[i].Type == BlockText {
			buf.WriteString(b[i].Text)
		}
	}
	return buf.String()
}

// ErrNoType is returned when decoding a content block without a type.
var ErrNoType = errors.New("anthropic: content block has no type")
