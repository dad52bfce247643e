package llm

import "testing"

func TestArgumentsObject(t *testing.T) {
	for in, want := range map[string]string{
		``:                 `{}`,
		"  ":               `{}`,
		`{"city":"Paris"}`: `{"city":"Paris"}`,
		` {"a":1} `:        `{"a":1}`,
		`{"city": "Par`:    `{"_raw_arguments":"{\"city\": \"Par"}`, // cut by max_tokens
		`[1,2]`:            `{"_raw_arguments":"[1,2]"}`,
		`null`:             `{"_raw_arguments":"null"}`,
		`Paris`:            `{"_raw_arguments":"Paris"}`,
	} {
		if got := string(ArgumentsObject(in)); got != want {
			t.Errorf("ArgumentsObject(%q) = %s, want %s", in, got, want)
		}
	}
}
