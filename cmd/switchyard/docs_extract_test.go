package main

import (
	"reflect"
	"testing"
)

// TestShellCommandsOfBlock: the shell reading the example tests rely on
// joins continued lines and open quotes, undoes quoting, drops comments,
// prompts, redirections and assignments, splits lists and keeps the
// comment or console output under a command as its documented answer.
func TestShellCommandsOfBlock(t *testing.T) {
	b := docBlock{lang: "console", text: "$ curl -s localhost:8080/v1/x -d '{\"a\":\n  1}' \\\n   -H \"X: \\\"q\\\"\" > out.json  # note\n{\"error\": {\"code\": \"c\"}}\nplain output\n\n$ A=1 switchyard report --json 2>/dev/null | jq . && echo done\n"}
	var got []shellCommand
	for _, line := range shellLines(b) {
		for _, c := range splitCommands(shellWords(line.text)) {
			got = append(got, shellCommand{words: c.words, stdout: c.stdout, answer: line.answer})
		}
	}
	want := []shellCommand{
		{words: []string{"curl", "-s", "localhost:8080/v1/x", "-d", "{\"a\":\n  1}", "-H", `X: "q"`}, stdout: "out.json", answer: "{\"error\": {\"code\": \"c\"}}\nplain output\n"},
		{words: []string{"switchyard", "report", "--json"}},
		{words: []string{"jq", "."}},
		{words: []string{"echo", "done"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// TestDecodeSample: a sample's elisions are read as nothing, a bare
// field is read inside braces, and JSON that is wrong stays an error.
func TestDecodeSample(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int // values, -1: an error
	}{
		{`{"a": {…}, "b": [...], "c": [1, …]}`, 1},
		{`"learned": {"p": 1}`, 1},
		{"{\"a\": 1}\n{\"a\": 2}\n", 2},
		{`{"a": 1,}`, -1},
		{`{"a" 1}`, -1},
	} {
		v, err := decodeSample(tc.in)
		if got := len(v); err != nil && tc.want != -1 || err == nil && got != tc.want {
			t.Errorf("decodeSample(%q) = %v, %v", tc.in, v, err)
		}
	}
}
