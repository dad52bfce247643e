package anthropic

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// apiError is a request the simulator refuses, as the API would.
type apiError struct {
	t   wire.ErrorType
	msg string
}

func invalid(format string, args ...any) *apiError {
	return &apiError{wire.InvalidRequestError, fmt.Sprintf(format, args...)}
}

// topLevel are the request fields the API knows; any other is rejected
// ("Extra inputs are not permitted"), as the real API does.
var topLevel = map[string]bool{
	"model": true, "messages": true, "system": true, "max_tokens": true, "metadata": true,
	"stop_sequences": true, "stream": true, "temperature": true, "top_p": true, "top_k": true,
	"tools": true, "tool_choice": true, "thinking": true, "service_tier": true, "container": true,
	"output_config": true, "cache_control": true, "inference_geo": true, "mcp_servers": true,
	"context_management": true,
}

// decodeRequest reads and decodes a Messages request body, checking the
// JSON, unknown fields and required fields. For count_tokens, max_tokens
// is optional (it counts as 1).
func decodeRequest(w http.ResponseWriter, r *http.Request, count bool) (*wire.MessagesRequest, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &apiError{wire.RequestTooLarge, "Request exceeds the maximum allowed number of bytes."}
		}
		return nil, invalid("could not read the request body")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, invalid("There was an issue with your request body: it is not valid JSON (%v)", err)
	}
	for k := range fields {
		if !topLevel[k] {
			return nil, invalid("%s: Extra inputs are not permitted", k)
		}
	}
	for _, k := range []string{"model", "messages", "max_tokens"} {
		if _, ok := fields[k]; !ok && !(count && k == "max_tokens") {
			return nil, invalid("%s: Field required", k)
		}
	}
	var req wire.MessagesRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, invalid("There was an issue with your request body: %v", err)
	}
	if req.MaxTokens == nil && count {
		one := 1
		req.MaxTokens = &one
	}
	if req.MaxTokens == nil {
		return nil, invalid("max_tokens: Input should be a valid integer")
	}
	return &req, nil
}

// validate checks a decoded request against the model, as the API does.
// It returns nil for a valid request.
func validate(req *wire.MessagesRequest, p *sim.Profile) *apiError {
	checks := []func(*wire.MessagesRequest, *sim.Profile) *apiError{
		checkLimits, checkSystem, checkMessages, checkTools, checkThinking, checkCacheControl,
	}
	for _, c := range checks {
		if err := c(req, p); err != nil {
			return err
		}
	}
	return nil
}

func checkLimits(req *wire.MessagesRequest, p *sim.Profile) *apiError {
	switch mt := *req.MaxTokens; {
	case mt < 1:
		return invalid("max_tokens: Input should be greater than or equal to 1")
	case mt > p.MaxOutput():
		return invalid("max_tokens: %d > %d, which is the maximum allowed number of output tokens for %s", mt, p.MaxOutput(), p.Model)
	}
	if t := req.Temperature; t != nil && *t < 0 {
		return invalid("temperature: Input should be greater than or equal to 0")
	} else if t != nil && *t > 1 {
		return invalid("temperature: Input should be less than or equal to 1")
	}
	if tp := req.TopP; tp != nil && (*tp < 0 || *tp > 1) {
		return invalid("top_p: Input should be between 0 and 1")
	}
	if k := req.TopK; k != nil && *k < 0 {
		return invalid("top_k: Input should be greater than or equal to 0")
	}
	if m := req.Metadata; m != nil && len(m.UserID) > 512 {
		return invalid("metadata.user_id: String should have at most 512 characters")
	}
	return nil
}

func checkSystem(req *wire.MessagesRequest, _ *sim.Profile) *apiError {
	for i, b := range req.System {
		if b.Type != wire.BlockText {
			return invalid("system.%d.type: Input should be 'text'", i)
		}
		if b.Text == "" {
			return invalid("system: text content blocks must be non-empty")
		}
	}
	return nil
}

