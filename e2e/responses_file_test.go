package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// PDFs on the Responses API with openai-go, unchanged: an input_file
// reaches each provider kind as chat's file part does (an OpenAI-format
// upstream a file part, Claude a document block, Gemini inline data),
// is sent again when a stored conversation is continued; a file by id
// or by URL is routed as chat and Anthropic's Messages route them.

// fileInput is one user message: part, then a question.
func fileInput(part responses.ResponseInputFileParam) responses.ResponseNewParamsInputUnion {
	content := responses.ResponseInputMessageContentListParam{
		{OfInputFile: &part},
		{OfInputText: &responses.ResponseInputTextParam{Text: "Summarize this document in two sentences."}},
	}
	return responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{{
		OfMessage: &responses.EasyInputMessageParam{Role: responses.EasyInputMessageRoleUser,
			Content: responses.EasyInputMessageContentUnionParam{OfInputItemContentList: content}}}}}
}

func pdfFile(pdf string) responses.ResponseInputFileParam {
	return responses.ResponseInputFileParam{Filename: openai.String("tiny.pdf"), FileData: openai.String("data:application/pdf;base64," + pdf)}
}

func TestResponsesPDFEveryProvider(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	pdf := tinyPDF(t)
	for _, tc := range []struct {
		deployment, provider string
		sent                 []string
	}{
		{"gpt-4o-mini", "openai", []string{`{"type":"file","file":{"filename":"tiny.pdf","file_data":"data:application/pdf;base64,` + pdf + `"}}`}},
		{"claude-haiku-4-5", "anthropic", []string{`"type":"document"`, `"title":"tiny.pdf"`, `"media_type":"application/pdf"`, `"data":"` + pdf + `"`}},
		{"gemini-2.5-flash", "gemini", []string{`"inlineData":{"mimeType":"application/pdf","data":"` + pdf + `"}`}},
	} {
		t.Run(tc.deployment, func(t *testing.T) {
			var hr *http.Response
			resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: tc.deployment, Input: fileInput(pdfFile(pdf))},
				option.WithResponseInto(&hr))
			if err != nil {
				t.Fatal(err)
			}
			if resp.OutputText() == "" || hr.Header.Get("x-switchyard-deployment") != tc.deployment {
				t.Fatalf("answer %q from %q", resp.OutputText(), hr.Header.Get("x-switchyard-deployment"))
			}
			if tc.provider == "anthropic" && !strings.HasPrefix(resp.OutputText(), claudeReadTiny) {
				t.Errorf("Claude's answer %q, want its reading of the PDF %q", resp.OutputText(), claudeReadTiny)
			}
			sent := ul.last(t, tc.provider)
			for _, want := range tc.sent {
				if !strings.Contains(sent, want) {
					t.Errorf("%s was not sent %s", tc.provider, want)
				}
			}
		})
	}
}

// A stored conversation holding a PDF, continued on another provider,
// sends the document again.
func TestResponsesPDFStoredContinuation(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	pdf := tinyPDF(t)
	first, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "claude-haiku-4-5", Input: fileInput(pdfFile(pdf))})
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gemini-2.5-flash",
		PreviousResponseID: openai.String(first.ID), Input: inputText("And its title?")})
	if err != nil {
		t.Fatal(err)
	}
	sent := ul.last(t, "gemini")
	for _, want := range []string{`"inlineData":{"mimeType":"application/pdf","data":"` + pdf + `"}`, first.OutputText()[:20], "And its title?"} {
		if !strings.Contains(sent, want) {
			t.Errorf("the continuation did not send Gemini %.80q", want)
		}
	}
	items, err := e.Client.Responses.InputItems.List(ctxT(t), second.ID, responses.InputItemListParams{Order: responses.InputItemListParamsOrderAsc})
	if err != nil {
		t.Fatal(err)
	}
	if len(items.Data) != 3 || !strings.Contains(items.Data[0].RawJSON(), `"type":"input_file"`) || !strings.Contains(items.Data[0].RawJSON(), `"filename":"tiny.pdf"`) {
		t.Errorf("input items: %d, first %s", len(items.Data), items.Data[0].RawJSON())
	}
}

// A file by file_id is OpenAI's, read only by OpenAI-format deployments:
// sent to them as chat's file part, passed over on a route, the router's
// 400 when Gemini is named. A file by URL goes to Claude only. A
// malformed data URL is a 400 naming file_data.
func TestResponsesFileRouting(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	atOpenAI := uploadPDF(t, openAIDirect(e)).ID // OpenAI's, not the router's
	byID := fileInput(responses.ResponseInputFileParam{FileID: openai.String(atOpenAI)})
	if _, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: byID}); err != nil {
		t.Fatal(err)
	}
	if sent := ul.last(t, "openai"); !strings.Contains(sent, `{"type":"file","file":{"file_id":"`+atOpenAI+`"}}`) {
		t.Errorf("OpenAI was sent %s", sent)
	}
	_, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gemini-2.5-flash", Input: byID})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "only OpenAI and Azure deployments resolve one") {
		t.Errorf("a file by id pinned to gemini: %v, want the router's 400 naming why", err)
	}
	var hr *http.Response
	for range 5 {
		if _, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "auto", Input: byID}, option.WithResponseInto(&hr)); err != nil {
			t.Fatal(err)
		}
		if dep := hr.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "gemini") || strings.HasPrefix(dep, "claude") {
			t.Errorf("a file by id went to %s", dep)
		}
	}

	byURL := fileInput(responses.ResponseInputFileParam{FileURL: openai.String("https://example.com/report.pdf")})
	resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "auto", Input: byURL}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if dep := hr.Header.Get("x-switchyard-deployment"); dep != "claude-haiku-4-5" || !strings.Contains(resp.OutputText(), "https://example.com/report.pdf") {
		t.Errorf("a file by URL on auto: from %q, %q; want claude's reading", dep, resp.OutputText())
	}
	if sent := ul.last(t, "anthropic"); !strings.Contains(sent, `"source":{"type":"url","url":"https://example.com/report.pdf"}`) {
		t.Errorf("Claude was sent %s", sent)
	}
	_, err = e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: byURL})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "takes no document by URL") {
		t.Errorf("a file by URL pinned to gpt-4o-mini: %v, want a 400 naming why", err)
	}

	bad := fileInput(responses.ResponseInputFileParam{FileData: openai.String("JVBERi0xLjQK")})
	_, err = e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "auto", Input: bad})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "input[0].content[0].file_data" || apiErr.Type != "invalid_request_error" {
		t.Errorf("bare base64 in file_data: %v (param %q), want a 400 on input[0].content[0].file_data", err, paramOf(apiErr))
	}
}
