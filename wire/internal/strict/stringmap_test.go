package strict

import (
	"encoding/json"
	"errors"
	"maps"
	"testing"
)

// A StringMap decodes what a map[string]string decodes, and refuses what
// it refuses, naming the key of a value that is not a string.
func FuzzStringMap(f *testing.F) {
	for _, s := range []string{
		`{"team":"a","run":"7"}`, `{"run":7}`, `{"a":{"b":"c"}}`, `{"a":null}`, `null`, `["a"]`, `{}`,
		`{"a":"x","a":"y"}`, `{"é":"\u00e9","b":true}`, `{"a":"\ud800"}`, `{"a":`, `"s"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want map[string]string
		wantErr := json.Unmarshal(b, &want)
		var got StringMap
		err := json.Unmarshal(b, &got)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: StringMap error %v, map[string]string error %v", b, err, wantErr)
		}
		if err == nil && (!maps.Equal(got, StringMap(want)) || (got == nil) != (want == nil)) {
			t.Fatalf("%q: StringMap %v, map[string]string %v", b, got, want)
		}
	})
}

// A value of another type than a string is named by its key.
func TestStringMapNamesTheKey(t *testing.T) {
	var v struct {
		Metadata StringMap `json:"metadata"`
	}
	err := json.Unmarshal([]byte(`{"metadata":{"team":"a","run":7,"z":[]}}`), &v)
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || te.Field != "metadata.run" {
		t.Fatalf("%v, want a type error at metadata.run", err)
	}
	if e := JSONError(err, "", ""); e.Param != "metadata.run" || e.Message != "Invalid type for 'metadata.run': expected a string, but got a number instead." {
		t.Errorf("%#v", e)
	}
}
