package e2e

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
)

// anthropic-sdk-go's Files code, unchanged, against the router: a PDF
// uploaded with client.Beta.Files, listed (auto-paging), read and named
// by its file_id in a document block of client.Beta.Messages, which
// reaches a Claude, an OpenAI and a Gemini deployment with its bytes (an
// image in an image block too).
// The file is the OpenAI Files API's too (one store, one id space), and
// another tenant's key finds none of it.

func uploadAnthropicPDF(t *testing.T, c sdk.Client) *sdk.BetaFileMetadata {
	t.Helper()
	b, err := os.ReadFile("testdata/tiny.pdf")
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Beta.Files.Upload(ctxT(t), sdk.BetaFileUploadParams{File: sdk.File(bytes.NewReader(b), "tiny.pdf", "application/pdf")})
	if err != nil {
		t.Fatal(err)
	}
	if f.Filename != "tiny.pdf" || f.MimeType != "application/pdf" || f.SizeBytes != int64(len(b)) || f.Downloadable || f.CreatedAt.IsZero() || f.Type != "file" {
		t.Fatalf("uploaded %+v", f)
	}
	return f
}

func TestAnthropicSDKFiles(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	c := anthropicClient(e, respKeyA)
	var uploaded []string
	for range 3 {
		uploaded = append(uploaded, uploadAnthropicPDF(t, c).ID)
	}
	// Auto-paging two at a time walks every file, newest first.
	pager := c.Beta.Files.ListAutoPaging(ctxT(t), sdk.BetaFileListParams{Limit: sdk.Int(2)})
	var listed []string
	for pager.Next() {
		listed = append(listed, pager.Current().ID)
	}
	if err := pager.Err(); err != nil || strings.Join(listed, ",") != strings.Join([]string{uploaded[2], uploaded[1], uploaded[0]}, ",") {
		t.Fatalf("listed %v (%v), want %v newest first", listed, err, uploaded)
	}
	meta, err := c.Beta.Files.GetMetadata(ctxT(t), uploaded[0], sdk.BetaFileGetMetadataParams{})
	if err != nil || meta.ID != uploaded[0] || meta.Filename != "tiny.pdf" {
		t.Fatalf("metadata %+v, %v", meta, err)
	}
	// Uploaded files are not downloadable, as on Anthropic's API.
	_, err = c.Beta.Files.Download(ctxT(t), uploaded[0], sdk.BetaFileDownloadParams{})
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Errorf("download of an upload: %v, want a 400", err)
	}
	// One id space: the OpenAI Files API sees the same file.
	oc := e.clientWith(respKeyA)
	if f, err := oc.Files.Get(ctxT(t), uploaded[0]); err != nil || f.Purpose != openai.FileObjectPurposeUserData {
		t.Errorf("through the OpenAI API: %+v, %v", f, err)
	}
	// Another tenant finds none of them.
	other := anthropicClient(e, respKeyB)
	if _, err := other.Beta.Files.GetMetadata(ctxT(t), uploaded[0], sdk.BetaFileGetMetadataParams{}); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("another tenant's file: %v, want a 404", err)
	}
	if page, err := other.Beta.Files.List(ctxT(t), sdk.BetaFileListParams{}); err != nil || len(page.Data) != 0 {
		t.Errorf("another tenant's list: %+v, %v", page, err)
	}
	deleted, err := c.Beta.Files.Delete(ctxT(t), uploaded[2], sdk.BetaFileDeleteParams{})
	if err != nil || deleted.ID != uploaded[2] || deleted.Type != "file_deleted" {
		t.Fatalf("delete: %+v, %v", deleted, err)
	}
	if _, err := c.Beta.Files.GetMetadata(ctxT(t), uploaded[2], sdk.BetaFileGetMetadataParams{}); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("a deleted file: %v, want a 404", err)
	}
}

func fileDocumentMessage(model, fileID string) sdk.BetaMessageNewParams {
	return sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 200,
		Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(
			sdk.NewBetaDocumentBlock(sdk.BetaFileDocumentSourceParam{FileID: fileID}),
			sdk.NewBetaTextBlock("Summarize this document in two sentences."))}}
}

func TestAnthropicSDKMessagesFileIDEveryProvider(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	c := anthropicClient(e, respKeyA)
	f := uploadAnthropicPDF(t, c)
	pdf := tinyPDF(t)
	png, err := c.Beta.Files.Upload(ctxT(t), sdk.BetaFileUploadParams{File: sdk.File(bytes.NewReader(tinyPNG(t)), "dot.png", "image/png")})
	if err != nil || png.MimeType != "image/png" {
		t.Fatalf("image upload: %+v, %v", png, err)
	}
	pngB64 := base64.StdEncoding.EncodeToString(tinyPNG(t))
	imageSent := map[string]string{
		"openai":    `"url":"data:image/png;base64,` + pngB64 + `"`,
		"anthropic": `"data":"` + pngB64 + `"`,
		"gemini":    `"inlineData":{"mimeType":"image/png","data":"` + pngB64 + `"}`,
	}
	for _, tc := range fileProviders {
		t.Run(tc.deployment, func(t *testing.T) {
			var hr *http.Response
			msg, err := c.Beta.Messages.New(ctxT(t), fileDocumentMessage(tc.deployment, f.ID), sdkoption.WithResponseInto(&hr))
			if err != nil {
				t.Fatal(err)
			}
			if len(msg.Content) == 0 || msg.Content[0].Text == "" || hr.Header.Get("x-switchyard-deployment") != tc.deployment {
				t.Fatalf("answer %+v from %q", msg.Content, hr.Header.Get("x-switchyard-deployment"))
			}
			sent := ul.last(t, tc.provider)
			for _, want := range pdfSent(tc.provider, pdf) {
				if tc.provider == "openai" {
					want = `"file_data":"data:application/pdf;base64,` + pdf + `"`
				}
				if !strings.Contains(sent, want) {
					t.Errorf("%s was not sent %s", tc.provider, want)
				}
			}
			if strings.Contains(sent, f.ID) {
				t.Errorf("%s was sent the router's file id", tc.provider)
			}
			image := sdk.BetaMessageNewParams{Model: sdk.Model(tc.deployment), MaxTokens: 100,
				Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(
					sdk.NewBetaImageBlock(sdk.BetaFileImageSourceParam{FileID: png.ID}),
					sdk.NewBetaTextBlock("What is in this picture?"))}}
			if _, err := c.Beta.Messages.New(ctxT(t), image); err != nil {
				t.Fatalf("image by file_id: %v", err)
			}
			if sent := ul.last(t, tc.provider); !strings.Contains(sent, imageSent[tc.provider]) {
				t.Errorf("image by file_id: %s was not sent %s: %.300s", tc.provider, imageSent[tc.provider], sent)
			}
		})
	}
	// An id the router does not hold for the caller is refused, never
	// routed: another tenant's.
	oc := anthropicClient(e, respKeyB)
	_, err = oc.Beta.Messages.New(ctxT(t), fileDocumentMessage("claude-haiku-4-5", f.ID))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "invalid_request_error") {
		t.Errorf("another tenant's file id: %v, want a 400 invalid_request_error", err)
	}
}
