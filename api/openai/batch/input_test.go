package batch

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseInput(t *testing.T) {
	const ep = "/v1/chat/completions"
	line := func(id string) string {
		return `{"custom_id":"` + id + `","method":"POST","url":"` + ep + `","body":{"model":"m","messages":[]}}`
	}
	lines, errs := ParseInput([]byte(line("a")+"\n\n"+`{"custom_id":"s","method":"POST","url":"`+ep+`","body":{"stream":true}}`+"\r\n"+line("b")), ep, 10)
	if errs != nil || len(lines) != 3 || lines[0].CustomID != "a" || !lines[1].Stream || lines[2].Index != 2 || lines[2].Number != 4 {
		t.Fatalf("ParseInput = %+v, %v", lines, errs)
	}
	for _, tt := range []struct {
		name, input string
		want        []string
	}{
		{"empty", "\n \n", []string{"0:empty_file"}},
		{"not json", "{", []string{"1:invalid_json_line"}},
		{"an array", "[1]", []string{"1:invalid_json_line"}},
		{"no custom_id", `{"method":"POST","url":"` + ep + `","body":{}}`, []string{"1:missing_required_parameter"}},
		{"no method", `{"custom_id":"a","url":"` + ep + `","body":{}}`, []string{"1:missing_required_parameter"}},
		{"get", `{"custom_id":"a","method":"GET","url":"` + ep + `","body":{}}`, []string{"1:invalid_value"}},
		{"other url", `{"custom_id":"a","method":"POST","url":"/v1/embeddings","body":{}}`, []string{"1:mismatched_url"}},
		{"body not object", `{"custom_id":"a","method":"POST","url":"` + ep + `","body":"hi"}`, []string{"1:invalid_value"}},
		{"no body", `{"custom_id":"a","method":"POST","url":"` + ep + `"}`, []string{"1:invalid_value"}},
		{"duplicate", line("a") + "\n" + line("a"), []string{"2:duplicate_custom_id"}},
		{"too many", strings.Repeat(line("x")+"\n", 11), []string{"0:too_many_requests_in_batch"}},
	} {
		lines, errs := ParseInput([]byte(tt.input), ep, 10)
		var got []string
		for _, e := range errs {
			n := 0
			if e.Line != nil {
				n = *e.Line
			}
			got = append(got, fmt.Sprintf("%d:%s", n, e.Code))
		}
		if lines != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: ParseInput = %v, %v; want %v", tt.name, lines, got, tt.want)
		}
	}
}

// FuzzParseInput: any input is lines (each with a unique custom_id, a
// JSON object body, in order) or errors, never both, never a panic.
func FuzzParseInput(f *testing.F) {
	const ep = "/v1/embeddings"
	f.Add([]byte(`{"custom_id":"a","method":"POST","url":"/v1/embeddings","body":{"input":"x"}}`))
	f.Add([]byte("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{}}\n{\"custom_id\":\"a\"}\n"))
	f.Add([]byte(`{"custom_id":"","method":"POST","url":"/v1/embeddings","body":{"stream":true}}`))
	f.Add([]byte("\n\n{\"custom_id\":1}\n[]\n\"x\"\nnull"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, errs := ParseInput(data, ep, 50)
		if (lines == nil) == (errs == nil) {
			t.Fatalf("lines %v and errors %v", lines, errs)
		}
		seen := map[string]bool{}
		for i, l := range lines {
			if l.Index != i || l.CustomID == "" || seen[l.CustomID] || len(l.Body) == 0 || l.Body[0] != '{' {
				t.Fatalf("line %d = %+v", i, l)
			}
			seen[l.CustomID] = true
		}
		if len(lines) > 50 || len(errs) > maxErrors {
			t.Fatalf("%d lines, %d errors", len(lines), len(errs))
		}
	})
}

// Ids are letters and digits, each of the 62 drawn about as often: a
// byte taken modulo 62 made the first eight a quarter more likely.
func TestRandomAlnumIsUniform(t *testing.T) {
	counts := map[rune]int{}
	const n = 62 * 2000
	s := randomAlnum(n)
	if len(s) != n {
		t.Fatalf("length %d", len(s))
	}
	for _, r := range s {
		if !strings.ContainsRune(alnum, r) {
			t.Fatalf("%q is not a letter or digit", r)
		}
		counts[r]++
	}
	// Each count is Binomial(124000, 1/62): mean 2000, sd ≈ 44. The
	// modulo bias put the first eight at ~2460, ten standard deviations.
	for _, r := range alnum[:8] {
		if c := counts[r]; c > 2250 {
			t.Errorf("%q drawn %d times of %d, want about 2000", r, c, n)
		}
	}
}
