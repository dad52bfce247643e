package openai

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	"switchyard/store"
	wire "switchyard/wire/openai"
)

// This file puts the bytes of the files a chat or Responses request
// names by id in their place, when the file is one of the caller's
// tenant's in the router's store (docs/providers.md#files-by-id): a
// PDF becomes the document its bytes sent as file_data would (so every
// provider that reads PDFs can take it), an image an image by data: URL,
// any other file chat's file part with its bytes (OpenAI-format
// deployments only, as when sent so). A file the router does not hold —
// uploaded straight to OpenAI, another tenant's, expired or deleted —
// is left as sent: an OpenAI-format deployment resolves it, or answers
// that it does not exist. A request naming no file by id costs one pass
// over its parts' types.

// fileReadTimeout bounds the reads of the files one request names.
const fileReadTimeout = 5 * time.Second

// inputPurposes are the purposes of the files a model may read: OpenAI's
// for file inputs (user_data; assistants, its older purpose for them;
// vision, for images). A batch's input or output, a fine-tuning or an
// evals file is refused.
var inputPurposes = []string{"user_data", "assistants", "vision"}

// namedFile is a part of a request that names a file by id.
type namedFile struct {
	msg, part int
	ref       wire.FileRef
}

// namedFiles returns the parts of req that name a file by id; nil (and
// no allocation) when none does.
func namedFiles(req *llm.Request) []namedFile {
	var out []namedFile
	for i := range req.Messages {
		c := req.Messages[i].Content
		for j := range c {
			if c[j].Type != llm.PartOther {
				continue
			}
			if ref, ok := wire.FileRefOf(&c[j]); ok {
				out = append(out, namedFile{msg: i, part: j, ref: ref})
			}
		}
	}
	return out
}

// inlineFiles puts in req the bytes of each file it names by id that the
// caller's tenant holds (one read of each distinct file, all within
// fileReadTimeout); sent is the request body's length. The body and the
// files' data URLs (each time a file is named) must fit in the body
// limit (server.max_body_bytes) together, and the data URLs are taken
// from the server's in-flight byte budget (ReserveBytes). Errors: an
// image by a file id the router does not hold (Chat Completions takes
// none), a file of a purpose or type a model does not read, a request
// grown too large (413), the in-flight budget full (503), the store
// failing (503).
func (h *Handler) inlineFiles(ctx context.Context, req *llm.Request, sent int64) error {
	return h.inline(ctx, req, sent, false)
}

// InlineHeldFiles is inlineFiles for a request that may name only the
// router's files (the Messages API's: api/anthropic): a file by an id
// the router does not hold for the caller's tenant is refused, not
// passed on.
func (h *Handler) InlineHeldFiles(ctx context.Context, req *llm.Request, sent int64) error {
	return h.inline(ctx, req, sent, true)
}

// inline is inlineFiles, refusing every file not held when heldOnly.
func (h *Handler) inline(ctx context.Context, req *llm.Request, sent int64, heldOnly bool) error {
	named := namedFiles(req)
	if named == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, fileReadTimeout)
	defer cancel()
	in := inliner{h: h, ctx: ctx, limit: h.MaxBodyBytes, total: sent, read: map[string]*heldFile{}, messages: heldOnly}
	if in.limit <= 0 {
		in.limit = inbound.DefaultMaxBodyBytes
	}
	for _, n := range named {
		f, err := in.file(n.ref)
		if err != nil {
			return err
		}
		if f == nil {
			if heldOnly {
				return fileNotHeld(n.ref.ID)
			}
			if n.ref.Image {
				return imageNotHeld(n.ref.ID)
			}
			continue // not the router's: passed on as sent
		}
		p := &req.Messages[n.msg].Content[n.part]
		np, err := in.part(f, n.ref)
		if err != nil {
			return err
		}
		np.Extra.Cache = p.Cache()
		*p = np
		if in.total += int64(len(f.dataURL)); in.total > in.limit {
			return in.tooLarge(n.ref.ID)
		}
	}
	return in.reserve(in.total - sent)
}

// heldFile is a file of the caller's that a request names, its bytes as
// a data URL.
type heldFile struct {
	id, filename, mediaType, dataURL string
}

// inliner reads the files one request names.
type inliner struct {
	h   *Handler
	ctx context.Context
	// limit bounds the body and the files' data URLs; total counts them.
	limit, total int64
	// read holds each file read by id; nil for one not held.
	read map[string]*heldFile
	// messages reports a Messages API request (InlineHeldFiles), whose
	// files become its blocks' parts (messagesPart).
	messages bool
}

