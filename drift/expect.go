package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Answer is what a deployment said to a golden prompt, as an expectation
// reads it.
type Answer struct {
	// Text is the answer's text.
	Text string
	// Refusal reports a refusal: the provider's refusal field, a content
	// filter stop, or a text that opens with one (quality.IsRefusal).
	Refusal bool
}

// Passes reports whether a meets the expectation. A refusal passes only
// KindRefuses.
func (e *Expectation) Passes(a Answer) bool {
	if e.Kind == KindRefuses {
		return a.Refusal
	}
	if a.Refusal {
		return false
	}
	switch e.Kind {
	case KindExact:
		return e.equal(trimAnswer(a.Text), e.Text)
	case KindContains:
		for _, s := range e.All {
			if !containsWords(a.Text, s, e.CaseSensitive) {
				return false
			}
		}
		return len(e.All) > 0
	case KindRegex:
		return e.re != nil && e.re.MatchString(a.Text)
	case KindJSONSchema:
		return e.validJSON(a.Text)
	case KindNumber:
		v, ok := LastNumber(a.Text)
		return ok && math.Abs(v-e.Number) <= e.Tolerance
	case KindNotRefuses:
		return strings.TrimSpace(a.Text) != ""
	}
	return false
}

func (e *Expectation) equal(a, b string) bool {
	if e.CaseSensitive {
		return a == b
	}
	return strings.EqualFold(a, b)
}

// compile checks the expectation and prepares its regular expression or
// schema.
func (e *Expectation) compile() error {
	switch e.Kind {
	case KindExact:
		if strings.TrimSpace(e.Text) == "" {
			return errors.New("exact: the answer is empty")
		}
	case KindContains:
		if len(e.All) == 0 {
			return errors.New("contains: no string to look for")
		}
		for i, s := range e.All {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("contains[%d] is empty", i)
			}
		}
	case KindRegex:
		re, err := regexp.Compile(e.Text)
		if err != nil {
			return fmt.Errorf("regex: %w", err)
		}
		e.re = re
	case KindJSONSchema:
		s, err := compileSchema(e.Schema)
		if err != nil {
			return fmt.Errorf("json_schema: %w", err)
		}
		e.schema = s
	case KindNumber:
		if math.IsNaN(e.Number) || math.IsInf(e.Number, 0) {
			return errors.New("number: not a finite number")
		}
		if !(e.Tolerance >= 0) || math.IsInf(e.Tolerance, 0) {
			return errors.New("tolerance: must be a finite number of at least 0")
		}
	case KindRefuses, KindNotRefuses:
	default:
		return fmt.Errorf("unknown kind %q", e.Kind)
	}
	return nil
}

// trimAnswer is the answer an exact expectation compares: trimmed of
// white space, a final period, and quotes or backticks around it.
func trimAnswer(s string) string {
	s = strings.TrimSpace(s)
	for range 3 {
		t := strings.TrimSpace(strings.TrimSuffix(s, "."))
		for _, q := range []string{"```", "`", `"`, "'", "“"} {
			end := q
			if q == "“" {
				end = "”"
			}
			if len(t) >= len(q)+len(end) && strings.HasPrefix(t, q) && strings.HasSuffix(t, end) {
				t = strings.TrimSpace(t[len(q) : len(t)-len(end)])
			}
		}
		if t == s {
			break
		}
		s = t
	}
	return s
}

// containsWords reports whether text contains want as whole words: runs of
// white space match any run, and a letter or digit at either end of want
// may not continue a word of text ("12" is not in "120", "cat" not in
// "catalog").
func containsWords(text, want string, caseSensitive bool) bool {
	text, want = strings.Join(strings.Fields(text), " "), strings.Join(strings.Fields(want), " ")
	if !caseSensitive {
		text, want = strings.ToLower(text), strings.ToLower(want)
	}
	if want == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(want)
	last, _ := utf8.DecodeLastRuneInString(want)
	for from := 0; from <= len(text); {
		i := strings.Index(text[from:], want)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(want)
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !(wordRune(first) && i > 0 && wordRune(before)) && !(wordRune(last) && end < len(text) && wordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		from = i + size
	}
	return false
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// numberRE finds a number: an optional sign, digits with optional
// thousands commas, optional decimals.
var numberRE = regexp.MustCompile(`[-−]?\d+(?:,\d{3})*(?:\.\d+)?`)

// LastNumber returns the last number text states ("The answer is $1,080."
// gives 1080), and whether it states one.
func LastNumber(text string) (float64, bool) {
	all := numberRE.FindAllString(text, -1)
	if len(all) == 0 {
		return 0, false
	}
	lit := strings.NewReplacer(",", "", "−", "-").Replace(all[len(all)-1])
	v, err := strconv.ParseFloat(lit, 64)
	return v, err == nil
}

// validJSON reports whether text, less a Markdown code fence, is one JSON
// value valid against the expectation's schema.
func (e *Expectation) validJSON(text string) (ok bool) {
	defer func() {
		if recover() != nil { // a validator bug is no pass
			ok = false
		}
	}()
	doc := []byte(stripFence(text))
	if e.schema == nil || !json.Valid(doc) {
		return false
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	return err == nil && e.schema.Validate(v) == nil
}

// stripFence removes a Markdown code fence around text (```json … ```).
func stripFence(text string) string {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "```") || !strings.HasSuffix(t, "```") || len(t) < 6 {
		return t
	}
	t = strings.TrimSuffix(t, "```")
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		return strings.TrimSpace(t[i+1:])
	}
	return strings.TrimSpace(strings.TrimPrefix(t, "```"))
}

// schemaURL names a golden schema for the compiler.
const schemaURL = "mem:///golden-schema.json"

// compileSchema compiles raw with formats asserted and draft 2020-12 for
// a schema that names none; it may refer only inside itself.
func compileSchema(raw json.RawMessage) (s *jsonschema.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("the schema compiler failed: %v", r)
		}
	}()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
}

// noLoader loads no URL: a golden schema may refer only inside itself.
type noLoader struct{}

// Load implements jsonschema.URLLoader.
func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schemas may not refer to other documents (%s)", url)
}
