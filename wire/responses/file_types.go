package responses

import "switchyard/wire/openai"

// TakesFileType reports whether the Responses API reads a file of this
// name and media type as an input_file part (openai.ResponsesReadsFile
// has the types: text, code, documents, presentations, spreadsheets).
func TakesFileType(filename, mediaType string) bool {
	return openai.ResponsesReadsFile(filename, mediaType)
}

// DataURLMediaType is the media type a data: URL names
// ("data:text/csv;base64,…" is text/csv), "" for none.
func DataURLMediaType(url string) string { return openai.DataURLMediaType(url) }
