package quality

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaCacheSize bounds the compiled schemas a Checker keeps: distinct
// response-format and tool-parameter schemas are few per deployment, and
// one that falls out is merely compiled again.
const schemaCacheSize = 256

// schema is a compiled JSON Schema.
type schema struct {
	s *jsonschema.Schema
}

// valid reports whether doc is JSON valid against the schema. A panic of
// the validator (a bug on some odd input) counts as valid: the record
// sink must not die, and the model is not to blame for it.
func (sch *schema) valid(doc string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = true
		}
	}()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return false
	}
	return sch.s.Validate(v) == nil
}

// schemaCache maps a schema's SHA-256 to its compilation, least recently
// used first out. A schema that does not compile is cached too (as nil), so
// it is not compiled again on every request. The zero value is ready.
type schemaCache struct {
	mu    sync.Mutex
	byKey map[[sha256.Size]byte]*list.Element
	order list.List // of *cacheEntry, most recently used at the front
}

type cacheEntry struct {
	key [sha256.Size]byte
	sch *schema // nil: does not compile
}

// get returns the compiled raw schema, or nil when raw is empty or does
// not compile. Compilation runs outside the lock; two goroutines asking for
// the same new schema at once may both compile it.
func (c *schemaCache) get(raw json.RawMessage) *schema {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	key := sha256.Sum256(raw)
	c.mu.Lock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		sch := e.Value.(*cacheEntry).sch
		c.mu.Unlock()
		return sch
	}
	c.mu.Unlock()
	sch := compileSchema(raw)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = make(map[[sha256.Size]byte]*list.Element)
	}
	if _, ok := c.byKey[key]; !ok {
		c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, sch: sch})
		if c.order.Len() > schemaCacheSize {
			last := c.order.Back()
			c.order.Remove(last)
			delete(c.byKey, last.Value.(*cacheEntry).key)
		}
	}
	return sch
}

// len returns the number of cached schemas.
func (c *schemaCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// schemaURL is where a compiled schema lives for the compiler; it only
// names the document.
const schemaURL = "mem:///schema.json"

// compileSchema compiles raw, a client's JSON Schema, with formats
// asserted (an answer must match the "format"s the client asked for) and
// draft 2020-12 for schemas that name none. References outside the schema
// are not loaded (the compiler would read local files otherwise): a schema
// that needs one does not compile. It returns nil when raw does not
// compile, or the compiler panics on it.
func compileSchema(raw json.RawMessage) (sch *schema) {
	defer func() {
		if recover() != nil {
			sch = nil
		}
	}()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil
	}
	return &schema{s: s}
}

// noLoader loads no URL: client schemas may only refer inside themselves
// (the standard meta-schemas are built into the library).
type noLoader struct{}

var errNoLoad = errors.New("quality: schemas may not refer to other documents")

// Load implements jsonschema.URLLoader.
func (noLoader) Load(string) (any, error) { return nil, errNoLoad }
