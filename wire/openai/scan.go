package openai

import (
	"encoding/json"
	"strconv"
	"unsafe"

	"switchyard/llm"
)

// maxDepth bounds the nesting of a decoded document, as encoding/json does.
const maxDepth = 10000

// scanner reads one JSON document in place. Its typed readers report a
// value of the wrong type as a *fieldError (whose path object and array
// add as the error unwinds) and malformed JSON as a *syntaxError. Strings
// are copied, or, when src is set, sliced from one shared copy of the
// document so that a decode costs one allocation for all its plain strings.
type scanner struct {
	data []byte
	src  string // data as a string; empty unless share was called
	// owned says data is handed over for good (never written again), so
	// share may alias it instead of copying it.
	owned bool
	pos   int
	depth int
	// textParts are preallocated one-part contents for string messages,
	// taken one by one (see decodeMessages); nil means allocate each.
	textParts []llm.Part
}

// count returns the number of elements of the array at the current
// position without consuming it, or -1 if it is not a well-formed array
// (decoding it then reports the error).
func (s *scanner) count() int {
	pos, depth := s.pos, s.depth
	n := 0
	if s.array(func(int) error { n++; return s.skip() }) != nil {
		n = -1
	}
	s.pos, s.depth = pos, depth
	return n
}

// share makes plain strings substrings of one copy of the document, or,
// when owned is set, of the document itself.
func (s *scanner) share() {
	if s.owned {
		s.src = unsafe.String(unsafe.SliceData(s.data), len(s.data))
		return
	}
	s.src = string(s.data)
}

// peek skips whitespace and returns the next byte, or 0 at the end.
func (s *scanner) peek() byte {
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// end reports trailing bytes after the top-level value.
func (s *scanner) end() error {
	if s.peek() != 0 {
		return s.syntax("invalid character " + quoteChar(s.data[s.pos]) + " after top-level value")
	}
	return nil
}

func (s *scanner) syntax(msg string) error { return &syntaxError{off: s.pos, msg: msg} }

// unexpected reports the byte at pos as the wrong start of a value.
func (s *scanner) unexpected(context string) error {
	if s.pos >= len(s.data) {
		return s.syntax("unexpected end of JSON input")
	}
	return s.syntax("invalid character " + quoteChar(s.data[s.pos]) + " " + context)
}

// kind names the JSON type of the value at pos, in OpenAI's words.
func (s *scanner) kind() string {
	switch c := s.peek(); {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	lit, ok := s.peekNumber()
	if !ok {
		return "an invalid value"
	}
	if isIntLiteral(lit) {
		return "an integer"
	}
	return "a decimal number"
}

// typeErr reports the value at pos as not being of type want. A value that
// is not JSON at all is a syntax error instead.
func (s *scanner) typeErr(want string) error {
	if k := s.kind(); k != "an invalid value" {
		return errType(want, k)
	}
	return s.unexpected("looking for beginning of value")
}

// null consumes a null literal and reports whether there was one.
func (s *scanner) null() bool {
	if s.peek() == 'n' && len(s.data)-s.pos >= 4 && string(s.data[s.pos:s.pos+4]) == "null" {
		s.pos += 4
		return true
	}
	return false
}

// literal consumes the literal word lit, which starts at pos.
func (s *scanner) literal(lit string) error {
	for i := 0; i < len(lit); i++ {
		if s.pos >= len(s.data) || s.data[s.pos] != lit[i] {
			return s.unexpected("in literal " + lit)
		}
		s.pos++
	}
	return nil
}

// boolean reads true or false.
func (s *scanner) boolean() (bool, error) {
	switch s.peek() {
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	}
	return false, s.typeErr("a boolean")
}

// object calls fn for each member of the object at pos with its key; fn
// must consume the member's value. Errors from fn get the key in their path.
func (s *scanner) object(fn func(key []byte) error) error {
	if s.peek() != '{' {
		return s.typeErr("an object")
	}
	if s.depth++; s.depth > maxDepth {
		return s.syntax("exceeded max depth")
	}
	s.pos++
	if s.peek() == '}' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.unexpected("looking for beginning of object key string")
		}
		key, err := s.key()
		if err != nil {
			return err
		}
		if s.peek() != ':' {
			return s.unexpected("after object key")
		}
		s.pos++
		s.peek()
		if err := fn(key); err != nil {
			return inField(err, key)
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			s.depth--
			return nil
		default:
			return s.unexpected("after object key:value pair")
		}
	}
}

