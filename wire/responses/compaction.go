package responses

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"switchyard/internal/jsonw"
	"switchyard/llm"
	"switchyard/store/seal"
)

// This file is the conversation compaction of POST /v1/responses/compact
// (Codex CLI compacts a long session with it): the router has the routed
// model write a summary of the conversation so far, for a model that will
// take the work over; the answer is the conversation's user messages and
// one compaction item, whose encrypted_content is the summary sealed like
// a reasoning item's thinking (Sealer), for the caller's tenant. A
// compaction item sent back in a later input is opened and becomes a user
// message holding the summary, where the item stood.

// CompactRequest is a decoded POST /v1/responses/compact: the
// conversation to compact (its instructions, input, and the stored
// response it continues) as the request that would continue it.
type CompactRequest struct {
	*Request
}

// compactBody is the body of POST /v1/responses/compact.
type compactBody struct {
	Model                json.RawMessage `json:"model"`
	Input                json.RawMessage `json:"input"`
	PreviousResponseID   json.RawMessage `json:"previous_response_id"`
	Instructions         json.RawMessage `json:"instructions"`
	PromptCacheKey       json.RawMessage `json:"prompt_cache_key"`
	PromptCacheRetention json.RawMessage `json:"prompt_cache_retention"`
	PromptCacheOptions   json.RawMessage `json:"prompt_cache_options"`
	ServiceTier          json.RawMessage `json:"service_tier"`
	Image                json.RawMessage `json:"image"`
}

// DecodeCompactRequest decodes the body of POST /v1/responses/compact,
// strictly, with what continuing the conversation would read (s): the
// same fields as a create request's, checked the same way.
func DecodeCompactRequest(data []byte, s Stored) (*CompactRequest, error) {
	var b compactBody
	if err := decodeStrict(data, "", &b); err != nil {
		return nil, err
	}
	create := map[string]json.RawMessage{"store": json.RawMessage("false")}
	for name, v := range map[string]json.RawMessage{"model": b.Model, "input": b.Input, "previous_response_id": b.PreviousResponseID,
		"instructions": b.Instructions, "prompt_cache_key": b.PromptCacheKey, "prompt_cache_retention": b.PromptCacheRetention,
		"prompt_cache_options": b.PromptCacheOptions, "service_tier": b.ServiceTier, "image": b.Image} {
		if v != nil {
			create[name] = v
		}
	}
	body, _ := json.Marshal(create) // raw values re-marshal as they are
	r, err := decodeCreate(body, s, createNeeds{model: true, input: b.PreviousResponseID == nil || isNull(b.PreviousResponseID)})
	if err != nil {
		return nil, err
	}
	return &CompactRequest{r}, nil
}

// compactionPrompt asks for the summary a compaction keeps.
const compactionPrompt = `You are compacting a conversation between a user and an AI assistant (which may have used tools) so that another assistant can continue the work with only your summary and the user's messages. The conversation so far is between the <conversation> tags below. Write a handoff summary that lets the next assistant continue without asking again: the user's goal and constraints, what was done (decisions, files and commands touched, tool results that matter, errors met and how they were handled), the current state, and the next steps. Keep exact names, paths, numbers and code identifiers. Write only the summary.`

// SummaryRequest is the request whose answer is the conversation's
// summary: the conversation written out as a transcript in one user
// message (tool calls and results as text, so that any model takes it,
// with or without tools), after the compaction instructions, on the
// model the conversation asked for.
func (c *CompactRequest) SummaryRequest() *llm.Request {
	return SummaryRequest(c.Chat, "")
}

// SummaryRequest is the request whose answer is the summary of chat's
// conversation, as CompactRequest.SummaryRequest, for any inbound API
// (the Messages API's compaction requests too: api/anthropic):
// instructions, when not blank, replace the compaction instructions
// (the Messages API's compaction.instructions).
func SummaryRequest(chat *llm.Request, instructions string) *llm.Request {
	var b strings.Builder
	if strings.TrimSpace(instructions) != "" {
		b.WriteString(instructions)
	} else {
		b.WriteString(compactionPrompt)
	}
	b.WriteString("\n\n<conversation>\n")
	writeTranscript(&b, chat.Messages)
	b.WriteString("</conversation>")
	return &llm.Request{Model: chat.Model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, b.String())},
		ServiceTier: chat.ServiceTier, Extra: chat.Extra}
}

// writeTranscript writes msgs as a plain-text transcript.
func writeTranscript(b *strings.Builder, msgs []llm.Message) {
	for i := range msgs {
		m := &msgs[i]
		b.WriteString("[" + string(m.Role))
		if id := m.ToolCallID(); id != "" {
			b.WriteString(" result of " + id)
		}
		b.WriteString("]\n")
		if t := m.Text(); t != "" {
			b.WriteString(t)
			b.WriteByte('\n')
		}
		for _, p := range m.Content {
			if p.Type != llm.PartText {
				b.WriteString("(" + string(p.Type) + " attachment)\n")
			}
		}
		for _, tc := range m.ToolCalls() {
			b.WriteString("(called " + tc.Name + " as " + tc.ID + " with " + tc.Arguments + ")\n")
		}
		b.WriteByte('\n')
	}
}

