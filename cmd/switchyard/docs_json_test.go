package main

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/llm"
	"switchyard/reload"
	"switchyard/wire/anthropic"
	"switchyard/wire/openai"
)

// answerTypes are the answers a JSON sample may name with
// "<!-- example: answer NAME -->": its fields are checked against the
// type's JSON fields, at every level.
var answerTypes = map[string]reflect.Type{
	"admin.ReportView":    reflect.TypeFor[admin.ReportView](),
	"admin.ScoresList":    reflect.TypeFor[admin.ScoresList](),
	"admin.FeedbackList":  reflect.TypeFor[admin.FeedbackList](),
	"admin.BudgetList":    reflect.TypeFor[admin.BudgetList](),
	"admin.DriftRunList":  reflect.TypeFor[admin.DriftRunList](),
	"admin.DriftRunView":  reflect.TypeFor[admin.DriftRunView](),
	"admin.StatsList":     reflect.TypeFor[admin.StatsList](),
	"admin.RequestList":   reflect.TypeFor[admin.RequestList](),
	"admin.RequestDetail": reflect.TypeFor[admin.RequestDetail](),
	"admin.BatchList":     reflect.TypeFor[admin.BatchList](),
	"admin.WhoAmI":        reflect.TypeFor[admin.WhoAmI](),
	"reload.DryRun":       reflect.TypeFor[reload.DryRun](),
}

// TestDocJSONSamples: every ```json block of the documents parses as
// JSON once its elisions are read as nothing ({…}, [...], a trailing
// ", …"; a bare "key": value fragment is read inside braces), and the
// field names of the samples of the router's answers exist in the real
// answer: an OpenAI error ({"error": {…}}) as wire/openai writes it
// (with admin.FieldErrorView "errors" for a configuration's), an
// Anthropic error as wire/anthropic's, and a sample marked
// "<!-- example: answer NAME -->" as the type NAME of answerTypes.
func TestDocJSONSamples(t *testing.T) {
	parsed, typed := 0, 0
	for _, b := range docBlocks(t, "json", "jsonl") {
		if b.skipped() {
			continue
		}
		values, err := decodeSample(b.text)
		if err != nil {
			t.Errorf("%s: not JSON: %v", b.where(), err)
			continue
		}
		parsed++
		name, marked := strings.CutPrefix(b.mark, "answer ")
		for _, v := range values {
			typ := answerTypes[name]
			if marked && typ == nil {
				t.Fatalf("%s: no answer type %q in answerTypes", b.where(), name)
			}
			if !marked {
				typ = errorShape(v)
			}
			if typ == nil {
				continue
			}
			typed++
			for _, p := range unknownFields(v, typ, "") {
				t.Errorf("%s: the sample's field %s is not in the answer (%v)", b.where(), p, typ)
			}
		}
	}
	outputs := 0
	for _, b := range docBlocks(t, "console", "text", "") {
		for _, out := range jsonOutputs(b) {
			outputs++
			values, err := decodeSample(out)
			if err != nil {
				t.Errorf("%s: the JSON output is not JSON: %v\n%s", b.where(), err, out)
				continue
			}
			for _, v := range values {
				if typ := errorShape(v); typ != nil {
					typed++
					for _, p := range unknownFields(v, typ, "") {
						t.Errorf("%s: the output's field %s is not in the answer (%v)", b.where(), p, typ)
					}
				}
			}
		}
	}
	t.Logf("%d JSON samples and %d JSON outputs of console blocks parsed; %d answers' field names checked", parsed, outputs, typed)
}

// jsonOutputs returns the JSON a console or text block shows as a
// command's output: the lines from one starting with "{" up to a blank
// line or the next "$ " command.
func jsonOutputs(b docBlock) []string {
	var out []string
	in := false
	for _, l := range strings.Split(b.text, "\n") {
		switch {
		case strings.TrimSpace(l) == "" || strings.HasPrefix(l, "$ "):
			in = false
		case in:
			out[len(out)-1] += "\n" + l
		case strings.HasPrefix(l, "{"):
			out, in = append(out, l), true
		}
	}
	return out
}

