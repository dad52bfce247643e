package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"switchyard/llm"
)

// Model file format (little-endian):
//
//	magic "SWCL", version uint16, featureVersion uint16, bucket bits uint8,
//	class count uint8, two zero bytes,
//	per class: name length uint8 + name (llm.Categories order),
//	scale [classes]float32, bias [classes]float32,
//	weights [1<<bits][8]int8 (bucket-major; the 8th byte is padding, zero),
//	word count uint32; if nonzero: unknown-word weight float32, word scale
//	[classes]float32, per word: key uint32, class weights [classes]int8,
//	word weight int8 (see words.go);
//	CRC-32 (IEEE) of everything before it, uint32.
const (
	modelMagic     = "SWCL"
	modelVersion   = 2
	featureVersion = 10 // bump whenever feature extraction changes
	minBits        = 10
	maxBits        = 24
)

// ErrBadModel is returned (wrapped) by Load for a file that is not a model
// this build can use.
var ErrBadModel = errors.New("classify: bad model file")

// Save writes the model in the format Load reads (bucket weights as
// int8, per-class scale and bias). The bytes depend only on
// the model, so a deterministic trainer gives identical files.
func (c *Classifier) Save(w io.Writer) error {
	b := make([]byte, 0, 64+len(c.weights))
	b = append(b, modelMagic...)
	b = binary.LittleEndian.AppendUint16(b, modelVersion)
	b = binary.LittleEndian.AppendUint16(b, featureVersion)
	b = append(b, byte(c.bits), numClasses, 0, 0)
	for _, cat := range llm.Categories {
		b = append(b, byte(len(cat)))
		b = append(b, cat...)
	}
	for _, v := range c.scale {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	for _, v := range c.bias {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	for _, v := range c.weights {
		b = append(b, v-128) // biased in memory, plain int8 on disk
	}
	b = c.appendWords(b)
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("classify: save model: %w", err)
	}
	return nil
}

// Load reads a model written by Save (as `switchyard classify train` does). It
// returns an error wrapping ErrBadModel if the file is corrupt, truncated,
// or made for another feature extraction or category set.
func Load(r io.Reader) (*Classifier, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("classify: read model: %w", err)
	}
	if len(b) < 16+4 || string(b[:4]) != modelMagic {
		return nil, fmt.Errorf("%w: no %s header", ErrBadModel, modelMagic)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrBadModel)
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != modelVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d", ErrBadModel, v, modelVersion)
	}
	if v := binary.LittleEndian.Uint16(b[6:]); v != featureVersion {
		return nil, fmt.Errorf("%w: feature version %d, want %d", ErrBadModel, v, featureVersion)
	}
	c := &Classifier{bits: uint(b[8])}
	if c.bits < minBits || c.bits > maxBits || b[9] != numClasses {
		return nil, fmt.Errorf("%w: %d bucket bits, %d classes", ErrBadModel, b[8], b[9])
	}
	p := body[12:]
	for _, cat := range llm.Categories {
		if len(p) < 1+len(cat) || int(p[0]) != len(cat) || string(p[1:1+len(cat)]) != string(cat) {
			return nil, fmt.Errorf("%w: categories differ from llm.Categories", ErrBadModel)
		}
		p = p[1+len(cat):]
	}
	n := (1 << c.bits) * 8
	if len(p) < 8*numClasses+n+4 {
		return nil, fmt.Errorf("%w: %d weight bytes, want %d", ErrBadModel, len(p)-8*numClasses, n)
	}
	for k := range numClasses {
		c.scale[k] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*k:]))
		c.bias[k] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*(numClasses+k):]))
	}
	p = p[8*numClasses:]
	c.weights = make([]byte, n)
	for i, v := range p[:n] {
		c.weights[i] = v + 128
	}
	if c.words, err = readWords(p[n:]); err != nil {
		return nil, err
	}
	return c, nil
}

// appendWords appends the word table section (see the format above).
func (c *Classifier) appendWords(b []byte) []byte {
	if c.words == nil {
		return binary.LittleEndian.AppendUint32(b, 0)
	}
	t := c.words
	b = binary.LittleEndian.AppendUint32(b, uint32(len(t.words)))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(t.unknown))
	for _, v := range t.scale {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	for _, w := range t.words {
		b = binary.LittleEndian.AppendUint32(b, w.Key)
		for _, v := range w.Weights {
			b = append(b, byte(v))
		}
		b = append(b, byte(w.Weight))
	}
	return b
}

// wordRecord is the size of one word in the file.
const wordRecord = 4 + numClasses + 1

// readWords parses the word table section, which must end the body.
func readWords(p []byte) (*wordTable, error) {
	n := int(binary.LittleEndian.Uint32(p))
	p = p[4:]
	if n == 0 {
		if len(p) != 0 {
			return nil, fmt.Errorf("%w: %d trailing bytes", ErrBadModel, len(p))
		}
		return nil, nil
	}
	if n > maxTableWords || len(p) != 4+4*numClasses+n*wordRecord {
		return nil, fmt.Errorf("%w: word table of %d words in %d bytes", ErrBadModel, n, len(p))
	}
	unknown := math.Float32frombits(binary.LittleEndian.Uint32(p))
	var scale [numClasses]float32
	for k := range scale {
		scale[k] = math.Float32frombits(binary.LittleEndian.Uint32(p[4+4*k:]))
	}
	p = p[4+4*numClasses:]
	words := make([]WordWeights, n)
	for i := range words {
		r := p[i*wordRecord:]
		words[i].Key = binary.LittleEndian.Uint32(r)
		for k := range numClasses {
			words[i].Weights[k] = int8(r[4+k])
		}
		words[i].Weight = int8(r[4+numClasses])
	}
	return newWordTable(words, scale, unknown)
}

// WithWords returns a copy of c that also scores words by the given table
// (see WordWeights): scale[k] turns class k's weighted mean into logits,
// unknown is the weight of a word not in the table. It returns an error
// wrapping ErrBadModel for an empty table, a key that is zero or given
// twice, or a negative weight.
func (c *Classifier) WithWords(words []WordWeights, scale [numClasses]float32, unknown float32) (*Classifier, error) {
	t, err := newWordTable(words, scale, unknown)
	if err != nil {
		return nil, err
	}
	d := *c
	d.words = t
	return &d, nil
}

// New returns a classifier with the given quantized model: rows[b] holds
// bucket b's int8 weight of each class (llm.Categories order), scale[k] the
// factor that turns class k's weight sums into logits and bias[k] its
// bias. It returns an error wrapping ErrBadModel unless len(rows) is a power
// of two in [2^10, 2^24]. A trainer builds its model with it and writes it
// with Save.
func New(rows [][numClasses]int8, scale, bias [numClasses]float32) (*Classifier, error) {
	bits := uint(0)
	for 1<<bits < len(rows) {
		bits++
	}
	if 1<<bits != len(rows) || bits < minBits || bits > maxBits {
		return nil, fmt.Errorf("%w: %d buckets, want a power of two in [2^%d, 2^%d]", ErrBadModel, len(rows), minBits, maxBits)
	}
	c := &Classifier{bits: bits, scale: scale, bias: bias, weights: bytes.Repeat([]byte{128}, len(rows)*8)}
	for b, row := range rows {
		for k, v := range row {
			c.weights[b*8+k] = byte(v) + 128
		}
	}
	return c, nil
}
