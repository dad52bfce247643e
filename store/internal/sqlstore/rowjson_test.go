package sqlstore

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/storetest"
)

// marshalColumns returns the JSON columns as json.Marshal writes them.
func marshalColumns(t testing.TB, r *store.Request) ([4]string, error) {
	var out [4]string
	for i, v := range []any{r.Features, r.Explanation, r.Attempts, r.Signals} {
		b, err := json.Marshal(v)
		if err != nil {
			return out, err
		}
		out[i] = string(b)
	}
	return out, nil
}

func checkColumns(t testing.TB, what string, r *store.Request) {
	t.Helper()
	want, err := marshalColumns(t, r)
	if err != nil {
		t.Fatalf("%s: json.Marshal: %v", what, err)
	}
	got := jsonColumns(r)
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: column %s:\n got %s\nwant %s", what, Columns[27+i], got[i], want[i])
		}
	}
}

// TestRowJSONMatchesMarshal: the hand-written JSON columns are json.Marshal's
// bytes for the sample rows, for a row of zero values, for a row with
// every field set, and for rows with each field alone set (so a field no
// encoder writes, or writes despite omitempty, fails).
func TestRowJSONMatchesMarshal(t *testing.T) {
	if Columns[27] != "features" || Columns[30] != "signals" {
		t.Fatalf("the JSON columns moved: %v", Columns[27:31])
	}
	for i := range 10 {
		checkColumns(t, "sample", storetest.Sample(i))
	}
	checkColumns(t, "zero", &store.Request{})
	checkColumns(t, "no attempts", &store.Request{Attempts: []store.Attempt{}})
	full := &store.Request{}
	all := &source{only: -1}
	fillColumns(full, all)
	checkColumns(t, "every field", full)
	if all.leaves < 60 {
		t.Fatalf("filled %d fields; the filler misses some", all.leaves)
	}
	for k := range all.leaves {
		one := &store.Request{}
		fillColumns(one, &source{only: k})
		checkColumns(t, fmt.Sprintf("field %d alone", k), one)
	}
}

// TestRowJSONNonFinite: a NaN or an infinity, which json.Marshal refuses,
// is written as 0 and the columns stay valid JSON.
func TestRowJSONNonFinite(t *testing.T) {
	nan := math.NaN()
	r := &store.Request{
		Features:    store.Features{Scores: map[llm.Category]float64{"factual": nan}},
		Explanation: store.Explanation{Candidates: []store.Candidate{{Deployment: "d", PGood: math.Inf(1), Predicted: &nan}}},
		Signals:     store.Signals{LengthRatio: math.Inf(-1)},
	}
	cols := jsonColumns(r)
	var back store.Request
	for i, dst := range []any{&back.Features, &back.Explanation, &back.Attempts, &back.Signals} {
		if err := json.Unmarshal([]byte(cols[i]), dst); err != nil {
			t.Fatalf("column %d %s: %v", i, cols[i], err)
		}
	}
	if back.Features.Scores["factual"] != 0 || back.Explanation.Candidates[0].PGood != 0 ||
		*back.Explanation.Candidates[0].Predicted != 0 || back.Signals.LengthRatio != 0 {
		t.Errorf("non-finite numbers read back as %+v", back)
	}
}

// FuzzRowJSON fills a row's JSON fields from the fuzzer's bytes and holds
// the hand-written columns to json.Marshal's.
func FuzzRowJSON(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte("<a href=\"x&y\">\u2028é\xff\x00 -1e-7 1e21"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &store.Request{}
		fillColumns(r, &source{data: data, fuzz: true})
		if _, err := marshalColumns(t, r); err != nil {
			t.Skip("json.Marshal refuses it (a NaN or an infinity): TestRowJSONNonFinite")
		}
		checkColumns(t, "fuzzed", r)
	})
}

// BenchmarkValues encodes a sample row's column values.
func BenchmarkValues(b *testing.B) {
	r := storetest.Sample(3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Values(r); err != nil {
			b.Fatal(err)
		}
	}
}
