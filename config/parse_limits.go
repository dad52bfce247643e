package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// MaxBytes is the largest configuration text read: a file (at start,
// by config check, on a reload) or one sent to the admin API.
const MaxBytes = 4 << 20

// MaxDepth is how deeply a configuration's mappings and lists may nest,
// in flow ({…}, […]) and block style alike. The deepest field is a
// dozen levels down.
const MaxDepth = 100

// ErrTooLarge is the error ReadFile and Load return, in an
// *fs.PathError, for a file over MaxBytes.
var ErrTooLarge = errors.New("the configuration is over the limit of 4 MiB")

// ReadFile returns the bytes of the configuration file at path, reading
// no more than MaxBytes: a larger file is an *fs.PathError wrapping
// ErrTooLarge, another failure os.Open's or the read's.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	switch {
	case err != nil:
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	case len(data) > MaxBytes:
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
	}
	return data, nil
}

// utf8BOM is the byte order mark some editors start a UTF-8 file with.
var utf8BOM = []byte("\ufeff")

// checkShape refuses a text the parser should not be given: one over
// MaxBytes, or one nested deeper than MaxDepth (the parser keeps each
// node's path, so its memory grows with the square of the depth: 200 KB
// of brackets took gigabytes). The text is only tokenized, which takes
// memory in proportion to its size.
func checkShape(data []byte) *FieldError {
	if len(data) > MaxBytes {
		return &FieldError{
			Problem: fmt.Sprintf("the configuration is %d bytes, over the limit of %d", len(data), MaxBytes),
			Hint:    "a configuration is a few kilobytes; keep large data in the files it points to",
		}
	}
	var n nesting
	tokens := lexer.Tokenize(string(data))
	for i, tk := range tokens {
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			n.flow++
		case token.SequenceEndType, token.MappingEndType:
			n.flow = max(n.flow-1, 0)
		case token.SequenceEntryType:
			n.block(tk.Position.Column)
		case token.MappingValueType:
			if i > 0 {
				n.block(tokens[i-1].Position.Column)
			}
		default:
			continue
		}
		if n.depth() > MaxDepth {
			return &FieldError{
				Line: tk.Position.Line, Column: tk.Position.Column,
				Problem: fmt.Sprintf("mappings and lists nested more than %d deep", MaxDepth),
				Hint:    "no field of the configuration is that deep",
			}
		}
	}
	return nil
}

// nesting follows how deeply a token stream is nested: the flow
// collections open, and the columns of the block collections open (a
// key's or a "- " entry's), as YAML's indentation rules close them.
type nesting struct {
	flow    int
	columns []int
}

// block notes a block key or entry at column; inside a flow collection
// the brackets count instead.
func (n *nesting) block(column int) {
	if n.flow > 0 {
		return
	}
	for len(n.columns) > 0 && n.columns[len(n.columns)-1] > column {
		n.columns = n.columns[:len(n.columns)-1]
	}
	if len(n.columns) == 0 || n.columns[len(n.columns)-1] < column {
		n.columns = append(n.columns, column)
	}
}

func (n *nesting) depth() int { return n.flow + len(n.columns) }

// trimBOM returns data without a leading UTF-8 byte order mark.
func trimBOM(data []byte) []byte {
	return bytes.TrimPrefix(data, utf8BOM)
}
