package offline

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
)

// ErrBadModel is returned (wrapped) for a model file this build cannot use.
var ErrBadModel = errors.New("offline: bad model file")

// Model file format: a gzip stream of
//
//	magic "SWPR", format version uint16, feature version uint16,
//	header length uint32, header (JSON: fileHeader),
//	weights [len(Weights)]float32, centroids [kinds][1<<bits]float32,
//	CRC-32 (IEEE) of everything before it, uint32
//
// all little-endian.
const (
	fileMagic   = "SWPR"
	fileVersion = 1
	// FeatureVersion changes whenever Extract changes, so that a model is
	// never read with features it was not trained on.
	FeatureVersion = 1
	maxHeader      = 16 << 20
	maxFileBytes   = 1 << 30
)

// fileHeader is everything in the model but the large arrays.
type fileHeader struct {
	Features  FeatureConfig `json:"features"`
	Models    []string      `json:"models"`
	Kinds     int           `json:"kinds"`
	Bias      []float32     `json:"bias"`
	KindLogit []float32     `json:"kind_logit"`
	CalScale  []float32     `json:"cal_scale"`
	CalShift  []float32     `json:"cal_shift"`
	CostBase  []float64     `json:"cost_base"`
	CostPerKB []float64     `json:"cost_per_kb"`
	MeanCost  []float64     `json:"mean_cost"`
	CostScale float64       `json:"cost_scale"`
	Trained   TrainInfo     `json:"trained"`
}

// Save writes the model in the format Load reads. It refuses (with
// ErrBadModel) a model that Load would refuse.
func (m *Model) Save(w io.Writer) error {
	if err := m.validate(); err != nil {
		return err
	}
	h := fileHeader{
		Features: m.Features, Models: m.Models, Kinds: len(m.Centroids), Bias: m.Bias, KindLogit: m.KindLogit,
		CalScale: m.CalScale, CalShift: m.CalShift, CostBase: m.CostBase, CostPerKB: m.CostPerKB,
		MeanCost: m.MeanCost, CostScale: m.CostScale, Trained: m.Trained,
	}
	head, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("offline: save model: %w", err)
	}
	b := make([]byte, 0, 12+len(head)+4*len(m.Weights)+4)
	b = append(b, fileMagic...)
	b = binary.LittleEndian.AppendUint16(b, fileVersion)
	b = binary.LittleEndian.AppendUint16(b, FeatureVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(head)))
	b = append(b, head...)
	b = appendFloats(b, m.Weights)
	for _, c := range m.Centroids {
		b = appendFloats(b, c)
	}
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	gz := gzip.NewWriter(w)
	if _, err := gz.Write(b); err != nil {
		return fmt.Errorf("offline: save model: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("offline: save model: %w", err)
	}
	return nil
}

// SaveFile writes the model to path.
func (m *Model) SaveFile(path string) error {
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("offline: %w", err)
	}
	return nil
}

func appendFloats(b []byte, fs []float32) []byte {
	for _, f := range fs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

// LoadFile reads a model file written by SaveFile (or `switchyard learn
// fit`).
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	defer f.Close()
	m, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Load reads a model written by Save. It returns an error wrapping
// ErrBadModel for a file that is corrupt, truncated, of another format or
// feature version, or whose arrays do not fit together.
func Load(r io.Reader) (*Model, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: not gzip: %v", ErrBadModel, err)
	}
	b, err := io.ReadAll(io.LimitReader(gz, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	if len(b) > maxFileBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrBadModel, maxFileBytes)
	}
	if len(b) < 12+4 || string(b[:4]) != fileMagic {
		return nil, fmt.Errorf("%w: no %s header", ErrBadModel, fileMagic)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrBadModel)
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != fileVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d", ErrBadModel, v, fileVersion)
	}
	if v := binary.LittleEndian.Uint16(b[6:]); v != FeatureVersion {
		return nil, fmt.Errorf("%w: feature version %d, want %d", ErrBadModel, v, FeatureVersion)
	}
	n := int(binary.LittleEndian.Uint32(b[8:]))
	if n > maxHeader || 12+n > len(body) {
		return nil, fmt.Errorf("%w: header of %d bytes", ErrBadModel, n)
	}
	var h fileHeader
	if err := json.Unmarshal(body[12:12+n], &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrBadModel, err)
	}
	m, err := h.model(body[12+n:])
	if err != nil {
		return nil, err
	}
	m.noteWeights()
	if err := m.validate(); err != nil {
		return nil, err // not the model that failed: a caller may test it for nil
	}
	return m, nil
}

// model builds the model of the header and the arrays that follow it.
func (h *fileHeader) model(rest []byte) (*Model, error) {
	if err := h.Features.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	if h.Kinds < 0 || h.Kinds > MaxClusters {
		return nil, fmt.Errorf("%w: %d kinds", ErrBadModel, h.Kinds)
	}
	m := &Model{
		Features: h.Features, Models: h.Models, Bias: h.Bias, KindLogit: h.KindLogit, CalScale: h.CalScale,
		CalShift: h.CalShift, CostBase: h.CostBase, CostPerKB: h.CostPerKB, MeanCost: h.MeanCost,
		CostScale: h.CostScale, Trained: h.Trained,
	}
	buckets := 1 << h.Features.Bits
	nw := buckets * (len(h.Models) + 1)
	if len(rest) != 4*(nw+h.Kinds*buckets) {
		return nil, fmt.Errorf("%w: %d bytes of arrays, want %d", ErrBadModel, len(rest), 4*(nw+h.Kinds*buckets))
	}
	m.Weights, rest = readFloats(rest, nw)
	for range h.Kinds {
		var c []float32
		c, rest = readFloats(rest, buckets)
		m.Centroids = append(m.Centroids, c)
	}
	return m, nil
}

func readFloats(b []byte, n int) ([]float32, []byte) {
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out, b[4*n:]
}
