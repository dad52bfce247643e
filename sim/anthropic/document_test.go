package anthropic

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// A PDF document block, sent by the official SDK: the simulated model
// says it read it (title, pages) before its answer, complete and streamed;
// a block the API refuses is a 400 in the API's words.
func TestSDKDocument(t *testing.T) {
	raw, err := os.ReadFile("testdata/tiny.pdf")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := sdkClient(t)
	doc := sdk.ContentBlockParamUnion{OfDocument: &sdk.DocumentBlockParam{
		Source: sdk.DocumentBlockParamSourceUnion{OfBase64: &sdk.Base64PDFSourceParam{Data: base64.StdEncoding.EncodeToString(raw)}},
		Title:  sdk.String("Tiny"),
	}}
	params := sdk.MessageNewParams{
		Model: sdk.Model(model), MaxTokens: 256,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(doc, sdk.NewTextBlock("Summarize the document."))},
	}
	const want = `I read the document "Tiny" (PDF, 1 page).`
	msg, err := c.Messages.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Content) != 1 || !strings.HasPrefix(msg.Content[0].Text, want) {
		t.Errorf("answer %+v, want it to start %q", msg.Content, want)
	}

	stream := c.Messages.NewStreaming(context.Background(), params)
	var acc sdk.Message
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	stream.Close()
	if len(acc.Content) != 1 || !strings.HasPrefix(acc.Content[0].Text, want) {
		t.Errorf("streamed answer %+v, want it to start %q", acc.Content, want)
	}

	doc.OfDocument.Source.OfBase64.Data = base64.StdEncoding.EncodeToString([]byte("not a pdf"))
	params.Messages = []sdk.MessageParam{sdk.NewUserMessage(doc, sdk.NewTextBlock("Summarize the document."))}
	_, err = c.Messages.New(context.Background(), params)
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "messages.0.content.0.pdf.source.base64.data: The PDF specified was not valid.") {
		t.Errorf("a block that is not a PDF: %v", err)
	}
}

func TestPDFPages(t *testing.T) {
	three := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 /Type /Pages /Kids [] /Type /Page /Type/Page\n/Type /Page>>"))
	if n := pdfPages(three); n != 3 {
		t.Errorf("pages = %d, want 3", n)
	}
	if n := pdfPages("!!"); n != 1 {
		t.Errorf("pages of bad base64 = %d, want 1", n)
	}
}