// array calls fn for each element of the array at pos with its index; fn
// must consume the element. Errors from fn get the index in their path.
func (s *scanner) array(fn func(i int) error) error {
	if s.peek() != '[' {
		return s.typeErr("an array")
	}
	if s.depth++; s.depth > maxDepth {
		return s.syntax("exceeded max depth")
	}
	s.pos++
	if s.peek() == ']' {
		s.pos++
		s.depth--
		return nil
	}
	for i := 0; ; i++ {
		if err := fn(i); err != nil {
			return inIndex(err, i)
		}
		switch s.peek() {
		case ',':
			s.pos++
			s.peek()
		case ']':
			s.pos++
			s.depth--
			return nil
		default:
			return s.unexpected("after array element")
		}
	}
}

// skip consumes one value of any type, checking its syntax.
func (s *scanner) skip() error {
	switch c := s.peek(); {
	case c == '"':
		return s.skipString()
	case c == '{':
		return s.object(func([]byte) error { return s.skip() })
	case c == '[':
		return s.array(func(int) error { return s.skip() })
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := s.number()
		return err
	}
	return s.unexpected("looking for beginning of value")
}

// raw consumes one value and returns a copy of its bytes.
func (s *scanner) raw() (json.RawMessage, error) {
	s.peek()
	start := s.pos
	if err := s.skip(); err != nil {
		return nil, err
	}
	return append(json.RawMessage(nil), s.data[start:s.pos]...), nil
}

// peekNumber returns the number literal at pos without consuming it.
func (s *scanner) peekNumber() ([]byte, bool) {
	d, i := s.data, s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		i = digits(d, i)
	default:
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		if j := digits(d, i+1); j > i+1 {
			i = j
		} else {
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := digits(d, i)
		if j == i {
			return nil, false
		}
		i = j
	}
	return d[s.pos:i], true
}

func digits(d []byte, i int) int {
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	return i
}

// number consumes a number and returns its literal.
func (s *scanner) number() ([]byte, error) {
	c := s.peek()
	if c != '-' && (c < '0' || c > '9') {
		return nil, s.typeErr("a number")
	}
	lit, ok := s.peekNumber()
	if !ok {
		s.pos += len(lit)
		return nil, s.unexpected("in numeric literal")
	}
	s.pos += len(lit)
	return lit, nil
}

// float reads a number as a float64.
func (s *scanner) float() (float64, error) {
	lit, err := s.number()
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(bstr(lit), 64)
	if err != nil {
		return 0, errInvalid("number out of range. Expected a finite number, but got " + numberText(lit) + " instead.")
	}
	return f, nil
}

// integer reads an integer literal; a decimal number is a type error.
func (s *scanner) integer() (int64, error) {
	c := s.peek()
	if c != '-' && (c < '0' || c > '9') {
		return 0, s.typeErr("an integer")
	}
	lit, ok := s.peekNumber()
	if ok && !isIntLiteral(lit) {
		return 0, errType("an integer", "a decimal number")
	}
	lit, err := s.number()
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(bstr(lit), 10, 64)
	if err != nil {
		return 0, errInvalid("integer out of range. Expected a 64-bit integer, but got " + numberText(lit) + " instead.")
	}
	return n, nil
}

// loose reads any number as an int, truncating decimals; for upstream
// payloads, where some vendors send 12.0 for a count.
func (s *scanner) loose() (int, error) {
	lit, err := s.number()
	if err != nil {
		return 0, err
	}
	if n, err := strconv.ParseInt(bstr(lit), 10, 0); err == nil {
		return int(n), nil
	}
	f, err := strconv.ParseFloat(bstr(lit), 64)
	if err != nil || f != f || f > 1<<53 || f < -(1<<53) {
		return 0, errInvalid("number out of range: " + numberText(lit))
	}
	return int(f), nil
}

// maxQuotedNumber bounds a number literal quoted in an error.
const maxQuotedNumber = 40

// numberText is a number literal as an error quotes it: whole up to
// maxQuotedNumber characters, else its start and its length (a 100 KB
// digit string must not come back whole in an error, or a log line).
func numberText(lit []byte) string {
	if len(lit) <= maxQuotedNumber {
		return string(lit)
	}
	return string(lit[:maxQuotedNumber]) + "… (" + strconv.Itoa(len(lit)) + " characters)"
}

func isIntLiteral(lit []byte) bool {
	for _, c := range lit {
		if c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	return true
}
