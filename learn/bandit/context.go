// Package bandit is the arithmetic of adaptive routing: the context a
// request is learned in, discounted Beta statistics per arm (route ×
// context × deployment × tenant), the pooled posterior of an arm's
// p(good), and the capped ε-greedy/Thompson choice with its selection
// probability (propensity).
//
// It does no I/O, reads no clock it is not handed and starts no
// goroutines: route reads an immutable Snapshot on the hot path, and
// switchyard/learn/adaptive owns the mutable Table that outcomes update
// off the hot path. See docs/adaptive.md.
package bandit

import (
	"fmt"
	"strings"

	"switchyard/llm"
)

// Context is the part of a request the bandit conditions on, packed in
// 16 bits: the category, a prompt-size bucket, the language (English or
// not), the turn (first or later) and whether the request is structured
// (tools or JSON output), plus the level of pooling it stands for. Keep
// it small so that data is not spread too thin: there are at most
// 8 × 4 × 2 × 2 × 2 = 512 full contexts.
type Context uint16

// Levels of a Context: the full context, its category alone, or every
// request (global). Each is pooled into the next finer one.
const (
	LevelFull     Context = 0
	LevelCategory Context = 1 << 12
	LevelGlobal   Context = 2 << 12
	levelMask     Context = 3 << 12
)

const (
	catMask       Context = 7 // 0..6: llm.Categories; 7: none
	noCategory    Context = 7
	sizeShift             = 3
	sizeMask      Context = 3 << sizeShift
	otherLanguage Context = 1 << 5
	laterTurn     Context = 1 << 6
	structured    Context = 1 << 7
	fullMask              = catMask | sizeMask | otherLanguage | laterTurn | structured
)

// SizeBuckets are the upper bounds (exclusive) of the prompt-size
// buckets, in tokens; a prompt of at least the last is in the last bucket.
var SizeBuckets = [3]int{500, 2000, 8000}

var sizeNames = [4]string{"<500", "<2000", "<8000", ">=8000"}

// Features are what a Context is made of.
type Features struct {
	// Category is the category routing used; "" or an unknown one is
	// "none".
	Category     llm.Category
	PromptTokens int
	// Language is an ISO 639-1 code; "" counts as English.
	Language string
	// Turn is the number of user messages before the last (0: first).
	Turn int
	// Structured reports a request offering tools or asking for JSON.
	Structured bool
}

// ContextOf returns the full context of f. It does not allocate.
func ContextOf(f Features) Context {
	c := noCategory
	for i, x := range llm.Categories {
		if x == f.Category {
			c = Context(i)
			break
		}
	}
	size := len(SizeBuckets)
	for i, b := range SizeBuckets {
		if f.PromptTokens < b {
			size = i
			break
		}
	}
	c |= Context(size) << sizeShift
	if f.Language != "" && f.Language != "en" {
		c |= otherLanguage
	}
	if f.Turn > 0 {
		c |= laterTurn
	}
	if f.Structured {
		c |= structured
	}
	return c
}

// Level returns the context's level (LevelFull, LevelCategory or
// LevelGlobal).
func (c Context) Level() Context { return c & levelMask }

// Category returns the category level of c.
func (c Context) Category() Context { return c&catMask | LevelCategory }

// Global is the context of every request.
const Global = LevelGlobal

// CategoryName returns the category of c, "" for none or for Global.
func (c Context) CategoryName() llm.Category {
	if c.Level() == LevelGlobal || c&catMask == noCategory {
		return ""
	}
	return llm.Categories[c&catMask]
}

// String renders c as "<category>/<size>/<en|other>/<first|later>/<plain|structured>",
// "<category>" for the category level and "*" for Global; ParseContext
// reads it back.
func (c Context) String() string {
	if c.Level() == LevelGlobal {
		return "*"
	}
	cat := string(c.CategoryName())
	if cat == "" {
		cat = "none"
	}
	if c.Level() == LevelCategory {
		return cat
	}
	parts := []string{cat, sizeNames[(c&sizeMask)>>sizeShift], "en", "first", "plain"}
	if c&otherLanguage != 0 {
		parts[2] = "other"
	}
	if c&laterTurn != 0 {
		parts[3] = "later"
	}
	if c&structured != 0 {
		parts[4] = "structured"
	}
	return strings.Join(parts, "/")
}

// MarshalText implements encoding.TextMarshaler with String.
func (c Context) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseContext.
func (c *Context) UnmarshalText(b []byte) error {
	v, ok := ParseContext(string(b))
	if !ok {
		return fmt.Errorf("bandit: bad context %q", b)
	}
	*c = v
	return nil
}

// ParseContext reads what String writes; ok is false for anything else.
func ParseContext(s string) (c Context, ok bool) {
	if s == "*" {
		return Global, true
	}
	parts := strings.Split(s, "/")
	cat, ok := parseCategory(parts[0])
	if !ok {
		return 0, false
	}
	if len(parts) == 1 {
		return cat | LevelCategory, true
	}
	if len(parts) != 5 {
		return 0, false
	}
	c = cat
	size := -1
	for i, n := range sizeNames {
		if parts[1] == n {
			size = i
		}
	}
	if size < 0 {
		return 0, false
	}
	c |= Context(size) << sizeShift
	flags := []struct {
		off, on string
		bit     Context
	}{{"en", "other", otherLanguage}, {"first", "later", laterTurn}, {"plain", "structured", structured}}
	for i, f := range flags {
		switch parts[2+i] {
		case f.off:
		case f.on:
			c |= f.bit
		default:
			return 0, false
		}
	}
	return c, true
}

func parseCategory(s string) (Context, bool) {
	if s == "none" {
		return noCategory, true
	}
	for i, x := range llm.Categories {
		if string(x) == s {
			return Context(i), true
		}
	}
	return 0, false
}

// valid reports whether c is a context ContextOf, Category or Global can
// return.
func (c Context) valid() bool {
	switch c.Level() {
	case LevelGlobal:
		return c == Global
	case LevelCategory:
		return c&^(catMask|levelMask) == 0
	case LevelFull:
		return c&^fullMask == 0
	}
	return false
}

// Key names one arm's statistics: a deployment of a route in a context,
// for a tenant ("" for every tenant together).
type Key struct {
	Route, Deployment, Tenant string
	Context                   Context
}

// String renders k for logs and the shared state's field names:
// route, deployment, tenant and context joined by the unit separator.
func (k Key) String() string {
	return k.Route + "\x1f" + k.Deployment + "\x1f" + k.Tenant + "\x1f" + k.Context.String()
}

// ParseKey reads what Key.String writes.
func ParseKey(s string) (Key, bool) {
	parts := strings.Split(s, "\x1f")
	if len(parts) != 4 {
		return Key{}, false
	}
	c, ok := ParseContext(parts[3])
	if !ok {
		return Key{}, false
	}
	return Key{Route: parts[0], Deployment: parts[1], Tenant: parts[2], Context: c}, true
}

// Keys returns the keys one outcome of (route, deployment, tenant) in
// the full context c updates: the global, category and full levels for
// every tenant, and the full level for the tenant (when not ""). It
// appends to dst.
func Keys(dst []Key, route, dep, tenant string, c Context) []Key {
	dst = append(dst,
		Key{route, dep, "", Global}, Key{route, dep, "", c.Category()}, Key{route, dep, "", c &^ levelMask})
	if tenant != "" {
		dst = append(dst, Key{route, dep, tenant, c &^ levelMask})
	}
	return dst
}
