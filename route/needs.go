package route

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"switchyard/llm"
	"switchyard/wire/openai"
	"switchyard/wire/responses"
)

// Needs is a set of capabilities a request requires of a deployment.
type Needs uint32

// The request needs.
const (
	NeedTools       Needs = 1 << iota // the request offers tools
	NeedJSONMode                      // response_format json_object
	NeedJSONSchema                    // response_format json_schema
	NeedVision                        // a message carries an image
	NeedLogprobs                      // logprobs: true (token log probabilities)
	NeedAudio                         // modalities with "audio", or audio set (a spoken answer), or an earlier spoken answer's audio in the conversation
	NeedOtherParts                    // a content part neither text, image, document nor file (input_audio, a file of a type the Responses API refuses…)
	NeedDocumentURL                   // a document by URL (only Anthropic's API, and OpenAI's Responses API, fetch one)
	NeedFileID                        // a file by its OpenAI file_id (only OpenAI and Azure resolve one)
	NeedServerTools                   // Anthropic's server tools, their blocks or a container (llm.Request.AnthropicServerTools: only Claude serves them)
	NeedForcedTool                    // tool_choice required or a named function, with tools: a call is forced (Claude Opus 5.5, Sonnet 5.5 and Fable 5.1 and later refuse that)
	NeedUSInference                   // inference_geo us (llm.Request.InferenceGeo): inference only on US infrastructure
	// NeedCompletion is not a need but a licence: a legacy completion
	// (llm.Request.Completion), which a completions-only deployment takes
	// as well as a chat one.
	NeedCompletion
	// NeedUserProfileBilling: billing_policy bill_to user_profile
	// (llm.Request.BillsUserProfile): only a Claude API deployment bills
	// the customer behind a user profile, and the router never bills its
	// own account for such a request instead.
	NeedUserProfileBilling
	// NeedHostedTools: OpenAI's hosted tools or their items
	// (llm.Request.OpenAIHostedTools): only an OpenAI deployment called
	// on the Responses API serves them.
	NeedHostedTools
	// NeedJSONWithTools: a JSON answer (response_format json_object or
	// json_schema) beside tools the model may call (tool_choice other
	// than none), a pair Gemini before 3 refuses
	// (gemini.RefusesJSONWithTools).
	NeedJSONWithTools
	// NeedFileData: a file other than a PDF by its bytes (chat's file
	// part with file_data), of a type OpenAI's Responses API reads as an
	// input_file (responses.TakesFileType: text, code, documents,
	// spreadsheets); a file of another type is NeedOtherParts.
	NeedFileData
	// NeedClaudeWebSearch: Claude's own web search server tool declared
	// (llm.Request.AnthropicWebSearch), which Claude 3 and the first 3.5
	// Sonnet do not have (anthropic.HasWebSearch).
	NeedClaudeWebSearch
)

// NeedsOf returns what req requires of a deployment. It does not allocate.
func NeedsOf(req *llm.Request) Needs {
	var n Needs
	if len(req.Tools) > 0 {
		n |= NeedTools
	}
	if rf := req.ResponseFormat; rf != nil {
		switch rf.Type {
		case llm.FormatJSONSchema:
			n |= NeedJSONSchema
		case llm.FormatJSONObject:
			n |= NeedJSONMode
		}
	}
	if req.Logprobs {
		n |= NeedLogprobs
	}
	if wantsAudio(req.Extra) {
		n |= NeedAudio
	}
	if req.Completion != nil {
		n |= NeedCompletion
	}
	if req.AnthropicServerTools() {
		n |= NeedServerTools
		if req.AnthropicWebSearch() >= 0 {
			n |= NeedClaudeWebSearch
		}
	}
	if req.OpenAIHostedTools() {
		n |= NeedHostedTools
	}
	if req.InferenceGeo == llm.GeoUS {
		n |= NeedUSInference
	}
	if req.BillsUserProfile() {
		n |= NeedUserProfileBilling
	}
	if tc := req.ToolChoice; tc != nil && len(req.Tools) > 0 && (tc.Mode == llm.ToolChoiceRequired || tc.Mode == llm.ToolChoiceFunction) {
		n |= NeedForcedTool
	}
	if forced, _ := req.OpenAIHosted.WebSearchChoice(); forced { // Claude's web_search tool forced
		n |= NeedForcedTool
	}
	if n&NeedTools != 0 && n&(NeedJSONMode|NeedJSONSchema) != 0 && (req.ToolChoice == nil || req.ToolChoice.Mode != llm.ToolChoiceNone) {
		n |= NeedJSONWithTools
	}
	const parts = NeedVision | NeedOtherParts | NeedDocumentURL | NeedFileID | NeedFileData
	for i := range req.Messages {
		if req.Messages[i].Audio() != nil { // an OpenAI audio id: only OpenAI and Azure resolve it
			n |= NeedAudio
		}
		for j := range req.Messages[i].Content {
			p := &req.Messages[i].Content[j]
			switch p.Type {
			case llm.PartImage:
				n |= NeedVision
			case llm.PartOther:
				n |= otherPartNeeds(p)
			case llm.PartDocument:
				n |= documentNeeds(p.Document())
			}
			if n&parts == parts {
				return n
			}
		}
	}
	return n
}