// SealSummary returns the encrypted_content of a compaction item holding
// summary; "" when s is nil.
func (s *Sealer) SealSummary(summary string) string {
	if s == nil || s.keys == nil {
		return ""
	}
	return BlobPrefix + base64.RawURLEncoding.EncodeToString(s.keys.Seal([]byte(summary), s.summaryAD))
}

// OpenSummary returns the summary a compaction item's encrypted_content
// holds, and false when it does not open (as Open).
func (s *Sealer) OpenSummary(blob string) (string, bool) {
	rest, ok := strings.CutPrefix(blob, BlobPrefix)
	if s == nil || s.keys == nil || !ok || len(rest) > maxBlob {
		return "", false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return "", false
	}
	if _, ok := seal.Header(sealed); !ok {
		return "", false
	}
	plain, err := s.keys.Open(sealed, s.summaryAD)
	if err != nil || len(plain) == 0 {
		return "", false
	}
	return string(plain), true
}

// summaryHeader starts the user message a compaction item becomes.
const summaryHeader = "Summary of the conversation before this point, written when it was compacted:\n\n"

// compactionItem is a compaction input item.
type compactionItem struct {
	Type      string  `json:"type"`
	ID        *string `json:"id"`
	Encrypted *string `json:"encrypted_content"`
	CreatedBy *string `json:"created_by"`
}

// compaction decodes a compaction item: the summary it holds becomes a
// user message. One OpenAI made (context_management: its content lacks
// the router's BlobPrefix) is kept raw, for an OpenAI Responses
// deployment only (hostedItem). One of the router's that does not open
// (under a key the router no longer holds, for another tenant) is a 400:
// the conversation it stands for cannot be read.
func (d *inputDecoder) compaction(raw json.RawMessage, path string) error {
	var ci compactionItem
	if err := decodeStrict(raw, path, &ci); err != nil {
		return err
	}
	if ci.Encrypted == nil {
		return invalid(path+".encrypted_content", "Missing required parameter: '%s.encrypted_content'.", path)
	}
	if !strings.HasPrefix(*ci.Encrypted, BlobPrefix) { // OpenAI's (context_management): for OpenAI to read
		d.hostedItem(raw)
		return nil
	}
	summary, ok := d.open.OpenSummary(*ci.Encrypted)
	if !ok {
		return invalid(path+".encrypted_content", "The compaction item could not be read: it was not made by this router's /v1/responses/compact for this key's tenant, or under a key the router no longer holds (responses.encryption). Send the conversation itself, or compact it again.")
	}
	d.msgs = append(d.msgs, llm.TextMessage(llm.RoleUser, summaryHeader+summary))
	return nil
}

// ItemCompaction is the compaction item's type.
const ItemCompaction = "compaction"

// compactedMessage is a user message of a compacted output.
type compactedMessage struct {
	Type    string          `json:"type"`
	Role    string          `json:"role"`
	Content []compactedPart `json:"content"`
}

type compactedPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// compactedItem is the compaction item of a compacted output.
type compactedItem struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	Encrypted string `json:"encrypted_content"`
}

// AppendCompacted appends the compacted response object (object
// "response.compaction"): the conversation's user messages (their text;
// an earlier compaction's summary left out, the new one covers it), then
// the compaction item holding blob, and u priced at cost (usage.cost when
// not "").
func (c *CompactRequest) AppendCompacted(dst []byte, ids IDs, createdAt int64, blob string, u *llm.Usage, cost string) []byte {
	out := make([]any, 0, len(c.Chat.Messages)+1)
	for i := range c.Chat.Messages {
		m := &c.Chat.Messages[i]
		if t := m.Text(); m.Role == llm.RoleUser && t != "" && !strings.HasPrefix(t, summaryHeader) {
			out = append(out, compactedMessage{Type: ItemMessage, Role: "user", Content: []compactedPart{{Type: "input_text", Text: t}}})
		}
	}
	out = append(out, compactedItem{Type: ItemCompaction, ID: "cmp_" + ids.Base, Encrypted: blob})
	items, _ := json.Marshal(out) // strings always encode
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, ids.Response())
	dst = append(dst, `,"object":"response.compaction","created_at":`...)
	dst = strconv.AppendInt(dst, createdAt, 10)
	dst = append(dst, `,"output":`...)
	dst = append(dst, items...)
	dst = append(dst, `,"usage":`...)
	dst = appendUsage(dst, u, cost, false)
	return append(dst, '}')
}
