package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"switchyard/llm"
)

// This file is Claude's compaction on the Messages API (beta): a request
// with compaction {"type":"summarize","instructions"?:…} is a compaction
// request, whose answer holds only one compaction block (stop_reason
// "compaction"): {"type":"compaction","content":<the summary>,
// "encrypted_content":…,"signature":…,"tool_changes"?:…}. A later request
// sends that block first in messages, in place of the messages it
// summarizes. Two makers write such blocks: Anthropic's API (its
// encrypted_content opaque, its signature over the content, which Claude
// checks) and the router, which answers a compaction request itself
// (api/anthropic) with its summary sealed for the caller's tenant, as the
// Responses API's compaction items are (RouterCompactionPrefix).

// BlockCompaction is the compaction block's type.
const BlockCompaction = "compaction"

// StopCompaction is the stop reason of a compaction request's answer.
const StopCompaction = "compaction"

// CompactBeta is the anthropic-beta value the API takes compaction
// requests and compaction blocks under (anthropic-sdk-go v2.17's
// AnthropicBetaCompact2026_09_04).
const CompactBeta = "compact-2026-09-04"

// RouterCompactionPrefix starts the encrypted_content of a compaction
// block the router made: the version prefix of every blob the router
// seals (wire/responses.BlobPrefix, which this package cannot import).
// Anthropic's encrypted_content never starts with it.
const RouterCompactionPrefix = "swy1."

// The error codes (error.details.error_code) of a misused compaction,
// as the API names them.
const (
	CodeCompactionMisplaced          = "compaction_block_misplaced"
	CodeCompactionNothingToSummarize = "compaction_nothing_to_summarize"
	CodeCompactionIncompleteTurn     = "compaction_incomplete_turn"
)

// CompactionSummaryHeader starts the text a compaction block's summary
// stands as for a deployment that is not sent the block (the words of
// the Responses API's compaction items).
const CompactionSummaryHeader = "Summary of the conversation before this point, written when it was compacted:\n\n"

// Compaction is a decoded compaction request's configuration.
type Compaction struct {
	// Instructions replace the default summarization prompt; "" (or
	// blank) means the default.
	Instructions string
}

// CompactionOf decodes req's compaction, strictly; nil when it is
// absent or null. Errors are *llm.Error of kind invalid_request worded
// as the API words them.
func CompactionOf(req *MessagesRequest) (*Compaction, error) {
	raw := bytes.TrimSpace(req.Compaction)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, compactionParam(rejectf("compaction: Input should be a valid dictionary"))
	}
	var c struct {
		Type         *string `json:"type"`
		Instructions *string `json:"instructions"`
	}
	if err := strictObject(raw, &c); err != nil {
		return nil, compactionParam(rejectf("compaction.summarize.%s", err))
	}
	switch {
	case c.Type == nil:
		return nil, compactionParam(rejectf("compaction.type: Field required"))
	case *c.Type != "summarize":
		return nil, compactionParam(rejectf("compaction: Input tag '%s' found using 'type' does not match any of the expected tags: 'summarize'", llm.Clip(*c.Type)))
	case len(bytes.TrimSpace(req.ContextManagement)) > 0 && string(bytes.TrimSpace(req.ContextManagement)) != "null":
		return nil, compactionParam(rejectf("compaction: cannot be combined with context_management"))
	}
	out := &Compaction{}
	if c.Instructions != nil {
		out.Instructions = strings.TrimSpace(*c.Instructions)
	}
	return out, nil
}

func compactionParam(e *llm.Error) *llm.Error {
	e.Param = "compaction"
	return e
}

// strictObject decodes raw into v refusing unknown fields; the error is
// worded "<field>: Extra inputs are not permitted" or "<field>: Input
// should be …".
func strictObject(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return fmt.Errorf("%s: Extra inputs are not permitted", llm.Clip(strings.Trim(name, `"`)))
		}
		return fmt.Errorf("%s", decodeErrorText(err))
	}
	return nil
}

// CompactionBlock is a compaction block's fields as a request sends it.
// Content and Signature are nil when null or absent.
type CompactionBlock struct {
	Content          *string         `json:"content"`
	EncryptedContent *string         `json:"encrypted_content"`
	Signature        *string         `json:"signature"`
	ToolChanges      json.RawMessage `json:"tool_changes"`
	CacheControl     *CacheControl   `json:"cache_control"`
	Type             string          `json:"type"`
}