// file returns the held file ref names, read once; nil when the router
// does not hold it for the caller.
func (in *inliner) file(ref wire.FileRef) (*heldFile, error) {
	if f, ok := in.read[ref.ID]; ok {
		return f, nil
	}
	if in.h.Files == nil {
		in.read[ref.ID] = nil
		return nil, nil
	}
	room := max(in.limit-in.total, 0) / 4 * 3 // the raw bytes whose base64 still fits
	f, err := in.h.Files.Read(in.ctx, ref.ID, room)
	switch {
	case errors.Is(err, store.ErrFileNotFound):
		in.read[ref.ID] = nil
		return nil, nil
	case err != nil:
		return nil, storeError(err, "The file "+ref.ID, "The file "+ref.ID+" could not be read from the router's store; try again.")
	case f.Content == nil && f.Bytes > 0:
		return nil, in.tooLarge(ref.ID)
	}
	if !purposeReadable(f.Purpose) {
		return nil, fileRefused(ref.ID, "has purpose '%s'; a file a model reads must be uploaded with purpose 'user_data' (or 'assistants', or 'vision' for an image).", f.Purpose)
	}
	mt, claimed := inbound.SniffMediaType(f.Content, f.Filename)
	if claimed != "" {
		return nil, misnamed(f, claimed)
	}
	held := &heldFile{id: f.ID, filename: f.Filename, mediaType: mt, dataURL: dataURL(mt, f.Content)}
	in.read[ref.ID] = held
	return held, nil
}

// dataURL is content as a base64 data URL of mediaType, built in one
// allocation of its size: a file may be megabytes.
func dataURL(mediaType string, content []byte) string {
	var b strings.Builder
	b.Grow(len("data:;base64,") + len(mediaType) + base64.StdEncoding.EncodedLen(len(content)))
	b.WriteString("data:")
	b.WriteString(mediaType)
	b.WriteString(";base64,")
	enc := base64.NewEncoder(base64.StdEncoding, &b)
	enc.Write(content)
	enc.Close()
	return b.String()
}

// reserve takes n bytes, the data URLs put in the request (each time a
// file is named, as if sent), from the server's in-flight budget.
func (in *inliner) reserve(n int64) error {
	if n <= 0 || in.h.ReserveBytes == nil {
		return nil
	}
	return in.h.ReserveBytes(in.ctx, n)
}

func (in *inliner) tooLarge(id string) *llm.Error {
	return llm.Errorf(llm.KindTooLarge, "The request with the file %s it names (inlined as base64) is larger than the %d bytes this router accepts (server.max_body_bytes). Name smaller files, fewer of them, or raise the limit.", llm.Clip(id), in.limit)
}

// part is the part in place of one that names f as ref does: an image
// for an image (an image by file id must be one), a PDF's document or
// another file's bytes as chat's file part of them (named by the part's
// filename, else the file's).
func (f *heldFile) part(ref wire.FileRef) (llm.Part, error) {
	image := isImageType(f.mediaType)
	switch {
	case image:
		return llm.ImagePart(f.dataURL, ref.Detail), nil
	case ref.Image:
		return llm.Part{}, fileRefused(f.id, "is not an image (it is %s); send it in an 'input_file' part.", f.mediaType)
	}
	name := ref.Filename
	if name == "" {
		name = f.filename
	}
	return wire.FilePart(name, f.dataURL, ""), nil
}

// misnamed refuses a file whose name claims a PDF or an image its
// content is not (inbound.SniffMediaType): the provider would refuse
// its bytes.
func misnamed(f *store.File, claimed string) *llm.Error {
	what := "a PDF"
	if claimed != llm.MediaTypePDF {
		what = "a " + strings.ToUpper(strings.TrimPrefix(claimed, "image/")) + " image"
	}
	return fileRefused(f.ID, "is named %s but its content is not %s (nor any type the router recognizes): upload the file itself, or name it for what it is.", f.Filename, what)
}

// isImageType reports the image types every vision model takes.
func isImageType(mt string) bool {
	switch mt {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

func purposeReadable(p string) bool {
	for _, q := range inputPurposes {
		if p == q {
			return true
		}
	}
	return false
}

func fileRefused(id, format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "The file %s %s", llm.Clip(id), fmt.Sprintf(format, args...))
	e.Param = "file_id"
	return e
}

// fileNotHeld refuses a file by an id the router does not hold, where
// only its files may be named.
func fileNotHeld(id string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "No file %s was uploaded to this router (POST /v1/files) for your key's tenant, or it expired or was deleted: upload it here first, or send its bytes (source type 'base64'; for a document, 'text' too).", llm.Clip(id))
	e.Param = "file_id"
	return e
}

// imageNotHeld refuses an image by a file id the router does not hold:
// Chat Completions, which every upstream is reached through, has no
// image by file id.
func imageNotHeld(id string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "No file %s was uploaded to this router (POST /v1/files) for your key's tenant, and an image by file_id can only be one of those: send the image as an http(s) URL or a data: URL in 'image_url', or upload it here first.", llm.Clip(id))
	e.Param = "file_id"
	return e
}
