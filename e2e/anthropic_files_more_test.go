package e2e

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
)

// anthropic-sdk-go, unchanged, naming a file the router holds in the
// requests the Files API's first tests did not cover: a streamed
// Messages request (to a Claude and to an OpenAI deployment) and a
// Message Batch. The document block's title, context and citations
// travel with the file's bytes: Claude gets them in its document block,
// OpenAI reads the title and context before the file and no citations
// (as for a document sent by its bytes).

// titledFileDocument is a document block naming fileID, titled, with
// context and citations on.
func titledFileDocument(fileID string) sdk.ContentBlockParamUnion {
	b := sdk.NewDocumentBlock(sdk.FileDocumentSourceParam{FileID: fileID})
	b.OfDocument.Title = sdk.String("Q3 report")
	b.OfDocument.Context = sdk.String("From finance.")
	b.OfDocument.Citations = sdk.CitationsConfigParam{Enabled: sdk.Bool(true)}
	return b
}

// titledFileSent is what provider must have been sent for a
// titledFileDocument of pdf (base64), and what it must not.
func titledFileSent(provider, pdf string) (want, not []string) {
	if provider == "anthropic" {
		return []string{`"data":"` + pdf + `"`, `"title":"Q3 report"`, `"context":"From finance."`, `"citations":{"enabled":true}`}, nil
	}
	return []string{`"file_data":"data:application/pdf;base64,` + pdf + `"`, `"text":"Document title: Q3 report\nDocument context: From finance."`},
		[]string{`citations`}
}

func checkTitledFileSent(t *testing.T, provider, pdf, fileID, sent string) {
	t.Helper()
	want, not := titledFileSent(provider, pdf)
	for _, w := range want {
		if !strings.Contains(sent, w) {
			t.Errorf("%s was not sent %s: %.400s", provider, w, sent)
		}
	}
	for _, n := range append(not, fileID) {
		if strings.Contains(sent, n) {
			t.Errorf("%s was sent %s", provider, n)
		}
	}
}

func TestAnthropicSDKStreamedMessageFileID(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	c := anthropicClient(e, respKeyA)
	f := uploadAnthropicPDF(t, c)
	pdf := tinyPDF(t)
	for _, tc := range fileProviders[:2] {
		t.Run(tc.deployment, func(t *testing.T) {
			var hr *http.Response
			s := c.Messages.NewStreaming(ctxT(t), sdk.MessageNewParams{Model: sdk.Model(tc.deployment), MaxTokens: 200,
				Messages: []sdk.MessageParam{sdk.NewUserMessage(titledFileDocument(f.ID), sdk.NewTextBlock("Summarize this document."))}},
				sdkoption.WithResponseInto(&hr))
			var msg sdk.Message
			events := 0
			for s.Next() {
				if err := msg.Accumulate(s.Current()); err != nil {
					t.Fatal(err)
				}
				events++
			}
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
			if events < 4 || msg.StopReason != sdk.StopReasonEndTurn || len(msg.Content) == 0 || msg.Content[0].Text == "" ||
				hr.Header.Get("x-switchyard-deployment") != tc.deployment {
				t.Fatalf("%d events, message %s from %q", events, msg.RawJSON(), hr.Header.Get("x-switchyard-deployment"))
			}
			sent := ul.last(t, tc.provider)
			if !strings.Contains(sent, `"stream":true`) {
				t.Errorf("%s was not asked to stream: %.200s", tc.provider, sent)
			}
			checkTitledFileSent(t, tc.provider, pdf, f.ID, sent)
		})
	}
}

// A Message Batch whose requests name a held file: those run on the
// router (with the file's bytes, title and context, as live requests
// would be sent), never in a provider batch, whose provider does not
// know the router's files; the batch's other request is forwarded to
// Anthropic's Message Batches as usual; every result is the answer.
func TestAnthropicSDKMessageBatchFileID(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Batches.PollInterval = 100 * time.Millisecond
	})
	c := anthropicClient(e, respKeyA)
	f := uploadAnthropicPDF(t, c)
	pdf := tinyPDF(t)
	withFile := func(id, model string) sdk.MessageBatchNewParamsRequest {
		return sdk.MessageBatchNewParamsRequest{CustomID: id, Params: sdk.MessageBatchNewParamsRequestParams{
			Model: sdk.Model(model), MaxTokens: 100,
			Messages: []sdk.MessageParam{sdk.NewUserMessage(titledFileDocument(f.ID), sdk.NewTextBlock("Summarize this document."))}}}
	}
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		withFile("file-claude", "claude-haiku-4-5"), withFile("file-openai", "gpt-4o-mini"),
		batchItem("plain", "claude-haiku-4-5", "Capital of Peru?"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if done := awaitMessageBatch(t, c, created.ID); done.RequestCounts.Succeeded != 3 {
		t.Fatalf("ended = %s", done.RawJSON())
	}
	if n := simBatchesOf(t, e.SimAddr, "anthropic", nil); n.Created != 1 || n.Lines != 1 {
		t.Errorf("Anthropic saw %+v, want one batch of the request naming no file", n)
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 0 {
		t.Errorf("OpenAI saw %+v, want no batch: the gpt-4o-mini request names a held file", n)
	}
	results := messageResults(t, c, created.ID)
	for _, id := range []string{"file-claude", "file-openai", "plain"} {
		m := results[id].Result.Message
		if results[id].Result.Type != "succeeded" || len(m.Content) == 0 || m.Content[0].Text == "" || m.Usage.OutputTokens == 0 {
			t.Errorf("result %s = %s", id, results[id].RawJSON())
		}
	}
	for _, provider := range []string{"anthropic", "openai"} {
		var live []string
		for _, body := range ul.all(provider) {
			if strings.Contains(body, f.ID) {
				t.Errorf("%s was sent the router's file id: %.300s", provider, body)
			}
			if strings.Contains(body, pdf) {
				live = append(live, body)
			}
		}
		if len(live) != 1 {
			t.Fatalf("%s was sent the file %d times, want once (live, from the router)", provider, len(live))
		}
		if strings.Contains(live[0], `"requests"`) {
			t.Errorf("%s got the file in a batch: %.300s", provider, live[0])
		}
		checkTitledFileSent(t, provider, pdf, f.ID, live[0])
	}
}

// The mime_type anthropic-sdk-go reads back is the content's, sniffed at
// the upload: a PDF uploaded as "scan.txt" (text/plain said) is
// application/pdf in the upload's answer, its metadata and the list.
func TestAnthropicSDKFileMimeTypeSniffed(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	c := anthropicClient(e, respKeyA)
	b, err := os.ReadFile("testdata/tiny.pdf")
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Beta.Files.Upload(ctxT(t), sdk.BetaFileUploadParams{File: sdk.File(bytes.NewReader(b), "scan.txt", "text/plain")})
	if err != nil || f.MimeType != "application/pdf" {
		t.Fatalf("upload: %+v, %v", f, err)
	}
	if meta, err := c.Beta.Files.GetMetadata(ctxT(t), f.ID, sdk.BetaFileGetMetadataParams{}); err != nil || meta.MimeType != "application/pdf" {
		t.Errorf("metadata: %+v, %v", meta, err)
	}
	if page, err := c.Beta.Files.List(ctxT(t), sdk.BetaFileListParams{}); err != nil || len(page.Data) != 1 || page.Data[0].MimeType != "application/pdf" {
		t.Errorf("list: %+v, %v", page, err)
	}
}