// sampleOpenAIError is the OpenAI error shape as the router writes it,
// with the configuration's mistakes a 422 adds.
type sampleOpenAIError struct {
	Error struct {
		openAIErrorFields
		Errors []admin.FieldErrorView `json:"errors"`
	} `json:"error"`
}

// openAIErrorFields are the fields of the error wire/openai writes
// (TestDocJSONSamples checks they are).
type openAIErrorFields struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

// errorShape returns the error type a sample is, or nil.
func errorShape(v any) reflect.Type {
	m, ok := v.(map[string]any)
	if !ok || m["error"] == nil {
		return nil
	}
	if m["type"] == "error" {
		if _, ok := m["status"]; ok {
			return nil // a Responses WebSocket error event, not an answer's body
		}
		return reflect.TypeFor[anthropic.ErrorResponse]()
	}
	return reflect.TypeFor[sampleOpenAIError]()
}

// TestDocJSONOpenAIErrorFields: the error shape the samples are checked
// against is the one wire/openai writes.
func TestDocJSONOpenAIErrorFields(t *testing.T) {
	var got map[string]map[string]any
	if err := json.Unmarshal(openai.AppendError(nil, llm.Errorf(llm.KindInvalidRequest, "x")), &got); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range reflect.TypeFor[openAIErrorFields]().NumField() {
		want = append(want, strings.Split(reflect.TypeFor[openAIErrorFields]().Field(i).Tag.Get("json"), ",")[0])
	}
	if len(got["error"]) != len(want) {
		t.Errorf("wire/openai writes %v; the samples are checked against %v", got["error"], want)
	}
	for _, k := range want {
		if _, ok := got["error"][k]; !ok {
			t.Errorf("wire/openai writes no %q: %v", k, got["error"])
		}
	}
}

var (
	elidedObject = regexp.MustCompile(`\{\s*(…|\.\.\.)[^{}]*\}`)
	elidedArray  = regexp.MustCompile(`\[\s*(…|\.\.\.)\s*\]`)
	elidedTail   = regexp.MustCompile(`,\s*(…|\.\.\.)\s*([\]}])`)
)

// decodeSample reads a sample's JSON values, its elisions read as
// nothing.
func decodeSample(text string) ([]any, error) {
	text = elidedObject.ReplaceAllString(text, "{}")
	text = elidedArray.ReplaceAllString(text, "[]")
	text = elidedTail.ReplaceAllString(text, "$2")
	if s := strings.TrimSpace(text); strings.HasPrefix(s, `"`) {
		text = "{" + s + "}"
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

var jsonMarshaler = reflect.TypeFor[json.Marshaler]()

// unknownFields returns the paths of the sample's object keys that typ
// has no JSON field for ("…" keys excepted), at every level the type
// says what is there.
func unknownFields(v any, typ reflect.Type, path string) []string {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Implements(jsonMarshaler) || reflect.PointerTo(typ).Implements(jsonMarshaler) {
		return nil
	}
	var out []string
	switch x := v.(type) {
	case map[string]any:
		switch typ.Kind() {
		case reflect.Map:
			for k, e := range x {
				out = append(out, unknownFields(e, typ.Elem(), path+"."+k)...)
			}
		case reflect.Struct:
			fields := jsonFields(typ)
			for k, e := range x {
				if k == "…" || k == "..." {
					continue
				}
				f, ok := fields[k]
				if !ok {
					out = append(out, path+"."+k)
					continue
				}
				out = append(out, unknownFields(e, f, path+"."+k)...)
			}
		}
	case []any:
		if typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array {
			for _, e := range x {
				out = append(out, unknownFields(e, typ.Elem(), path+"[]")...)
			}
		}
	}
	return out
}

// jsonFields returns a struct's fields by JSON name, embedded structs'
// included.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
			}
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			out[name] = f.Type
		}
	}
	return out
}
