package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"

	"switchyard/classify/internal/feature"
	"switchyard/llm"
)

// Model file format (little-endian):
//
//	magic "SWCL", version uint16, featureVersion uint16, bucket bits uint8,
//	class count uint8, two zero bytes,
//	per class: name length uint8 + name (llm.Categories order),
//	scale [classes]float32, bias [classes]float32,
//	weights [1<<bits][8]int8 (bucket-major; the 8th byte is padding, zero),
//	cluster word count uint32; if nonzero: tree depth uint8, edge lines
//	only uint8 (0 or 1), feature levels uint32 (bit d: depth d), per word:
//	key uint32, path uint16
//	(see classify/internal/feature/clusters.go);
//	CRC-32 (IEEE) of everything before it, uint32.
const (
	modelMagic     = "SWCL"
	modelVersion   = 2
	featureVersion = 9 // bump whenever feature extraction changes
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
	b = c.appendClusters(b)
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
	if err := c.readClusters(p[n:]); err != nil {
		return nil, err
	}
	return c, nil
}

// appendClusters appends the cluster table section (see the format above).
func (c *Classifier) appendClusters(b []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(c.clusterKeys)))
	if c.clus == nil {
		return b
	}
	b = append(b, byte(c.clus.Depth()), byte(b2i(c.clus.Edge())))
	b = binary.LittleEndian.AppendUint32(b, c.clus.Levels())
	for i, k := range c.clusterKeys {
		b = binary.LittleEndian.AppendUint32(b, k)
		b = binary.LittleEndian.AppendUint16(b, c.clusterPaths[i])
	}
	return b
}

// readClusters parses the cluster table section, which must end the body,
// into c.
func (c *Classifier) readClusters(p []byte) error {
	n := int(binary.LittleEndian.Uint32(p))
	p = p[4:]
	if n == 0 {
		if len(p) != 0 {
			return fmt.Errorf("%w: %d trailing bytes", ErrBadModel, len(p))
		}
		return nil
	}
	if len(p) != 6+6*n || p[1] > 1 {
		return fmt.Errorf("%w: cluster table of %d words in %d bytes", ErrBadModel, n, len(p))
	}
	depth, edge, levels := int(p[0]), p[1] == 1, binary.LittleEndian.Uint32(p[2:])
	p = p[6:]
	keys, paths := make([]uint32, n), make([]uint16, n)
	for i := range keys {
		keys[i] = binary.LittleEndian.Uint32(p[6*i:])
		paths[i] = binary.LittleEndian.Uint16(p[6*i+4:])
	}
	return c.setClusters(keys, paths, depth, levels, edge)
}

// setClusters builds c's cluster table.
func (c *Classifier) setClusters(keys []uint32, paths []uint16, depth int, levels uint32, edge bool) error {
	t, err := feature.NewClusters(keys, paths, depth, levels, edge)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadModel, err)
	}
	c.clus, c.clusterKeys, c.clusterPaths = t, keys, paths
	return nil
}

// WithClusters returns a copy of c that also extracts word cluster
// features: keys[i] is a word's key as the feature extractor computes it,
// paths[i] its path in a binary cluster tree of the given depth (its top
// bit set for a word that adds no features), the nodes at the depths set
// in levels (bit d for depth d) are features, and edge limits them to the
// words of the first and last lines. The trainer builds its model with it.
// It returns an error wrapping ErrBadModel for a table the extractor
// cannot use (no words, a zero or repeated key, a path or level deeper
// than depth).
func (c *Classifier) WithClusters(keys []uint32, paths []uint16, depth int, levels uint32, edge bool) (*Classifier, error) {
	d := *c
	if err := d.setClusters(slices.Clone(keys), slices.Clone(paths), depth, levels, edge); err != nil {
		return nil, err
	}
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

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
