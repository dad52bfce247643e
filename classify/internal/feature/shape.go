package feature

import "strings"

// The shape of the instruction: how long it is, how long its first line
// is and how much text follows that line. A short line over a long block
// is a task on a given document (summarize, extract, answer from it); a
// one-line question of ten words, a word problem of five sentences or a
// chat turn of three words each have a shape of their own, whatever their
// words. Lengths are in bytes, in log2 buckets.

// shape holds the bucketed shape of a text.
type shape struct {
	size  int // whole text: bucket of len/shapeSizeUnit
	first int // first non-blank line: bucket of len/shapeFirstUnit
	rest  int // what follows the first line: bucket of len/shapeRestUnit
}

// Bucket units and caps.
const (
	shapeSizeUnit, shapeSizeMax   = 16, 10 // 16 B … 8 KB and more
	shapeFirstUnit, shapeFirstMax = 8, 8   // 8 B … 1 KB and more
	shapeRestUnit, shapeRestMax   = 64, 7  // 64 B … 4 KB and more
)

// textShape returns the shape of s.
func textShape(s string) shape {
	firstEnd, _ := edgeLines(s)
	lead := len(s) - len(strings.TrimLeft(s, " \t\r\n"))
	return shape{
		size:  bucket(len(s)/shapeSizeUnit, shapeSizeMax),
		first: bucket((firstEnd-lead)/shapeFirstUnit, shapeFirstMax),
		rest:  bucket((len(s)-firstEnd)/shapeRestUnit, shapeRestMax),
	}
}

// shapeFeatures adds the main text's shape as structural features, with
// two conjunctions a linear model cannot form itself: the first line's
// length with what follows it, and a final question mark with the length.
func (x *Extractor) shapeFeatures(s string) {
	sh := textShape(s)
	for _, v := range [...]struct {
		name string
		v    int
	}{
		{"len", sh.size}, {"firstlen", sh.first}, {"rest", sh.rest},
		{"first+rest", sh.first*(shapeRestMax+1) + sh.rest},
		{"endq+len", b2i(x.st.endsQ)*16 + sh.size}, // size < 16
	} {
		x.push(nsShape, structHash(v.name, v.v))
	}
}