// DecodeCompactionBlock decodes a compaction block's Raw, strictly; at
// names it in errors ("messages.0.content.0").
func DecodeCompactionBlock(raw json.RawMessage, at string) (*CompactionBlock, error) {
	var cb CompactionBlock
	if err := strictObject(raw, &cb); err != nil {
		return nil, rejectf("%s.compaction.%s", at, err)
	}
	if cb.Content != nil && *cb.Content == "" {
		return nil, rejectf("%s.compaction.content: String should have at least 1 character", at)
	}
	if tc := bytes.TrimSpace(cb.ToolChanges); len(tc) > 0 && string(tc) != "null" && tc[0] != '[' {
		return nil, rejectf("%s.compaction.tool_changes: Input should be a valid list", at)
	}
	return &cb, nil
}

// RouterMade reports whether the router made the block (its
// encrypted_content is sealed by the router).
func (cb *CompactionBlock) RouterMade() bool {
	return cb.EncryptedContent != nil && strings.HasPrefix(*cb.EncryptedContent, RouterCompactionPrefix)
}

// checkCompactions checks where compaction blocks stand, as the API
// does: a compaction block is the first block of the conversation (of
// its first message that is not a system message), never in a system
// message nor later; each decodes (DecodeCompactionBlock).
func checkCompactions(req *MessagesRequest) *llm.Error {
	first := true
	for i := range req.Messages {
		m := &req.Messages[i]
		for j := range m.Content {
			b := &m.Content[j]
			if b.Type == BlockCompaction {
				at := fmt.Sprintf("messages.%d.content.%d", i, j)
				if !first || m.Role == "system" || j > 0 {
					e := rejectf("%s: a compaction block must be the first block of the conversation, and not in a system message", at)
					e.Code = CodeCompactionMisplaced
					return e
				}
				if _, err := DecodeCompactionBlock(b.Raw, at); err != nil {
					return llm.AsError(err)
				}
			}
		}
		if m.Role != "system" {
			first = false
		}
	}
	return nil
}

// startsWithCompaction reports whether the conversation's first message
// that is not a system message opens with a compaction block, which the
// API takes in an assistant turn (a compaction answer sent back as it
// came).
func startsWithCompaction(msgs []Message) bool {
	_, ok := conversationStart(msgs)
	return ok
}

// checkCompactionRequest refuses a compaction request with nothing to
// summarize (no user or assistant content besides a compaction block) or
// that ends on an assistant turn whose tool calls are not answered.
func checkCompactionRequest(req *MessagesRequest) *llm.Error {
	if len(bytes.TrimSpace(req.Compaction)) == 0 || string(bytes.TrimSpace(req.Compaction)) == "null" {
		return nil
	}
	content := false
	for i := range req.Messages {
		m := &req.Messages[i]
		if m.Role != "system" && slices.ContainsFunc(m.Content, func(b ContentBlock) bool { return b.Type != BlockCompaction }) {
			content = true
		}
	}
	if !content {
		e := rejectf("messages: there is nothing to summarize: the conversation holds no user or assistant content")
		e.Code = CodeCompactionNothingToSummarize
		return e
	}
	if last := req.Messages[len(req.Messages)-1]; last.Role == "assistant" && len(toolUses(last)) > 0 {
		e := rejectf("messages: the conversation ends on an assistant turn that is not finished (its tool_use blocks have no tool_result); a compaction request summarizes finished turns")
		e.Code = CodeCompactionIncompleteTurn
		return e
	}
	return nil
}

// checkCompactionConfig is CompactionOf as a check of Validate.
func checkCompactionConfig(req *MessagesRequest) *llm.Error {
	if _, err := CompactionOf(req); err != nil {
		return llm.AsError(err)
	}
	return nil
}

// TakesCompaction reports whether Claude model takes compaction (its
// requests and its blocks in messages): the models of server-side
// compaction, Opus 4.6 and Sonnet 4.6, and every Claude model since
// (Version 406 and later), on Anthropic's API (the beta is the Claude
// API's). Another model is sent a compaction block's summary as text.
func TakesCompaction(model string) bool {
	return ModelTraits(model).Version >= 406 && onClaudeAPI(model)
}

// errCompactionRequest refuses a compaction request where it cannot be
// answered (DecodeRequest: a batch line forwarded as it is would be
// answered as an ordinary request).
func errCompactionRequest() *llm.Error {
	return compactionParam(rejectf("compaction: a compaction request is answered by POST /v1/messages itself, and cannot be translated"))
}