// checkMessages checks roles, content and the pairing of tool_use and
// tool_result blocks. Consecutive turns of the same role are merged first,
// as the API does.
func checkMessages(req *wire.MessagesRequest, _ *sim.Profile) *apiError {
	if len(req.Messages) == 0 {
		return invalid("messages: at least one message is required")
	}
	for i, m := range req.Messages {
		switch m.Role {
		case "user", "assistant":
		case "system":
			return invalid(`messages: Unexpected role "system". The Messages API accepts a top-level ` + "`system`" + ` parameter, not "system" as an input message role.`)
		default:
			return invalid("messages.%d.role: Input should be 'user' or 'assistant'", i)
		}
		last := i == len(req.Messages)-1
		if len(m.Content) == 0 && !(last && m.Role == "assistant") {
			return invalid("messages.%d: all messages must have non-empty content except for the optional final assistant message", i)
		}
		for j := range m.Content {
			if err := checkBlock(&m.Content[j], m.Role, i, j); err != nil {
				return err
			}
		}
	}
	if req.Messages[0].Role != "user" {
		return invalid(`messages: first message must use the "user" role`)
	}
	return checkToolPairing(mergeTurns(req.Messages))
}

func checkBlock(b *wire.ContentBlock, role string, i, j int) *apiError {
	switch b.Type {
	case wire.BlockText:
		if b.Text == "" {
			return invalid("messages: text content blocks must be non-empty")
		}
	case wire.BlockImage:
		return checkImage(b.Source, fmt.Sprintf("messages.%d.content.%d.image.source", i, j))
	case wire.BlockToolUse:
		if role != "assistant" {
			return invalid("messages.%d.content.%d: tool_use blocks can only be in assistant messages", i, j)
		}
		if !toolID.MatchString(b.ID) || b.Name == "" {
			return invalid("messages.%d.content.%d.tool_use: id must match ^[a-zA-Z0-9_-]+$ and name must be non-empty", i, j)
		}
	case wire.BlockToolResult:
		if role != "user" {
			return invalid("messages.%d.content.%d: tool_result blocks can only be in user messages", i, j)
		}
		for k := range b.Content {
			if c := &b.Content[k]; c.Type == wire.BlockText && c.Text == "" {
				return invalid("messages: text content blocks must be non-empty")
			}
		}
	case wire.BlockThinking, wire.BlockRedactedThinking:
		if role != "assistant" {
			return invalid("messages.%d.content.%d: thinking blocks can only be in assistant messages", i, j)
		}
	case "document", "search_result", "server_tool_use", "web_search_tool_result", "container_upload":
	default:
		return invalid("messages.%d.content.%d.type: Input tag '%s' found using 'type' does not match any of the expected tags", i, j, b.Type)
	}
	return nil
}

func checkImage(src *wire.ImageSource, at string) *apiError {
	switch {
	case src == nil:
		return invalid("%s: Field required", at)
	case src.Type == "base64":
		if !slices.Contains(wire.ImageMediaTypes, src.MediaType) {
			return invalid("%s.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'", at)
		}
		if src.Data == "" || !wire.ValidBase64(src.Data) {
			return invalid("%s.base64.data: The image data is not valid base64", at)
		}
	case src.Type == "url":
		if len(src.URL) < 8 || (src.URL[:7] != "http://" && src.URL[:8] != "https://") {
			return invalid("%s.url.url: Only HTTP and HTTPS URLs are supported", at)
		}
	default:
		return invalid("%s: Input tag '%s' found using 'type' does not match any of the expected tags: 'base64', 'url'", at, src.Type)
	}
	return nil
}

var (
	toolID   = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
)

// mergeTurns joins consecutive messages of the same role.
func mergeTurns(msgs []wire.Message) []wire.Message {
	var out []wire.Message
	for _, m := range msgs {
		if n := len(out); n > 0 && out[n-1].Role == m.Role {
			out[n-1].Content = append(slices.Clip(out[n-1].Content), m.Content...)
			continue
		}
		out = append(out, m)
	}
	return out
}

