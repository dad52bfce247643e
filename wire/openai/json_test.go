package openai

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// jsonString is what encoding/json writes for s without HTML escaping.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

var stringCases = []string{
	"", "plain", "quote\" backslash\\ slash/", "\x00\x01\x07\x08\x09\x0a\x0b\x0c\x0d\x1f\x20\x7f",
	"é ü 中文 😀", "\u2028\u2029", "bad \xff utf8 \xc3", "\xed\xa0\x80 surrogate bytes", "<script>&amp;</script>",
	strings.Repeat("long ascii ", 100),
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := append([]string(nil), stringCases...)
	for range 2000 {
		b := make([]byte, r.IntN(24))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if got, want := string(appendString(nil, s)), jsonString(s); got != want {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestStrMatchesEncodingJSON(t *testing.T) {
	docs := []string{`"\ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"\u00e9\/\b"`, `"\ud83d\u"`}
	for _, s := range stringCases {
		docs = append(docs, jsonString(s), `"`+s+`"`)
	}
	for _, doc := range docs {
		var want string
		wantErr := json.Unmarshal([]byte(doc), &want)
		for _, shared := range []bool{false, true} {
			sc := scanner{data: []byte(doc)}
			if shared {
				sc.share()
			}
			got, err := sc.str()
			if err == nil {
				err = sc.end()
			}
			if (err != nil) != (wantErr != nil) || err == nil && got != want {
				t.Errorf("str(%q) = %q, %v; encoding/json: %q, %v", doc, got, err, want, wantErr)
			}
		}
	}
}

func TestSkipMatchesValid(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `{"a":[1,-0.5e+3,true,false,null,"x",{"b":{}}]}`, ` [ 1 , 2 ] `, `-0`, `0.0`, `1E9`,
		`{`, `[1,]`, `{"a"}`, `{"a":}`, `{,}`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `tru`, `nul`, `"abc`, `"\q"`, `[1 2]`, `{"a":1 "b":2}`,
		"\"\x01\"", `NaN`, `{"a":1}}`, `[][]`, ``, ` `, `"\u12"`, `"\u12zz"`,
	}
	for _, doc := range docs {
		got := checkSyntax([]byte(doc)) == nil
		if want := json.Valid([]byte(doc)); got != want {
			t.Errorf("checkSyntax(%q) valid=%v, json.Valid=%v", doc, got, want)
		}
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.1, 1.0 / 3, 1e-6, 1e-7, 123456789, 1e20, 1e21, 1e300, -2.5e-10, math.SmallestNonzeroFloat64, math.MaxFloat64} {
		want, _ := json.Marshal(f)
		if got := appendFloat(nil, f, 64); string(got) != string(want) {
			t.Errorf("appendFloat(%v, 64) = %s, want %s", f, got, want)
		}
		f32 := float32(f)
		if math.IsInf(float64(f32), 0) {
			continue
		}
		want, _ = json.Marshal(f32)
		if got := appendFloat(nil, float64(f32), 32); string(got) != string(want) {
			t.Errorf("appendFloat(%v, 32) = %s, want %s", f32, got, want)
		}
	}
	if got := string(appendFloat(nil, math.NaN(), 64)); got != "0" {
		t.Errorf("NaN written as %s", got)
	}
}

// TestAppendersWriteValidJSON checks every appender output with
// json.Valid and UTF-8 validity for hostile strings.
func TestAppendersWriteValidJSON(t *testing.T) {
	for _, s := range stringCases {
		r := sampleResponse()
		r.ID, r.Model, r.Choices[0].Message.Content[0].Text = s, s, s
		outs := [][]byte{AppendChatResponse(nil, r), AppendModelList(nil, []Model{{ID: s, OwnedBy: s}})}
		for _, c := range sampleChunks() {
			c.ID = s
			outs = append(outs, AppendChunk(nil, c))
		}
		for _, out := range outs {
			if !json.Valid(out) || !utf8.Valid(out) {
				t.Errorf("invalid output for %q: %s", s, out)
			}
		}
	}
}
