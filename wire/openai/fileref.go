package openai

import (
	"bytes"
	"encoding/json"

	"switchyard/llm"
)

// This file finds the content parts that name a file by its id rather
// than carry its bytes: chat's file part with a file_id
// ({"type":"file","file":{"file_id":"file-…","filename":…}}) and an image
// by file id (the Responses API's input_image with file_id, which
// ImageFilePart holds). A router that keeps the file (api/openai) puts its
// bytes in their place.

// FileRef is what a content part that names a file by id says.
type FileRef struct {
	// ID is the file's id (file-…), never "".
	ID string
	// Filename is the name the part gives the file; "" means none.
	Filename string
	// Detail is an image's detail ("auto", "low", "high"); "" means
	// unspecified or not an image.
	Detail string
	// Image reports an image by file id (ImageFilePart), which no
	// upstream takes as sent: Chat Completions' image_url has no file id.
	Image bool
	// Title, Context and Citations (its JSON, kept as a string so that
	// a FileRef compares with ==) are a Messages API document block's
	// (DocumentFilePart), which the document put in its place keeps; ""
	// means none.
	Title, Context, Citations string
}

// DocumentFilePart returns the part a Messages API document block naming
// a file by id decodes to: chat's file part by file_id, with the block's
// title, context and citations configuration beside it under "document"
// (left out when it has none, making it FilePart("", "", fileID)), which
// the router replaces by the file's document or refuses (FileRefOf finds
// them). No upstream gets it as sent: the Messages API names only the
// router's files.
func DocumentFilePart(fileID, title, context string, citations json.RawMessage) llm.Part {
	if title == "" && context == "" && len(citations) == 0 {
		return FilePart("", "", fileID)
	}
	raw := make([]byte, 0, len(`{"type":"file","file":{"file_id":},"document":{"title":,"context":,"citations":}}`)+len(fileID)+len(title)+len(context)+len(citations)+8)
	raw = append(raw, `{"type":"file","file":{"file_id":`...)
	raw = appendString(raw, fileID)
	raw = append(raw, `},"document":{`...)
	raw, sep := appendStringFields(raw, false, [2]string{"title", title}, [2]string{"context", context})
	if len(citations) > 0 {
		if sep {
			raw = append(raw, ',')
		}
		raw = append(raw, `"citations":`...)
		raw = append(raw, citations...)
	}
	return llm.OtherPart(append(raw, '}', '}'))
}

// imageFileType is the type of the part ImageFilePart holds: the
// Assistants API's name for an image by file id, which Chat Completions
// does not take, so one the router could not resolve never reaches an
// upstream unnoticed.
const imageFileType = "image_file"

// ImageFilePart returns the part an image by file id decodes to: a
// llm.PartOther holding {"type":"image_file","image_file":{"file_id",
// "detail"}} (detail left out when ""), which the router replaces by the
// image's bytes or refuses (FileRefOf finds it).
func ImageFilePart(fileID, detail string) llm.Part {
	raw := make([]byte, 0, len(`{"type":"image_file","image_file":{"file_id":,"detail":}}`)+len(fileID)+len(detail)+8)
	raw = append(raw, `{"type":"image_file","image_file":{"file_id":`...)
	raw = appendString(raw, fileID)
	if detail != "" {
		raw = append(raw, `,"detail":`...)
		raw = appendString(raw, detail)
	}
	return llm.OtherPart(append(raw, '}', '}'))
}

// fileIDKey is in every part that names a file by id; a part without it
// is not decoded.
var fileIDKey = []byte(`"file_id"`)

// FileRefOf returns the file p names by id: a chat file part with a
// non-empty file_id, or an ImageFilePart. ok is false for any other part
// (text, an image by URL, a file by its bytes, a malformed part). Parts
// other than llm.PartOther, and those whose JSON has no "file_id" key,
// are answered without decoding.
func FileRefOf(p *llm.Part) (ref FileRef, ok bool) {
	if p.Type != llm.PartOther {
		return FileRef{}, false
	}
	raw := p.Raw()
	if !bytes.Contains(raw, fileIDKey) && !EscapesLetter(raw) && !FoldsKey(raw, "file_id") { // an escape or another case may spell the key
		return FileRef{}, false
	}
	type fileFields struct {
		FileID   string `json:"file_id"`
		Filename string `json:"filename"`
		Detail   string `json:"detail"`
	}
	var v struct {
		Type      string      `json:"type"`
		File      *fileFields `json:"file"`
		ImageFile *fileFields `json:"image_file"`
		Document  *struct {
			Title     string          `json:"title"`
			Context   string          `json:"context"`
			Citations json.RawMessage `json:"citations"`
		} `json:"document"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return FileRef{}, false
	}
	switch {
	case v.Type == "file" && v.File != nil && v.File.FileID != "":
		ref = FileRef{ID: v.File.FileID, Filename: v.File.Filename}
		if d := v.Document; d != nil {
			ref.Title, ref.Context, ref.Citations = d.Title, d.Context, string(d.Citations)
		}
		return ref, true
	case v.Type == imageFileType && v.ImageFile != nil && v.ImageFile.FileID != "":
		return FileRef{ID: v.ImageFile.FileID, Detail: v.ImageFile.Detail, Image: true}, true
	}
	return FileRef{}, false
}
