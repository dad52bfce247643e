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
// OpenAI's but not Azure's (whose Responses API documents PDFs alone);
// any other part (input_audio) none of them.
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
		rejected map[string]bool
	}{
		{"file by id", NeedFileID, nil},
		{"file by bytes", NeedFileData, map[string]bool{"azv1": true}},
		{"input_audio", NeedOtherParts, map[string]bool{"pro": true, "forced": true, "azv1": true}},
	}
	for _, tt := range tests {
		plan := mustPlan(t, p, req("all", llm.CategoryChat, func(in *Input) { in.Features.Needs = tt.needs }))
		for _, dep := range responsesDeps {
			r := findRejection(plan, dep)
			switch {
			case tt.rejected[dep] && (r == nil || r.Reason != ReasonOtherParts):
				t.Errorf("%s: %s rejection %+v, want content_parts", tt.name, dep, r)
			case !tt.rejected[dep] && r != nil:
				t.Errorf("%s: %s rejected %+v, want it planned", tt.name, dep, r)
			}
		}
	}
}
