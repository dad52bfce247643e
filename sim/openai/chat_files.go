package openai

import (
	"fmt"
	"strings"

	"switchyard/llm"
	wire "switchyard/wire/openai"
	"switchyard/wire/responses"
)

// pdfOnlyFile returns Chat Completions' refusal of the first file part
// req carries by its bytes that is not a PDF (a CSV, Markdown, DOCX…):
// OpenAI's Chat Completions reads PDFs alone in a file part's file_data
// (the File inputs guide, https://developers.openai.com/api/docs/guides/file-inputs:
// the Responses API reads text, code, documents and spreadsheets; Chat
// Completions PDFs only), and answers 400, invalid_request_error, code
// invalid_value, param the part's file_data (the wording quoted from
// api.openai.com in trpc-group/trpc-agent-go#1816). Azure's guide names
// PDFs alone too. nil when every file part by its bytes is a PDF (a PDF
// becomes a document: llm.PartDocument).
func pdfOnlyFile(req *llm.Request) *apiError {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			_, data, ok := wire.FileDataOf(&req.Messages[i].Content[j])
			if !ok || !strings.HasPrefix(data, "data:") {
				continue
			}
			param := fmt.Sprintf("messages[%d].content[%d].file.file_data", i, j)
			return &apiError{Type: "invalid_request_error", Param: param, Code: "invalid_value",
				Message: "Invalid file data: '" + param + "'. Expected a base64-encoded data URL with an application/pdf MIME type " +
					"(e.g. 'data:application/pdf;base64,SGVsbG8sIFdvcmxkIQ=='), but got unsupported MIME type '" + responses.DataURLMediaType(data) + "'."}
		}
	}
	return nil
}

// openAIHost reports a call on OpenAI's own API or Azure's, not on a
// compatible host's path this server also plays.
func (c *call) openAIHost() bool {
	return !c.googleCompat && !c.openRouter && !c.mistral && !c.dashScope && !c.deepSeek && !c.groq
}

// partError returns the refusal of req's first content part OpenAI's
// own API refuses on Chat Completions once its type is known (a file's
// bytes other than a PDF's); nil for one it takes, and on a compatible
// host. A part of a type Chat Completions does not have is refused
// before, by the decoder this server shares with the router
// (wire/openai's checkPartTypes), in OpenAI's words, on every path.
func partError(c *call, req *llm.Request) *apiError {
	if !c.openAIHost() {
		return nil
	}
	return pdfOnlyFile(req)
}
