package e2e

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/openai/openai-go/v3"
)

// The Uploads API with openai-go, unchanged: a batch input uploaded in
// three parts sent at once, in reverse order, completed in order with its
// md5 into a file that a batch runs on at once (through the simulators);
// another tenant's upload not found; a cancelled upload taking no part;
// a declared size past batches.max_file_bytes refused; on both store
// back ends.
func TestUploadsAPI(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			e, _ := storedEnv(t, b.open(t), localBatches)
			c, other := e.Client, e.clientWith(respKeyB)
			input := chatLine("one", "gpt-4o-mini", "Capital of Peru?") + chatLine("two", "claude-haiku-4-5", "Capital of Chile?") +
				chatLine("three", "gpt-4o-mini", "Capital of Bolivia?")
			up, err := c.Uploads.New(ctxT(t), openai.UploadNewParams{Bytes: int64(len(input)), Filename: "input.jsonl",
				MimeType: "text/jsonl", Purpose: openai.FilePurposeBatch})
			if err != nil || !strings.HasPrefix(up.ID, "upload_") || up.Status != openai.UploadStatusPending || up.ExpiresAt-up.CreatedAt != 3600 ||
				up.Bytes != int64(len(input)) || up.Filename != "input.jsonl" || up.Purpose != "batch" {
				t.Fatalf("create = %+v, %v", up, err)
			}
			// Cut mid-line, so only the order listed makes the input.
			chunks := []string{input[:50], input[50:170], input[170:]}
			ids := uploadParts(t, c, up.ID, chunks)
			sum := md5.Sum([]byte(input))
			done, err := c.Uploads.Complete(ctxT(t), up.ID, openai.UploadCompleteParams{PartIDs: ids, Md5: openai.String(hex.EncodeToString(sum[:]))})
			if err != nil || done.Status != openai.UploadStatusCompleted || !strings.HasPrefix(done.File.ID, "file-") ||
				done.File.Bytes != int64(len(input)) || done.File.Purpose != "batch" || done.File.Filename != "input.jsonl" {
				t.Fatalf("complete = %+v, %v", done, err)
			}
			batch, err := c.Batches.New(ctxT(t), openai.BatchNewParams{InputFileID: done.File.ID, Endpoint: openai.BatchNewParamsEndpointV1ChatCompletions,
				CompletionWindow: openai.BatchNewParamsCompletionWindow24h})
			if err != nil {
				t.Fatalf("a batch of the uploaded file: %v", err)
			}
			ran := awaitBatch(t, c, batch.ID, openai.BatchStatusCompleted)
			out := fileLines(t, c, ran.OutputFileID)
			for _, id := range []string{"one", "two", "three"} {
				if status, body, _ := lineBody(out[id]); status != 200 || body["object"] != "chat.completion" {
					t.Errorf("output line %s = %v", id, out[id])
				}
			}
			if ran.RequestCounts.Total != 3 || ran.RequestCounts.Completed != 3 {
				t.Errorf("the batch's counts = %+v", ran.RequestCounts)
			}
			checkUploadRefusals(t, c, other)
		})
	}
}

// uploadParts sends chunks as parts of the upload id, all at once, the
// last started first, and returns their ids in the chunks' order.
func uploadParts(t *testing.T, c openai.Client, id string, chunks []string) []string {
	t.Helper()
	ids := make([]string, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i := len(chunks) - 1; i >= 0; i-- {
		wg.Go(func() {
			p, err := c.Uploads.Parts.New(ctxT(t), id, openai.UploadPartNewParams{Data: bytes.NewReader([]byte(chunks[i]))})
			if err == nil && (p.Object != "upload.part" || p.UploadID != id || !strings.HasPrefix(p.ID, "part_") || p.CreatedAt == 0) {
				err = errors.New("part = " + p.RawJSON())
			}
			ids[i], errs[i] = p.ID, err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("parts: %v", err)
	}
	return ids
}

// checkUploadRefusals: another tenant's upload is not found; a cancelled
// upload takes no part; a size past batches.max_file_bytes is refused at
// creation.
func checkUploadRefusals(t *testing.T, c, other openai.Client) {
	t.Helper()
	up, err := c.Uploads.New(ctxT(t), openai.UploadNewParams{Bytes: 4, Filename: "x.jsonl", MimeType: "text/jsonl", Purpose: openai.FilePurposeBatch})
	if err != nil {
		t.Fatal(err)
	}
	_, err = other.Uploads.Parts.New(ctxT(t), up.ID, openai.UploadPartNewParams{Data: strings.NewReader("abcd")})
	wantAPIError(t, "another tenant's part", err, 404, "")
	_, err = other.Uploads.Cancel(ctxT(t), up.ID)
	wantAPIError(t, "another tenant's cancel", err, 404, "")
	if got, err := c.Uploads.Cancel(ctxT(t), up.ID); err != nil || got.Status != openai.UploadStatusCancelled {
		t.Fatalf("cancel = %+v, %v", got, err)
	}
	_, err = c.Uploads.Parts.New(ctxT(t), up.ID, openai.UploadPartNewParams{Data: strings.NewReader("abcd")})
	wantAPIError(t, "a part of a cancelled upload", err, 400, "")
	_, err = c.Uploads.New(ctxT(t), openai.UploadNewParams{Bytes: 1 << 40, Filename: "big.jsonl", MimeType: "text/jsonl", Purpose: openai.FilePurposeBatch})
	wantAPIError(t, "a terabyte upload", err, 400, "file_too_large")
}
