package sqlstore

import (
	"encoding/binary"
	"math"
	"reflect"
	"strconv"
	"strings"

	"switchyard/store"
)

// source says how fill sets the values it reaches (its leaves: strings,
// numbers, booleans, maps): with fuzz, from data's bytes; otherwise every
// leaf (only < 0) or the only-th leaf alone (the others zero, the
// pointers and slices on the way to it allocated with one element).
type source struct {
	data   []byte
	fuzz   bool
	only   int
	leaves int // leaves reached so far
}

var (
	trickyStrings = []string{"", "gpt-4o-mini", `<a href="x&y">`, "quote\" back\\", "\x00\x1f\x7f\b\f",
		"é 中文 😀", "\u2028\u2029", "bad \xff", "classifier", "factual"}
	trickyFloats = []float64{0, 1, 0.5, -0.25, 1e-7, 1e21, 123456.789, 0.1 + 0.2, -1e-300,
		math.MaxFloat64, 5e-324, math.Copysign(0, -1), 1e20, 0.000001}
)

func (s *source) byte() byte {
	if len(s.data) == 0 {
		return 0
	}
	b := s.data[0]
	s.data = s.data[1:]
	return b
}

// set reports whether the next leaf gets a value (not the zero one), and
// counts it.
func (s *source) set() bool {
	k := s.leaves
	s.leaves++
	return s.fuzz || s.only < 0 || s.only == k
}

// fillColumns fills the fields of r stored as JSON columns.
func fillColumns(r *store.Request, s *source) {
	for _, v := range []any{&r.Features, &r.Explanation, &r.Attempts, &r.Signals} {
		fill(reflect.ValueOf(v).Elem(), s)
	}
}

// fill sets v's leaves as s says.
func fill(v reflect.Value, s *source) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), s)
		}
	case reflect.Pointer:
		if s.fuzz && s.byte()&1 == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s)
	case reflect.Slice:
		n := 2
		if s.fuzz {
			if n = int(s.byte() % 4); n == 0 {
				return // nil
			}
			n-- // empty, or 1 or 2 elements
		} else if s.only >= 0 {
			n = 1
		}
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(v.Index(i), s)
		}
	case reflect.Map:
		if !s.set() {
			return
		}
		n := 3
		if s.fuzz {
			n = int(s.byte() % 4)
		}
		v.Set(reflect.MakeMap(v.Type()))
		for i := range n {
			k := reflect.New(v.Type().Key()).Elem()
			k.SetString(trickyStrings[(i+int(s.byte()))%len(trickyStrings)])
			e := reflect.New(v.Type().Elem()).Elem()
			e.SetFloat(s.float(i + 1))
			v.SetMapIndex(k, e)
		}
	default:
		if s.set() {
			s.leaf(v)
		}
	}
}

// leaf sets a string, number or boolean to a value other than zero (with
// fuzz, any value).
func (s *source) leaf(v reflect.Value) {
	k := s.leaves
	switch v.Kind() {
	case reflect.String:
		if s.fuzz {
			v.SetString(trickyStrings[int(s.byte())%len(trickyStrings)])
		} else { // every escape, in every string
			v.SetString(strings.Join(trickyStrings[1:], "|") + strconv.Itoa(k))
		}
	case reflect.Int, reflect.Int64:
		n := int64(k + 1)
		if s.fuzz {
			var b [8]byte
			for i := range int(s.byte() % 9) {
				b[i] = s.byte()
			}
			n = int64(binary.LittleEndian.Uint64(b[:]))
		}
		v.SetInt(n)
	case reflect.Float64:
		v.SetFloat(s.float(k))
	case reflect.Bool:
		v.SetBool(!s.fuzz || s.byte()&1 == 1)
	default:
		panic("fill: no filler for " + v.Type().String())
	}
}

// float returns a number other than zero (with fuzz, any number: a
// tricky one, or any 64 bits).
func (s *source) float(k int) float64 {
	if !s.fuzz {
		return trickyFloats[1+k%(len(trickyFloats)-1)]
	}
	if b := s.byte(); b < 128 {
		return trickyFloats[int(b)%len(trickyFloats)]
	}
	var b [8]byte
	for i := range b {
		b[i] = s.byte()
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
}
