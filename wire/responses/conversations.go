package responses

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strconv"

	"switchyard/internal/jsonw"
)

// This file is the codec of the Conversations API (/v1/conversations):
// the bodies that create a conversation, add items to it and update its
// metadata, the items as they are kept (each with an id), and the
// conversation, deletion and item list objects.

// MaxConversationItems is how many items one request may add.
const MaxConversationItems = 20

// StoredItem is an item as a conversation keeps it: its id and the item
// (a JSON object, the id in it).
type StoredItem struct {
	ID   string
	JSON json.RawMessage
}

// NewConversationBody is the body of POST /v1/conversations: the first
// items (a JSON array, or nil) and the metadata (nil for none).
type NewConversationBody struct {
	Items    json.RawMessage
	Metadata map[string]string
}

// DecodeNewConversation decodes and checks the body of POST
// /v1/conversations; an empty body creates an empty conversation. Every
// error is an *llm.Error of kind invalid_request naming the field.
func DecodeNewConversation(data []byte) (*NewConversationBody, error) {
	var b struct {
		Items    json.RawMessage `json:"items"`
		Metadata stringMap       `json:"metadata"`
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := decodeStrict(data, "", &b); err != nil {
			return nil, err
		}
	}
	if err := checkMetadata(b.Metadata); err != nil {
		return nil, err
	}
	out := &NewConversationBody{Metadata: b.Metadata}
	if !isNull(b.Items) {
		if err := checkItems(b.Items); err != nil {
			return nil, err
		}
		out.Items = b.Items
	}
	return out, nil
}

// DecodeAddItems decodes and checks the body of POST
// /v1/conversations/{id}/items and returns its items (a JSON array).
func DecodeAddItems(data []byte) (json.RawMessage, error) {
	var b struct {
		Items json.RawMessage `json:"items"`
	}
	if err := decodeStrict(data, "", &b); err != nil {
		return nil, err
	}
	if isNull(b.Items) {
		return nil, invalid("items", "Missing required parameter: 'items'.")
	}
	if err := checkItems(b.Items); err != nil {
		return nil, err
	}
	return b.Items, nil
}

// DecodeUpdateConversation decodes and checks the body of POST
// /v1/conversations/{id} and returns the metadata it sets (null: none).
func DecodeUpdateConversation(data []byte) (map[string]string, error) {
	var b struct {
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := decodeStrict(data, "", &b); err != nil {
		return nil, err
	}
	if len(b.Metadata) == 0 {
		return nil, invalid("metadata", "Missing required parameter: 'metadata'.")
	}
	var md map[string]string
	if err := decodeStrict(b.Metadata, "metadata", &md); err != nil {
		return nil, err
	}
	return md, checkMetadata(md)
}

// checkItems checks items, an array of at most MaxConversationItems input
// items. A function call output need not answer a call among them: it
// may answer one the conversation holds.
func checkItems(items json.RawMessage) error {
	if first(items) != '[' {
		return invalid("items", "Invalid type for 'items': expected an array of input items, but got %s instead.", kindOf(items))
	}
	var all []json.RawMessage
	if err := json.Unmarshal(items, &all); err != nil {
		return jsonError(err, "items")
	}
	if len(all) > MaxConversationItems {
		return invalid("items", "Invalid 'items': array too long. Expected an array with maximum length %d, but got an array with length %d instead.", MaxConversationItems, len(all))
	}
	_, err := decodeItemsAt(items, nil, nil, nil, "items")
	return err
}

// NewItems returns items (an array that checked) as a conversation keeps
// them: each with a new id (NewItemID), a string content made the parts
// it stands for.
func NewItems(items json.RawMessage) ([]StoredItem, error) {
	if isNull(items) {
		return nil, nil
	}
	arr, err := normalInput(items, func(typ string, _ int) string { return NewItemID(typ) }, nil)
	if err != nil {
		return nil, err
	}
	return SplitItems(arr)
}

// SplitItems returns the items of arr, a JSON array of items with ids
// (StoredInput, StoredOutput), one by one.
func SplitItems(arr json.RawMessage) ([]StoredItem, error) {
	var all []json.RawMessage
	if err := json.Unmarshal(arr, &all); err != nil {
		return nil, err
	}
	out := make([]StoredItem, len(all))
	for i, it := range all {
		var h struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(it, &h); err != nil {
			return nil, err
		}
		out[i] = StoredItem{ID: h.ID, JSON: it}
	}
	return out, nil
}

// NewItemID returns the id of an item of type typ added to a
// conversation: its type's prefix (msg_, fc_, fco_, rs_…) and 48 random hex
// digits, as OpenAI shapes its ids (sh_, apc_, lsh_ and their outputs'
// sho_, apco_, lsho_ for the client-executed tools' items).
func NewItemID(typ string) string { return itemPrefix(typ) + randomHex() }

// itemPrefix is the prefix of the ids of items of type typ, with its
// underscore.
func itemPrefix(typ string) string {
	switch typ {
	case "function_call":
		return "fc_"
	case "function_call_output":
		return "fco_"
	case ItemCustomToolCall:
		return "ctc_"
	case "custom_tool_call_output":
		return "ctco_"
	case ItemReasoning:
		return "rs_"
	}
	if p, ok := clientInputPrefixes[typ]; ok {
		return p
	}
	if p, ok := statuslessPrefixes[typ]; ok {
		return p
	}
	return "msg_"
}

// NewConversationID returns a new conversation id: conv_ and 48 random
// hex digits.
func NewConversationID() string { return "conv_" + randomHex() }

func randomHex() string {
	var b [24]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// MetadataJSON returns md as the JSON object a conversation keeps ({}
// for none).
func MetadataJSON(md map[string]string) []byte { return appendMetadata(nil, md) }

// AppendConversation appends the conversation object: id, created_at
// (Unix seconds) and metadata (a JSON object).
func AppendConversation(dst []byte, id string, createdAt int64, metadata []byte) []byte {
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, id)
	dst = append(dst, `,"object":"conversation","created_at":`...)
	dst = strconv.AppendInt(dst, createdAt, 10)
	dst = append(dst, `,"metadata":`...)
	if len(metadata) == 0 {
		metadata = []byte("{}")
	}
	dst = append(dst, metadata...)
	return append(dst, '}')
}

// AppendConversationDeleted appends the answer of DELETE
// /v1/conversations/{id}.
func AppendConversationDeleted(dst []byte, id string) []byte {
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, id)
	return append(dst, `,"object":"conversation.deleted","deleted":true}`...)
}

// AppendItemList appends a list object of items: object "list", data,
// first_id and last_id (null when there is none) and has_more.
func AppendItemList(dst []byte, items []StoredItem, hasMore bool) []byte {
	dst = append(dst, `{"object":"list","data":[`...)
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, it.JSON...)
	}
	dst = append(dst, `],"first_id":`...)
	if len(items) == 0 {
		dst = append(dst, `null,"last_id":null`...)
	} else {
		dst = jsonw.String(dst, items[0].ID)
		dst = append(dst, `,"last_id":`...)
		dst = jsonw.String(dst, items[len(items)-1].ID)
	}
	dst = append(dst, `,"has_more":`...)
	dst = strconv.AppendBool(dst, hasMore)
	return append(dst, '}')
}
