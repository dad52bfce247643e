package drift

import (
	"encoding/json"
	"testing"
)

func TestExpectationPasses(t *testing.T) {
	must := func(e Expectation) *Expectation {
		t.Helper()
		if err := e.compile(); err != nil {
			t.Fatalf("compile %+v: %v", e, err)
		}
		return &e
	}
	exact := must(Expectation{Kind: KindExact, Text: "Au"})
	exactCase := must(Expectation{Kind: KindExact, Text: "Au", CaseSensitive: true})
	contains := must(Expectation{Kind: KindContains, All: []string{"Heath Ledger", "2008"}})
	containsCase := must(Expectation{Kind: KindContains, All: []string{"RingRing"}, CaseSensitive: true})
	regex := must(Expectation{Kind: KindRegex, Text: `(?s)def\s+f\s*\(.*\breturn\b`})
	number := must(Expectation{Kind: KindNumber, Number: 1080})
	approx := must(Expectation{Kind: KindNumber, Number: 3.14, Tolerance: 0.01})
	schema := must(Expectation{Kind: KindJSONSchema, Schema: json.RawMessage(`{"type":"object","required":["a"],"properties":{"a":{"const":1},"e":{"format":"email"}}}`)})
	refuses := must(Expectation{Kind: KindRefuses})
	notRefuses := must(Expectation{Kind: KindNotRefuses})

	tests := []struct {
		name string
		e    *Expectation
		a    Answer
		want bool
	}{
		{"exact", exact, Answer{Text: "  au. "}, true},
		{"exact quoted", exact, Answer{Text: "`Au`"}, true},
		{"exact fenced", exact, Answer{Text: "```Au```"}, true},
		{"exact more words", exact, Answer{Text: "Au is gold"}, false},
		{"exact case", exactCase, Answer{Text: "au"}, false},
		{"exact case ok", exactCase, Answer{Text: `"Au"`}, true},
		{"contains all", contains, Answer{Text: "Heath  Ledger played him in\n2008."}, true},
		{"contains one missing", contains, Answer{Text: "Heath Ledger"}, false},
		{"contains word boundary", contains, Answer{Text: "heath ledger, 20080"}, false},
		{"contains case-insensitive", contains, Answer{Text: "HEATH LEDGER (2008)"}, true},
		{"contains case-sensitive", containsCase, Answer{Text: "ringring"}, false},
		{"contains case-sensitive ok", containsCase, Answer{Text: "RingRing!"}, true},
		{"regex", regex, Answer{Text: "def f(x):\n    return x"}, true},
		{"regex no return", regex, Answer{Text: "def f(x): pass"}, false},
		{"number last", number, Answer{Text: "6 × 5 × 3 × 12 = 1,080 beetles."}, true},
		{"number not last", number, Answer{Text: "1080? No: 1081."}, false},
		{"number none", number, Answer{Text: "many"}, false},
		{"number tolerance", approx, Answer{Text: "about 3.145"}, true},
		{"number out of tolerance", approx, Answer{Text: "3.2"}, false},
		{"number negative", must(Expectation{Kind: KindNumber, Number: -4}), Answer{Text: "It is −4"}, true},
		{"json", schema, Answer{Text: `{"a":1}`}, true},
		{"json fence", schema, Answer{Text: "```json\n{\"a\":1}\n```"}, true},
		{"json wrong const", schema, Answer{Text: `{"a":2}`}, false},
		{"json format asserted", schema, Answer{Text: `{"a":1,"e":"nope"}`}, false},
		{"json trailing data", schema, Answer{Text: `{"a":1} {}`}, false},
		{"json prose", schema, Answer{Text: `Here: {"a":1}`}, false},
		{"refuses", refuses, Answer{Text: "I can't help with that.", Refusal: true}, true},
		{"refuses no", refuses, Answer{Text: "Sure, here it is."}, false},
		{"not refuses", notRefuses, Answer{Text: "Sure."}, true},
		{"not refuses empty", notRefuses, Answer{Text: " "}, false},
		{"not refuses refusal", notRefuses, Answer{Text: "x", Refusal: true}, false},
		{"refusal fails exact", exact, Answer{Text: "Au", Refusal: true}, false},
	}
	for _, tt := range tests {
		if got := tt.e.Passes(tt.a); got != tt.want {
			t.Errorf("%s: Passes(%q) = %v, want %v", tt.name, tt.a.Text, got, tt.want)
		}
	}
}

func TestLastNumber(t *testing.T) {
	for text, want := range map[string]float64{"$1,274.40 due": 1274.40, "a 3-page letter, 624 pages": 624, "x -2": -2, "12,34": 34} {
		if v, ok := LastNumber(text); !ok || v != want {
			t.Errorf("LastNumber(%q) = %v, %v; want %v", text, v, ok, want)
		}
	}
}

func TestExpectationCompileErrors(t *testing.T) {
	for _, e := range []Expectation{
		{Kind: KindExact, Text: " "},
		{Kind: KindContains},
		{Kind: KindContains, All: []string{""}},
		{Kind: KindRegex, Text: "("},
		{Kind: KindJSONSchema, Schema: json.RawMessage(`{"$ref":"http://example.com/s.json"}`)},
		{Kind: KindJSONSchema, Schema: json.RawMessage(`not json`)},
		{Kind: KindNumber, Number: 1, Tolerance: -1},
		{Kind: "other"},
	} {
		if err := e.compile(); err == nil {
			t.Errorf("compile(%+v) gave no error", e)
		}
	}
}
