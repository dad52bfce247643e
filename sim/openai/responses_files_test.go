package openai

import "testing"

// An input_file naming a file by file_id with a filename beside it is
// found wherever it stands (a message's content, a function call's
// output); a file_id alone, or a filename with file_data, is not.
func TestFileIDWithFilename(t *testing.T) {
	for body, want := range map[string]string{
		`{"input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_file","file_id":"f","filename":"r.pdf"}]}]}`:                                                                      "input[0].content[1]",
		`{"input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_file","file_id":"f","filename":"r.pdf"}]}]}`:       "input[1].output[0]",
		`{"input":[{"type":"function_call_output","call_id":"c","output":[{"type":"input_file","file_id":"f"},{"type":"input_file","filename":"r.pdf","file_data":"data:application/pdf;base64,JVBERi0="}]}]}`: "",
		`{"input":"hi"}`: "",
		`{"input":[{"type":"function_call_output","call_id":"c","output":"x"}]}`: "",
	} {
		if got := fileIDWithFilename([]byte(body)); got != want {
			t.Errorf("%s: %q, want %q", body, got, want)
		}
	}
}
