package responses

import (
	"encoding/json"

	"switchyard/llm"
)

// This file holds the conversation parameter of a request: the
// conversation (the Conversations API) whose items come before the
// input, as a Prior a Loader returns; the response's input and output
// items are added to it once it is answered (ConversationItems).

// ConversationNotFound is the error of a conversation that names no
// conversation of the caller's, as OpenAI words it; param is where the
// id was sent ("conversation", or "" for a path).
func ConversationNotFound(id, param string) *llm.Error {
	e := llm.Errorf(llm.KindNotFound, "Conversation with id '%s' not found.", llm.Clip(id))
	e.Param = param
	return e
}

// conversationID returns the id of the conversation parameter raw: a
// string, or an object with the id.
func conversationID(raw json.RawMessage) (string, error) {
	var id string
	switch first(raw) {
	case '"':
		if err := json.Unmarshal(raw, &id); err != nil {
			return "", jsonError(err, "conversation")
		}
	case '{':
		var obj struct {
			ID *string `json:"id"`
		}
		if err := decodeStrict(raw, "conversation", &obj); err != nil {
			return "", err
		}
		if obj.ID == nil {
			return "", invalid("conversation.id", "Missing required parameter: 'conversation.id'.")
		}
		id = *obj.ID
	default:
		return "", invalid("conversation", "Invalid type for 'conversation': expected one of a string or an object, but got %s instead.", kindOf(raw))
	}
	if id == "" {
		return "", invalid("conversation", "Invalid 'conversation': empty string. Expected the id of a conversation (conv_…).")
	}
	return id, nil
}

// inConversation decodes the items of the conversation id, which load
// returns, into messages, adding their function calls to calls and their
// configuration updates' settings to cfg (open opens their reasoning
// items). Items
// that cannot go to a model together (a function call output whose call
// is not in the conversation) are the client's error, naming the
// conversation.
func inConversation(id string, load Loader, calls map[string]bool, open *Sealer, cfg *turnConfig) (*Prior, []llm.Message, error) {
	prior, err := load(id)
	if err != nil {
		return nil, nil, err
	}
	if first(prior.Input) != '[' || len(joinArrays(prior.Input, nil)) == 2 {
		return prior, nil, nil
	}
	msgs, err := decodeItemsAt(prior.Input, calls, open, cfg, "conversation items")
	if err != nil {
		e := llm.AsError(err)
		c := invalid("conversation", "The items of conversation '%s' cannot be sent to a model: %s Delete the item at fault (DELETE /v1/conversations/{id}/items/{item_id}) or add what it needs.", llm.Clip(id), e.Message)
		return nil, nil, c
	}
	return prior, msgs, nil
}

// ConversationPosition is the position in its conversation after the
// items the request was given (Prior.Position); 0 without a conversation.
func (r *Request) ConversationPosition() int64 {
	if r.Conversation == "" || r.prior == nil {
		return 0
	}
	return r.prior.Position
}
