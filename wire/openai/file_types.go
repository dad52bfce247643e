package openai

import (
	"path"
	"slices"
	"strings"

	"switchyard/llm"
)

// The file types the Responses API reads in an input_file part
// (https://developers.openai.com/api/docs/guides/file-inputs: PDFs, text
// and code, rich documents, presentations and spreadsheets, by file_data,
// file_id or file_url alike), where Chat Completions reads PDFs alone.
// Images, audio and video it refuses there ("Invalid input: Expected
// context stuffing file type to be a supported format: .art, .bat, …
// but got .png."): an image goes as input_image.

// fileExtensions are the extensions of the types the Responses API
// reads: those its refusal lists and those its guide names.
var fileExtensions = []string{
	".art", ".bat", ".brf", ".c", ".cls", ".css", ".csv", ".diff", ".doc", ".docx", ".eml", ".es",
	".h", ".hs", ".htm", ".html", ".ics", ".ifb", ".iif", ".java", ".js", ".json", ".ksh", ".ltx",
	".mail", ".markdown", ".md", ".mht", ".mhtml", ".mjs", ".nws", ".odt", ".patch", ".pdf", ".pl",
	".pm", ".pot", ".ppt", ".pptx", ".py", ".rst", ".rtf", ".scala", ".sh", ".shtml", ".srt", ".sty",
	".tex", ".text", ".tsv", ".txt", ".vcf", ".vtt", ".xls", ".xlsx", ".xml", ".yaml", ".yml",
}

// fileMediaTypes are the media types of those files other than text/*.
var fileMediaTypes = []string{
	"application/pdf", "application/json", "application/xml", "application/rtf", "application/msword",
	"application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/vnd.oasis.opendocument.text",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/javascript", "application/x-sh", "application/x-yaml", "application/yaml", "message/rfc822",
}

// ResponsesReadsFile reports whether the Responses API reads a file of this
// name and media type as an input_file part: by the name's extension
// when it has one, else by the media type (any text/* type). An
// unknown type (no name, no media type) is not taken.
func ResponsesReadsFile(filename, mediaType string) bool {
	if ext := strings.ToLower(path.Ext(filename)); ext != "" {
		return slices.Contains(fileExtensions, ext)
	}
	mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	return strings.HasPrefix(mediaType, "text/") || slices.Contains(fileMediaTypes, mediaType)
}

// DataURLMediaType is the media type a data: URL names
// ("data:text/csv;base64,…" is text/csv), "" for none.
func DataURLMediaType(url string) string {
	rest, ok := strings.CutPrefix(url, "data:")
	if !ok {
		return ""
	}
	end := strings.IndexAny(rest, ";,")
	if end < 0 {
		return ""
	}
	return rest[:end]
}

// FilesNeedResponses reports whether req carries a file by its bytes
// other than a PDF (a chat file part's file_data: FileDataOf) of a type
// the Responses API reads (ResponsesReadsFile: a CSV, Markdown, a DOCX…),
// which OpenAI's Chat Completions refuses ("Expected a base64-encoded
// data URL with an application/pdf MIME type", trpc-group/trpc-agent-go#1816;
// the File inputs guide: Chat Completions reads PDFs alone). A request
// without such a part (llm.PartOther) decodes nothing and allocates
// nothing.
func FilesNeedResponses(req *llm.Request) bool {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			p := &req.Messages[i].Content[j]
			if p.Type != llm.PartOther {
				continue
			}
			if name, data, ok := FileDataOf(p); ok && ResponsesReadsFile(name, DataURLMediaType(data)) {
				return true
			}
		}
	}
	return false
}
