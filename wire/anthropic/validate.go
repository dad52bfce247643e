package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
)

// rejectf returns the invalid_request error the API answers a malformed
// request with; its Message is worded as the API words it.
func rejectf(format string, args ...any) *llm.Error {
	return llm.Errorf(llm.KindInvalidRequest, format, args...)
}

// DecodeMessagesRequest decodes the body of POST /v1/messages (or, with
// countTokens, of POST /v1/messages/count_tokens, whose requests have no
// max_tokens: one that is sent is taken, and MaxTokens stays nil
// without it) as strictly as the API: the body must be one
// JSON object with the required fields (model, messages, max_tokens) and
// no field the API does not know (a field of MessagesRequest, or of the
// objects it holds; content blocks keep the types they do not model). It checks the JSON only; Validate checks
// the values. Errors are *llm.Error of kind invalid_request whose Message
// is the API's wording.
func DecodeMessagesRequest(body []byte, countTokens bool) (*MessagesRequest, error) {
	var req MessagesRequest
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(&req); err != nil {
		return nil, decodeError(err)
	}
	// Token, not More: More reports no more before a stray "}" or "]".
	if _, err := d.Token(); err != io.EOF {
		return nil, rejectf("There was an issue with your request body: it is not valid JSON (data after the top-level value)")
	}
	switch {
	case req.Model == "":
		return nil, rejectf("model: Field required")
	case req.Messages == nil:
		return nil, rejectf("messages: Field required")
	case req.MaxTokens == nil && !countTokens:
		return nil, rejectf("max_tokens: Field required")
	case req.Thread != nil && countTokens:
		return nil, rejectf("thread: Extra inputs are not permitted")
	}
	return &req, nil
}

