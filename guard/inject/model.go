package inject

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"sync"
)

// Model is the scorer's learned part: one weight per hashed word, word
// pair and class n-gram bucket (int8, with one scale), one weight per
// hand-written feature and channel, and a bias per channel. A window's
// log-odds is the bias plus the weights of its buckets and the weighted
// counts of its features. A Model is immutable and safe for concurrent
// use.
type Model struct {
	bits   uint8
	hashed []int8
	scale  float32
	dense  [numChannels][numFeatures]float32
	bias   [numChannels]float32
}

// Model file format (little-endian):
//
//	magic "SWIJ", version uint16, featureVersion uint16, bucket bits uint8,
//	feature count uint8, two zero bytes,
//	scale float32, bias [2]float32, dense [2][features]float32,
//	hashed [1<<bits]int8,
//	CRC-32 (IEEE) of everything before it, uint32.
const (
	modelMagic   = "SWIJ"
	modelVersion = 1
	// FeatureVersion changes whenever feature extraction changes: a model
	// trained on other features is refused.
	FeatureVersion = 6
	minBits        = 10
	maxBits        = 22
)

// ErrBadModel is returned (wrapped) by LoadModel for a file that is not
// a model this build can use.
var ErrBadModel = errors.New("inject: bad model file")

// NewModel quantizes trained weights into a Model: hashed holds 1<<bits
// bucket weights, dense and bias the per-channel feature weights and
// biases (channel 0 the prompt, 1 data). It panics if len(hashed) is not
// 1<<bits or bits is out of range.
func NewModel(bits uint, hashed []float64, dense [2][]float64, bias [2]float64) *Model {
	if bits < minBits || bits > maxBits || len(hashed) != 1<<bits || len(dense[0]) != int(numFeatures) || len(dense[1]) != int(numFeatures) {
		panic("inject: NewModel: bad sizes")
	}
	m := &Model{bits: uint8(bits), hashed: make([]int8, len(hashed))}
	top := 0.0
	for _, v := range hashed {
		top = max(top, math.Abs(v))
	}
	if top > 0 {
		m.scale = float32(top / 127)
		for i, v := range hashed {
			m.hashed[i] = int8(math.Round(v / float64(m.scale)))
		}
	}
	for ch := range dense {
		m.bias[ch] = float32(bias[ch])
		for f, v := range dense[ch] {
			m.dense[ch][f] = float32(v)
		}
	}
	return m
}

// Bits returns log2 of the model's bucket count.
func (m *Model) Bits() uint { return uint(m.bits) }

// DenseWeight returns the weight of hand-written feature f (an index into
// FeatureNames) on channel ch (0 prompt, 1 data).
func (m *Model) DenseWeight(ch, f int) float32 { return m.dense[ch][f] }

// Save writes the model in the format LoadModel reads. The bytes depend
// only on the model, so a deterministic trainer gives identical files.
func (m *Model) Save(w io.Writer) error {
	b := make([]byte, 0, 64+len(m.hashed)+8*int(numFeatures))
	b = append(b, modelMagic...)
	b = binary.LittleEndian.AppendUint16(b, modelVersion)
	b = binary.LittleEndian.AppendUint16(b, FeatureVersion)
	b = append(b, m.bits, byte(numFeatures), 0, 0)
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(m.scale))
	for ch := range m.bias {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(m.bias[ch]))
	}
	for ch := range m.dense {
		for _, v := range m.dense[ch] {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	for _, v := range m.hashed {
		b = append(b, byte(v))
	}
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("inject: save model: %w", err)
	}
	return nil
}

// LoadModel reads a model written by Save. It returns an error wrapping
// ErrBadModel if the file is corrupt, truncated, or made for another
// feature extraction.
func LoadModel(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("inject: read model: %w", err)
	}
	const head = 16
	if len(b) < head+4 || string(b[:4]) != modelMagic {
		return nil, fmt.Errorf("%w: no %s header", ErrBadModel, modelMagic)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrBadModel)
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != modelVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d", ErrBadModel, v, modelVersion)
	}
	if v := binary.LittleEndian.Uint16(b[6:]); v != FeatureVersion {
		return nil, fmt.Errorf("%w: made for feature version %d, this build extracts version %d: retrain", ErrBadModel, v, FeatureVersion)
	}
	bits, nf := b[8], b[9]
	if bits < minBits || bits > maxBits || nf != byte(numFeatures) {
		return nil, fmt.Errorf("%w: %d bucket bits and %d features, want %d..%d and %d", ErrBadModel, bits, nf, minBits, maxBits, numFeatures)
	}
	if b[10] != 0 || b[11] != 0 {
		return nil, fmt.Errorf("%w: reserved header bytes %#x %#x, want 0", ErrBadModel, b[10], b[11])
	}
	want := 12 + 4 + 8 + 8*int(numFeatures) + 1<<bits
	if len(body) != want {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrBadModel, len(body), want)
	}
	m := &Model{bits: bits, hashed: make([]int8, 1<<bits)}
	p := b[12:]
	f32 := func() float32 {
		v := math.Float32frombits(binary.LittleEndian.Uint32(p))
		p = p[4:]
		return v
	}
	m.scale = f32()
	for ch := range m.bias {
		m.bias[ch] = f32()
	}
	for ch := range m.dense {
		for f := range m.dense[ch] {
			m.dense[ch][f] = f32()
		}
	}
	for i := range m.hashed {
		m.hashed[i] = int8(p[i])
	}
	floats := append([]float32{m.scale}, m.bias[:]...)
	for ch := range m.dense {
		floats = append(floats, m.dense[ch][:]...)
	}
	for _, v := range floats {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("%w: a weight of %v", ErrBadModel, v)
		}
	}
	return m, nil
}

//go:embed model/weights.bin
var embedded []byte

var defaultModel = sync.OnceValues(func() (*Model, error) { return LoadModel(bytes.NewReader(embedded)) })

// DefaultModel returns the embedded model, loaded once. It panics if the
// embedded file is unusable, which a test of this package catches.
func DefaultModel() *Model {
	m, err := defaultModel()
	if err != nil {
		panic(err)
	}
	return m
}

// Bias returns the model's bias (log-odds) of the prompt and data
// channels.
func (m *Model) Bias() [2]float32 { return m.bias }
