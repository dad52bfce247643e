package sim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
)

// KnowledgeFormat is the encoding of a knowledge file.
type KnowledgeFormat string

// The knowledge file formats.
const (
	// KnowledgeAuto picks JSON when the first non-blank byte is "{" or
	// "[", else YAML.
	KnowledgeAuto KnowledgeFormat = ""
	// KnowledgeJSON is JSON Lines (one entry object a line; blank lines
	// are skipped) or one JSON array of entries.
	KnowledgeJSON KnowledgeFormat = "json"
	// KnowledgeYAML is a YAML list of entries.
	KnowledgeYAML KnowledgeFormat = "yaml"
)

// MaxKnowledgeBytes bounds a knowledge file or request body.
const MaxKnowledgeBytes = 64 << 20

// ReadKnowledge decodes knowledge entries from r (at most
// MaxKnowledgeBytes) and checks each (Entry.Check). Fields other than an
// Entry's are an error, as is a file with no entry. Errors name the line
// (JSON Lines) or the entry's index.
func ReadKnowledge(r io.Reader, format KnowledgeFormat) ([]Entry, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxKnowledgeBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxKnowledgeBytes {
		return nil, fmt.Errorf("knowledge over %d bytes", MaxKnowledgeBytes)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if format == KnowledgeAuto {
		format = KnowledgeYAML
		if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
			format = KnowledgeJSON
		}
	}
	var entries []Entry
	switch format {
	case KnowledgeJSON:
		entries, err = decodeKnowledgeJSON(trimmed)
	case KnowledgeYAML:
		entries, err = decodeKnowledgeYAML(data)
	default:
		return nil, fmt.Errorf("unknown knowledge format %q (want json or yaml)", format)
	}
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, errors.New("no knowledge entry")
	}
	return entries, nil
}

func decodeKnowledgeJSON(data []byte) ([]Entry, error) {
	if len(data) > 0 && data[0] == '[' {
		var entries []Entry
		if err := decodeStrictJSON(data, &entries); err != nil {
			return nil, fmt.Errorf("knowledge: %w", err)
		}
		for i := range entries {
			if err := entries[i].Check(); err != nil {
				return nil, fmt.Errorf("knowledge entry %d: %w", i, err)
			}
		}
		return entries, nil
	}
	var entries []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, MaxKnowledgeBytes)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e Entry
		if err := decodeStrictJSON(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("knowledge line %d: %w", line, err)
		}
		if err := e.Check(); err != nil {
			return nil, fmt.Errorf("knowledge line %d: %w", line, err)
		}
		entries = append(entries, e)
	}
	return entries, sc.Err()
}

// decodeKnowledgeYAML decodes a YAML list of entries. The YAML library
// panics on some malformed input (its fuzzing finds nil dereferences):
// that is an error here, as config/ does.
func decodeKnowledgeYAML(data []byte) (entries []Entry, err error) {
	defer func() {
		if r := recover(); r != nil {
			entries, err = nil, fmt.Errorf("knowledge: invalid YAML: parser failed: %v", r)
		}
	}()
	if err := yaml.UnmarshalWithOptions(data, &entries, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("knowledge: %w", err)
	}
	for i := range entries {
		if err := entries[i].Check(); err != nil {
			return nil, fmt.Errorf("knowledge entry %d: %w", i, err)
		}
	}
	return entries, nil
}

// decodeStrictJSON decodes exactly one JSON value into v, rejecting
// unknown fields.
func decodeStrictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// LoadKnowledge reads a knowledge file: JSON Lines or a JSON array for
// .jsonl, .ndjson and .json, YAML for .yaml and .yml, else by its first
// byte (see ReadKnowledge). Errors name the file.
func LoadKnowledge(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	format := KnowledgeAuto
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson", ".json":
		format = KnowledgeJSON
	case ".yaml", ".yml":
		format = KnowledgeYAML
	}
	entries, err := ReadKnowledge(f, format)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}