// documentNeeds is what a document requires: vision for a PDF (the
// models that read PDFs are the ones that see: OpenAI's take PDF input on
// its vision models, and o3-mini, which has none, refuses it) and for a
// content document holding images; a deployment that fetches URLs for one
// by URL. A text every model takes (see docs/providers.md).
func documentNeeds(d *llm.Document) Needs {
	if d == nil {
		return 0
	}
	var n Needs
	if d.Data != "" || d.URL != "" {
		n |= NeedVision
	}
	if d.URL != "" {
		n |= NeedDocumentURL
	}
	for i := range d.Content {
		if d.Content[i].Type == llm.PartImage {
			n |= NeedVision
		}
	}
	return n
}

// otherPartNeeds is what a part the router does not model requires: a
// file by id NeedFileID, a file by its bytes that the Responses API reads
// NeedFileData, any other part (input_audio, a file of another type…)
// NeedOtherParts.
func otherPartNeeds(p *llm.Part) Needs {
	if isFileID(p.Raw()) {
		return NeedFileID
	}
	if name, data, ok := openai.FileDataOf(p); ok && responses.TakesFileType(name, responses.DataURLMediaType(data)) {
		return NeedFileData
	}
	return NeedOtherParts
}

// isFileID reports a content part that names a file by its OpenAI id
// ({"type":"file","file":{"file_id":"file-…"}}): the bytes are OpenAI's,
// which only an OpenAI-format upstream of that account can read. A
// part without the key, spelled plainly, with a \u escape or in another
// case (as encoding/json reads it), is not decoded.
func isFileID(raw json.RawMessage) bool {
	if !bytes.Contains(raw, []byte(`"file_id"`)) && !openai.EscapesLetter(raw) && !openai.FoldsKey(raw, "file_id") {
		return false
	}
	var p struct {
		Type string `json:"type"`
		File struct {
			FileID string `json:"file_id"`
		} `json:"file"`
	}
	return json.Unmarshal(raw, &p) == nil && p.Type == "file" && p.File.FileID != ""
}

// wantsAudio reports whether a chat request's fields the router does not
// model ask for a spoken answer: "audio" among its modalities, or audio
// output options. Only OpenAI's wire format has them; they reach an
// OpenAI-format upstream as sent.
func wantsAudio(extra map[string]json.RawMessage) bool {
	if extra == nil {
		return false
	}
	if a, ok := extra["audio"]; ok && string(a) != "null" {
		return true
	}
	m := extra["modalities"]
	if bytes.Contains(m, []byte(`"audio"`)) {
		return true
	}
	if !bytes.Contains(m, []byte(`\u`)) { // an escape may spell the word ("\u0061udio"), as the upstream reads it
		return false
	}
	var list []string
	return json.Unmarshal(m, &list) == nil && slices.Contains(list, "audio")
}

// String lists the needs, comma-separated ("" for none).
func (n Needs) String() string {
	var parts []string
	for _, x := range []struct {
		bit  Needs
		name string
	}{{NeedTools, "tools"}, {NeedJSONMode, "json_mode"}, {NeedJSONSchema, "json_schema"}, {NeedVision, "vision"}, {NeedLogprobs, "logprobs"}, {NeedAudio, "audio"}, {NeedOtherParts, "other_parts"}, {NeedDocumentURL, "document_url"}, {NeedFileID, "file_id"}, {NeedServerTools, "server_tools"}, {NeedForcedTool, "forced_tool"}, {NeedUSInference, "inference_geo_us"}, {NeedCompletion, "completion"}, {NeedUserProfileBilling, "user_profile_billing"}, {NeedHostedTools, "hosted_tools"}, {NeedJSONWithTools, "json_with_tools"}, {NeedFileData, "file_data"}, {NeedClaudeWebSearch, "claude_web_search"}} {
		if n&x.bit != 0 {
			parts = append(parts, x.name)
		}
	}
	return strings.Join(parts, ",")
}

// MarshalText implements encoding.TextMarshaler.
func (n Needs) MarshalText() ([]byte, error) { return []byte(n.String()), nil }