// decodeError words a decoding error as the API does: an unknown field
// is "Extra inputs are not permitted", a wrong type names the field and
// the type expected.
func decodeError(err error) *llm.Error {
	var syn *json.SyntaxError
	switch msg := err.Error(); {
	case strings.HasPrefix(msg, "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(msg, "json: unknown field "))
		return rejectf("%s: Extra inputs are not permitted", llm.Clip(name))
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return rejectf("There was an issue with your request body: it is not valid JSON (%v)", err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field == "" {
		return rejectf("There was an issue with your request body: it is not valid JSON (the body must be an object, not a JSON %s)", clipValue(te.Value))
	}
	return rejectf("There was an issue with your request body: %s", decodeErrorText(err))
}

// decodeErrorText words a decoding error for the client: the field and the
// type expected, without Go's type names where it can.
func decodeErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("%s: Input should be a valid %s, not a JSON %s", te.Field, jsonTypeName(te.Type.Kind().String()), clipValue(te.Value))
	}
	return err.Error()
}

// clipValue is the value a type error names ("number 12", "string"), cut
// to 40 bytes or so with its length: a 100 KB digit string must not come
// back whole in an error, or a log line.
func clipValue(v string) string {
	const max = 40
	if len(v) <= max {
		return v
	}
	return v[:max] + "… (" + strconv.Itoa(len(v)) + " characters)"
}

func jsonTypeName(goKind string) string {
	switch {
	case strings.HasPrefix(goKind, "int"), strings.HasPrefix(goKind, "uint"):
		return "integer"
	case strings.HasPrefix(goKind, "float"):
		return "number"
	case goKind == "slice":
		return "list"
	case goKind == "struct", goKind == "map", goKind == "ptr":
		return "object"
	}
	return goKind
}

// Validate checks a decoded request's values as the API does: sampling
// ranges, the system prompt, roles, content blocks, the pairing of
// tool_use and tool_result blocks, tools and tool_choice, thinking and
// cache_control breakpoints. It does not know the model, so it does not
// check max_tokens against the model's limit. It returns nil for a valid
// request, else an *llm.Error of kind invalid_request worded as the API
// words it.
func Validate(req *MessagesRequest) error {
	for _, check := range []func(*MessagesRequest) *llm.Error{
		checkLimits, checkSystem, checkCompactions, checkMessages, checkTools, checkThinking, checkCacheControl, checkOutputFormat,
		checkServiceTier, checkCompactionRequest, checkCompactionConfig, checkTaskBudget, checkFallbacks,
		checkToolChanges, checkBilling, checkMCPListings, checkThread,
	} {
		if err := check(req); err != nil {
			return err
		}
	}
	return nil
}

// checkServiceTier refuses a service_tier other than auto and
// standard_only.
func checkServiceTier(req *MessagesRequest) *llm.Error {
	if _, err := RequestTierToLLM(req.ServiceTier); err != nil {
		return llm.AsError(err)
	}
	return nil
}

// MaxUserID is the longest metadata.user_id the API takes, in characters.
const MaxUserID = 512

func checkLimits(req *MessagesRequest) *llm.Error {
	if mt := req.MaxTokens; mt != nil && *mt < 1 {
		return rejectf("max_tokens: Input should be greater than or equal to 1")
	}
	if t := req.Temperature; t != nil && *t < 0 {
		return rejectf("temperature: Input should be greater than or equal to 0")
	} else if t != nil && *t > 1 {
		return rejectf("temperature: Input should be less than or equal to 1")
	}
	if tp := req.TopP; tp != nil && (*tp < 0 || *tp > 1) {
		return rejectf("top_p: Input should be between 0 and 1")
	}
	if k := req.TopK; k != nil && *k < 0 {
		return rejectf("top_k: Input should be greater than or equal to 0")
	}
	if m := req.Metadata; m != nil && utf8.RuneCountInString(m.UserID) > MaxUserID {
		return rejectf("metadata.user_id: String should have at most 512 characters")
	}
	for _, s := range req.StopSequences {
		switch {
		case s == "":
			return rejectf("stop_sequences: each stop sequence must be non-empty")
		case BlankStop(s):
			return rejectf("stop_sequences: each stop sequence must contain non-whitespace")
		}
	}
	return nil
}

// BlankStop reports whether the API refuses stop sequence s for holding
// nothing but whitespace (or nothing at all), as OpenAI's API does not:
// a stop of "\n" is common there.
func BlankStop(s string) bool { return strings.TrimSpace(s) == "" }

func checkSystem(req *MessagesRequest) *llm.Error {
	for i, b := range req.System {
		if b.Type != BlockText {
			return rejectf("system.%d.type: Input should be 'text'", i)
		}
		if b.Text == "" {
			return rejectf("system: text content blocks must be non-empty")
		}
		if BlankStop(b.Text) {
			return rejectf("system: text content blocks must contain non-whitespace text")
		}
	}
	return nil
}

// checkMessages checks roles, content and the pairing of tool_use and
// tool_result blocks. Consecutive turns of the same role are merged first,
// as the API does.
func checkMessages(req *MessagesRequest) *llm.Error {
	if len(req.Messages) == 0 {
		return rejectf("messages: at least one message is required")
	}
	first := -1 // the first message that is not a system message
	for i, m := range req.Messages {
		if err := checkTurnOutputConfig(req, &m, i); err != nil {
			return err
		}
		switch m.Role {
		case "user", "assistant":
			if first < 0 {
				first = i
			}
		case "system":
			if err := checkSystemMessage(&m, i); err != nil {
				return err
			}
			continue
		default:
			return rejectf("messages.%d.role: Input should be 'user', 'assistant' or 'system'", i)
		}
		last := i == len(req.Messages)-1
		if len(m.Content) == 0 && !(last && m.Role == "assistant") {
			return rejectf("messages.%d: all messages must have non-empty content except for the optional final assistant message", i)
		}
		for j := range m.Content {
			if err := checkBlock(&m.Content[j], m.Role, i, j); err != nil {
				return err
			}
		}
	}
	if first < 0 || req.Messages[first].Role != "user" && !startsWithCompaction(req.Messages) {
		return rejectf(`messages: first message must use the "user" role`)
	}
	if err := checkToolUseIDs(req.Messages); err != nil {
		return err
	}
	return checkToolPairing(MergeTurns(Conversation(req.Messages)))
}

// OtherBlockTypes are the content block types the API accepts in messages
// besides those this package models (BlockText…); they are kept as Raw.
var OtherBlockTypes = append([]string{"search_result", BlockCompaction}, ServerBlockTypes...)

func checkBlock(b *ContentBlock, role string, i, j int) *llm.Error {
	switch b.Type {
	case BlockText:
		if b.Text == "" {
			return rejectf("messages: text content blocks must be non-empty")
		}
		if BlankStop(b.Text) {
			return rejectf("messages: text content blocks must contain non-whitespace text")
		}
	case BlockImage:
		return checkImage(b.Source, fmt.Sprintf("messages.%d.content.%d.image.source", i, j))
	case BlockToolUse:
		if role != "assistant" {
			return rejectf("messages.%d.content.%d: tool_use blocks can only be in assistant messages", i, j)
		}
		if !toolID.MatchString(b.ID) {
			return rejectf("messages.%d.content.%d.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'", i, j)
		}
		if b.Name == "" {
			return rejectf("messages.%d.content.%d.tool_use.name: String should have at least 1 character", i, j)
		}
		if in := bytes.TrimSpace(b.Input); len(in) > 0 && in[0] != '{' {
			return rejectf("messages.%d.content.%d.tool_use.input: Input should be a valid dictionary", i, j)
		}
	case BlockToolResult:
		return checkToolResult(b, role, i, j)
	case BlockThinking, BlockRedactedThinking:
		if role != "assistant" {
			return rejectf("messages.%d.content.%d: thinking blocks can only be in assistant messages", i, j)
		}
	case BlockDocument:
		return checkDocument(b, fmt.Sprintf("messages.%d.content.%d", i, j))
	case BlockFallback:
		return checkFallbackBlock(b, role, i, j)
	case BlockSearchResult:
		if role != "user" {
			return rejectf("messages.%d.content.%d: search_result blocks can only be in user messages", i, j)
		}
		return checkSearchResult(b, fmt.Sprintf("messages.%d.content.%d", i, j))
	default:
		if !slices.Contains(OtherBlockTypes, b.Type) {
			return rejectf("messages.%d.content.%d.type: Input tag '%s' found using 'type' does not match any of the expected tags", i, j, llm.Clip(b.Type))
		}
	}
	return nil
}

func checkToolResult(b *ContentBlock, role string, i, j int) *llm.Error {
	if role != "user" {
		return rejectf("messages.%d.content.%d: tool_result blocks can only be in user messages", i, j)
	}
	for k := range b.Content {
		switch c := &b.Content[k]; c.Type {
		case BlockText:
			if c.Text == "" {
				return rejectf("messages: text content blocks must be non-empty")
			}
		case BlockImage:
			if err := checkImage(c.Source, fmt.Sprintf("messages.%d.content.%d.tool_result.content.%d.image.source", i, j, k)); err != nil {
				return err
			}
		case BlockDocument:
			if err := checkDocument(c, fmt.Sprintf("messages.%d.content.%d.tool_result.content.%d", i, j, k)); err != nil {
				return err
			}
		case BlockSearchResult:
			if err := checkSearchResult(c, fmt.Sprintf("messages.%d.content.%d.tool_result.content.%d", i, j, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkImage(src *ImageSource, at string) *llm.Error {
	switch {
	case src == nil:
		return rejectf("%s: Field required", at)
	case src.Type == "base64":
		if !slices.Contains(ImageMediaTypes, src.MediaType) {
			return rejectf("%s.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'", at)
		}
		if src.Data == "" || !ValidBase64(src.Data) {
			return rejectf("%s.base64.data: The image data is not valid base64", at)
		}
	case src.Type == "url":
		if len(src.URL) < 8 || (src.URL[:7] != "http://" && src.URL[:8] != "https://") {
			return rejectf("%s.url.url: Only HTTP and HTTPS URLs are supported", at)
		}
	case src.Type == SourceFile:
		return checkFileID(src, at+".file")
	default:
		return rejectf("%s: Input tag '%s' found using 'type' does not match any of the expected tags: 'base64', 'file', 'url'", at, llm.Clip(src.Type))
	}
	return nil
}

var (
	toolID   = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
)

// MergeTurns joins consecutive messages of the same role, as the API does
// before it reads a conversation. msgs is not modified.
func MergeTurns(msgs []Message) []Message {
	var out []Message
	for _, m := range msgs {
		if n := len(out); n > 0 && out[n-1].Role == m.Role {
			out[n-1].Content = append(slices.Clip(out[n-1].Content), m.Content...)
			continue
		}
		out = append(out, m)
	}
	return out
}
