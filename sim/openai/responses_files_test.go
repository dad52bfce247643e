package openai

import (
	"context"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// An input_file naming a file by file_id with a filename beside it is
// found wherever it stands (a message's content, a function call's
// output); a file_id alone, or a filename with file_data, is not.
func TestFileIDWithFilename(t *testing.T) {
	for body, want := range map[string]string{
		`{"input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_file","file_id":"f","filename":"r.pdf"}]}]}`:                                                                      "input[0].content[1]",
		`{"input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_file","file_id":"f","filename":"r.pdf"}]}]}`:       "input[1].output[0]",
		`{"input":[{"type":"function_call_output","call_id":"c","output":[{"type":"input_file","file_id":"f"},{"type":"input_file","filename":"r.pdf","file_data":"data:application/pdf;base64,JVBERi0="}]}]}`: "",
		`{"input":[{"role":"user","content":[{"type":"input_file","file_url":"https://x/r.pdf","filename":"r.pdf"}]}]}`:                                                                                        "input[0].content[0]",
		`{"input":[{"role":"user","content":[{"type":"input_file","file_url":"https://x/r.pdf"}]}]}`:                                                                                                           "",
		`{"input":"hi"}`: "",
		`{"input":[{"type":"function_call_output","call_id":"c","output":"x"}]}`: "",
	} {
		if got := fileIDWithFilename([]byte(body)); got != want {
			t.Errorf("%s: %q, want %q", body, got, want)
		}
	}
}

// The Responses API reads text, code, documents and spreadsheets in an
// input_file and refuses an image or audio there, in OpenAI's words,
// whether the file comes by its bytes (typed by its filename, else its
// data URL) or by the id of an uploaded file.
func TestResponsesFileTypes(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	c := sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	ids := map[string]string{}
	for _, name := range []string{"notes.md", "photo.png"} {
		f, err := c.Files.New(context.Background(), sdk.FileNewParams{File: sdk.File(strings.NewReader("x"), name, "application/octet-stream"), Purpose: sdk.FilePurposeUserData})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = f.ID
	}
	input := func(part string) string {
		return `{"model":"gpt-sim","input":[{"role":"user","content":[{"type":"input_text","text":"Summarize."},` + part + `]}]}`
	}
	for part, want := range map[string]string{
		`{"type":"input_file","filename":"a.csv","file_data":"data:text/csv;base64,YSxi"}`:                  "",
		`{"type":"input_file","file_data":"data:text/plain;base64,YSxi"}`:                                   "",
		`{"type":"input_file","filename":"a.docx","file_data":"data:application/octet-stream;base64,YSxi"}`: "",
		`{"type":"input_file","filename":"a.png","file_data":"data:image/png;base64,iVBORw0K"}`:             "but got .png.",
		`{"type":"input_file","file_data":"data:audio/mpeg;base64,SUQz"}`:                                   "but got .mp3.",
		`{"type":"input_file","file_id":"` + ids["notes.md"] + `"}`:                                         "",
		`{"type":"input_file","file_id":"` + ids["photo.png"] + `"}`:                                        "but got .png.",
	} {
		status, _, body := do(t, hc, "POST", url+"/v1/responses", input(part), bearer)
		switch {
		case want == "" && status != 200:
			t.Errorf("%s: %d %s", part, status, body)
		case want != "" && (status != 400 || !strings.Contains(body, "Invalid input: Expected context stuffing file type to be a supported format: .art, .bat,") || !strings.Contains(body, want)):
			t.Errorf("%s: %d %s, want 400 ending %q", part, status, body, want)
		}
	}
}
