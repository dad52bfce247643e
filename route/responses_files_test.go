package route

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestResponsesFileParts checks which deployments called on the
// Responses API take the files a request carries, which they send as
// input_file: a file by id each of them (OpenAI and Azure resolve their
// own), a non-PDF file by its bytes of a type OpenAI reads (file_data)
// OpenAI's but not Azure's (whose Responses API documents PDFs alone),
// and so a document by URL (file_url, which OpenAI fetches); any other
// part (input_audio) none of them.
func TestResponsesFileParts(t *testing.T) {
	cfg, err := config.Parse([]byte(responsesFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	responsesDeps := []string{"pro", "forced", "azv1"}
	tests := []struct {
		name     string
		needs    Needs
		rejected map[string]Reason
	}{
		{"file by id", NeedFileID, nil},
		{"file by bytes", NeedFileData, map[string]Reason{"azv1": ReasonOtherParts}},
		{"input_audio", NeedOtherParts, map[string]Reason{"pro": ReasonOtherParts, "forced": ReasonOtherParts, "azv1": ReasonOtherParts}},
		{"document by URL", NeedDocumentURL, map[string]Reason{"azv1": ReasonDocumentURL}},
	}
	for _, tt := range tests {
		plan := mustPlan(t, p, req("all", llm.CategoryChat, func(in *Input) { in.Features.Needs = tt.needs }))
		for _, dep := range responsesDeps {
			r := findRejection(plan, dep)
			switch {
			case tt.rejected[dep] != "" && (r == nil || r.Reason != tt.rejected[dep]):
				t.Errorf("%s: %s rejection %+v, want %s", tt.name, dep, r, tt.rejected[dep])
			case tt.rejected[dep] == "" && r != nil:
				t.Errorf("%s: %s rejected %+v, want it planned", tt.name, dep, r)
			}
		}
	}
}

// TestFileDataCallsResponses: a non-PDF file by its bytes (NeedFileData),
// which Chat Completions refuses (it reads PDFs alone), is planned on an
// OpenAI deployment whose api is auto (called on the Responses API for
// it, as openai.CallsResponses says) and passed over where the
// deployment would be called on Chat Completions (api chat_completions,
// an Azure deployment route) or on Azure's Responses API (PDFs alone).
func TestFileDataCallsResponses(t *testing.T) {
	cfg, err := config.Parse([]byte(responsesFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, req("all", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedFileData }))
	for _, dep := range []string{"pro", "plain", "forced", "lp"} {
		if r := findRejection(plan, dep); r != nil || !strings.Contains(order(plan), dep) {
			t.Errorf("%s rejected %+v, want it planned", dep, r)
		}
	}
	for _, dep := range []string{"chat", "azdep", "azv1"} {
		if r := findRejection(plan, dep); r == nil || r.Reason != ReasonOtherParts {
			t.Errorf("%s rejection %+v, want content_parts", dep, r)
		}
	}
}