// checkToolPairing requires every tool_result to answer a tool_use of the
// turn just before, and every tool_use to be answered in the next turn.
func checkToolPairing(turns []wire.Message) *apiError {
	for i, m := range turns {
		var prevUses map[string]bool
		if i > 0 && turns[i-1].Role == "assistant" {
			prevUses = toolUses(turns[i-1])
		}
		for j, b := range m.Content {
			if b.Type == wire.BlockToolResult && !prevUses[b.ToolUseID] {
				return invalid("messages.%d.content.%d: unexpected `tool_use_id` found in `tool_result` blocks: %s. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.", i, j, b.ToolUseID)
			}
		}
		if m.Role != "assistant" || i == len(turns)-1 {
			continue
		}
		answered := map[string]bool{}
		for _, b := range turns[i+1].Content {
			if b.Type == wire.BlockToolResult {
				answered[b.ToolUseID] = true
			}
		}
		for id := range toolUses(m) {
			if !answered[id] {
				return invalid("messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", i, id)
			}
		}
	}
	return nil
}

func toolUses(m wire.Message) map[string]bool {
	ids := map[string]bool{}
	for _, b := range m.Content {
		if b.Type == wire.BlockToolUse {
			ids[b.ID] = true
		}
	}
	return ids
}

func checkTools(req *wire.MessagesRequest, _ *sim.Profile) *apiError {
	names := map[string]bool{}
	for i, t := range req.Tools {
		if !toolName.MatchString(t.Name) {
			return invalid("tools.%d.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", i)
		}
		if names[t.Name] {
			return invalid("tools: Tool names must be unique.")
		}
		names[t.Name] = true
		var schema struct {
			Type *string `json:"type"`
		}
		if len(t.InputSchema) == 0 || json.Unmarshal(t.InputSchema, &schema) != nil {
			return invalid("tools.%d.custom.input_schema: Field required", i)
		}
		if schema.Type == nil || *schema.Type != "object" {
			return invalid("tools.%d.custom.input_schema.type: Input should be 'object'", i)
		}
	}
	tc := req.ToolChoice
	if tc == nil {
		return nil
	}
	switch tc.Type {
	case wire.ToolChoiceAuto, wire.ToolChoiceAny, wire.ToolChoiceNone:
	case wire.ToolChoiceTool:
		if !names[tc.Name] {
			return invalid("tool_choice.tool.name: Tool '%s' not found in provided tools", tc.Name)
		}
	default:
		return invalid("tool_choice: Input tag '%s' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'", tc.Type)
	}
	if len(req.Tools) == 0 && tc.Type != wire.ToolChoiceNone {
		return invalid("tool_choice: tool_choice may only be specified while providing tools.")
	}
	return nil
}

func checkThinking(req *wire.MessagesRequest, _ *sim.Profile) *apiError {
	th := req.Thinking
	if th == nil {
		return nil
	}
	switch th.Type {
	case "disabled", "adaptive":
		return nil
	case "enabled":
	default:
		return invalid("thinking: Input tag '%s' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'", th.Type)
	}
	if th.BudgetTokens < 1024 {
		return invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")
	}
	if *req.MaxTokens <= th.BudgetTokens {
		return invalid("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")
	}
	if t := req.Temperature; t != nil && *t != 1 {
		return invalid("`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility")
	}
	return nil
}

// checkCacheControl allows at most four breakpoints of type ephemeral.
func checkCacheControl(req *wire.MessagesRequest, _ *sim.Profile) *apiError {
	n := 0
	bad := false
	count := func(cc *wire.CacheControl) {
		if cc != nil {
			n++
			bad = bad || cc.Type != "ephemeral" || (cc.TTL != "" && cc.TTL != "5m" && cc.TTL != "1h")
		}
	}
	for _, t := range req.Tools {
		count(t.CacheControl)
	}
	for _, b := range req.System {
		count(b.CacheControl)
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			count(b.CacheControl)
		}
	}
	if bad {
		return invalid("cache_control: type must be 'ephemeral' and ttl '5m' or '1h'")
	}
	if n > 4 {
		return invalid("A maximum of 4 blocks with cache_control may be provided. Found %d.", n)
	}
	return nil
}
