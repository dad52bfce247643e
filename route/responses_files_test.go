package route

import (
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
