package server

import (
	"context"
	"errors"

	"switchyard/llm"
	"switchyard/store"
	wireopenai "switchyard/wire/openai"
)

// namesHeldFile reports whether req names by id a file that the router
// holds for the caller of ctx, or an image by file id (which only the
// router can resolve): such a line runs on the router, where the API
// handler puts the file's bytes in it, never in a provider batch, whose
// provider does not know the router's files. A file the router does not
// hold (one uploaded straight to OpenAI) leaves the line as it was. A
// store that cannot say keeps the line on the router too.
func namesHeldFile(ctx context.Context, files *fileStore, req *llm.Request) bool {
	for i := range req.Messages {
		c := req.Messages[i].Content
		for j := range c {
			ref, ok := wireopenai.FileRefOf(&c[j])
			switch {
			case !ok || files == nil && !ref.Image:
				continue
			case ref.Image:
				return true
			}
			if _, err := files.Get(ctx, ref.ID); !errors.Is(err, store.ErrFileNotFound) {
				return true
			}
		}
	}
	return false
}
