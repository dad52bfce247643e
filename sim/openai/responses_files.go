package openai

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// fileIDWithFilename finds, as the Responses API does, an input_file part
// that names a file by file_id or file_url and gives a filename too, in a
// message's content or a function_call_output's output: OpenAI refuses
// it ("Mutually exclusive parameters: 'input[2].output[0]'. Ensure you
// are only providing one of: 'file_id' or 'filename'.", fiber#121's
// probe; the same words for a filename beside a file_url, a user's report
// quoted in public code), where the Chat Completions file part takes a
// file_id and a filename both. It returns the part's path, or "" when no
// part has both. A body it cannot read is left to the decoder.
func fileIDWithFilename(body []byte) string {
	if !bytes.Contains(body, []byte(`"filename"`)) || !bytes.Contains(body, []byte(`"file_id"`)) && !bytes.Contains(body, []byte(`"file_url"`)) {
		return "" // most bodies: no decoding
	}
	var req struct {
		Input json.RawMessage `json:"input"`
	}
	var items []struct {
		Content json.RawMessage `json:"content"`
		Output  json.RawMessage `json:"output"`
	}
	if json.Unmarshal(body, &req) != nil || json.Unmarshal(req.Input, &items) != nil {
		return ""
	}
	for i, it := range items {
		for _, f := range [...]struct {
			name  string
			parts json.RawMessage
		}{{"content", it.Content}, {"output", it.Output}} {
			var parts []struct {
				Type     string  `json:"type"`
				FileID   *string `json:"file_id"`
				FileURL  *string `json:"file_url"`
				Filename *string `json:"filename"`
			}
			if json.Unmarshal(f.parts, &parts) != nil {
				continue
			}
			for j, p := range parts {
				if p.Type == "input_file" && (p.FileID != nil || p.FileURL != nil) && p.Filename != nil {
					return "input[" + strconv.Itoa(i) + "]." + f.name + "[" + strconv.Itoa(j) + "]"
				}
			}
		}
	}
	return ""
}
