package openai

import (
	"path"
	"slices"
	"strings"

	"switchyard/llm"
	wire "switchyard/wire/openai"
	"switchyard/wire/responses"
)

// contextFileExtensions are the extensions the Responses API reads in an
// input_file, as its refusal of another lists them ("Invalid input:
// Expected context stuffing file type to be a supported format: .art,
// .bat, … .yml but got .png.", quoted from probes of api.openai.com in
// public code; the list there runs to some 90 extensions, elided, so this
// one holds those quoted and those of the file inputs guide,
// https://developers.openai.com/api/docs/guides/file-inputs).
var contextFileExtensions = []string{
	".art", ".bat", ".brf", ".c", ".cls", ".css", ".csv", ".diff", ".doc", ".docx", ".eml", ".es",
	".h", ".hs", ".htm", ".html", ".ics", ".ifb", ".iif", ".java", ".js", ".json", ".ksh", ".ltx",
	".mail", ".markdown", ".md", ".mht", ".mhtml", ".mjs", ".nws", ".odt", ".patch", ".pdf", ".pl",
	".pm", ".pot", ".ppt", ".pptx", ".py", ".rst", ".rtf", ".scala", ".sh", ".shtml", ".srt", ".sty",
	".svg", ".tex", ".text", ".tsv", ".txt", ".vcf", ".vtt", ".xls", ".xlsx", ".xml", ".yaml", ".yml",
}

// mediaTypeExtensions name the extension of a file given by its bytes
// without a filename, by its data URL's media type.
var mediaTypeExtensions = map[string]string{
	"application/pdf": ".pdf", "text/plain": ".txt", "text/csv": ".csv", "text/markdown": ".md",
	"text/html": ".html", "application/json": ".json", "application/xml": ".xml", "text/xml": ".xml",
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
	"audio/mpeg": ".mp3", "audio/wav": ".wav", "video/mp4": ".mp4",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}

// unreadableFile returns the refusal of the first file req's input
// carries, by its bytes or by the id of a file this server holds, that
// the Responses API does not read as context (an image, audio…), as
// OpenAI words it; nil when every file is one it reads. The type is the
// filename's extension, else the data URL's media type's ("none" when
// neither says).
func (s *server) unreadableFile(req *llm.Request) *apiError {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			p := &req.Messages[i].Content[j]
			var name, mediaType string
			if ref, ok := wire.FileRefOf(p); ok && !ref.Image {
				f := s.files.get(ref.ID)
				if f == nil {
					continue
				}
				name = f.Filename
			} else if n, data, ok := wire.FileDataOf(p); ok {
				name, mediaType = n, responses.DataURLMediaType(data)
			} else {
				continue
			}
			ext := strings.ToLower(path.Ext(name))
			if ext == "" {
				ext = mediaTypeExtensions[strings.ToLower(mediaType)]
			}
			if slices.Contains(contextFileExtensions, ext) {
				continue
			}
			if ext == "" {
				ext = "none"
			}
			return &apiError{Type: "invalid_request_error", Message: "Invalid input: Expected context stuffing file type to be a supported format: " +
				strings.Join(contextFileExtensions, ", ") + " but got " + ext + "."}
		}
	}
	return nil
}
