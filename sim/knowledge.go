package sim

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Entry is one question the simulated models know the answer to.
type Entry struct {
	// Prompt is the question, matched against a request's last user
	// message after Normalize (case, whitespace and punctuation do not
	// count).
	Prompt string `json:"prompt" yaml:"prompt"`
	// Answer is the right answer, stated inside the generated text when a
	// model answers right.
	Answer string `json:"answer" yaml:"answer"`
	// Category picks the model's accuracy (see Behavior); empty means the
	// model's accuracy for every category ("*").
	Category string `json:"category,omitempty" yaml:"category,omitempty"`
	// Wrong are plausible wrong answers, one of which is stated when a
	// model answers wrong. None of them may contain Answer. When empty,
	// a wrong answer is made up: a nearby number when Answer holds one,
	// else the answer of another entry of the same category.
	Wrong []string `json:"wrong,omitempty" yaml:"wrong,omitempty"`
	// Refuse makes refusing the right answer, as for a harmful request: a
	// model answering right refuses (in the words drift refusals use); one
	// answering wrong complies, stating Answer when it is set and its
	// ordinary prose otherwise. Answer may then be empty, and Wrong must
	// be.
	Refuse bool `json:"refuse,omitempty" yaml:"refuse,omitempty"`
	// Bare makes the answer, right or wrong, the whole text, as a model
	// told to reply with only the value writes it: no sentence around it,
	// and a drift's verbosity does not lengthen it.
	Bare bool `json:"bare,omitempty" yaml:"bare,omitempty"`
}

// Limits on an entry, so a knowledge file or endpoint cannot make the
// simulator hold unbounded text per question.
const (
	maxPromptBytes   = 64 << 10
	maxAnswerBytes   = 16 << 10
	maxWrongAnswers  = 16
	maxCategoryBytes = 64
)

// AnyCategory is the key of an accuracy or accuracy drop that applies to
// every category without a value of its own.
const AnyCategory = "*"

// Check reports why e cannot be added to a knowledge base: an empty
// prompt or answer (after Normalize; a Refuse entry may have no answer),
// a field over its size limit, a category that is not letters, digits,
// "_", "-" or ".", a wrong answer that is empty or contains the right
// one, or a Refuse entry with wrong answers or Bare.
func (e *Entry) Check() error {
	switch {
	case Normalize(e.Prompt) == "":
		return errors.New("prompt is empty")
	case Normalize(e.Answer) == "" && !e.Refuse:
		return errors.New("answer is empty")
	case e.Refuse && (len(e.Wrong) > 0 || e.Bare):
		return errors.New("a refuse entry's wrong answer is to comply: it takes no wrong answers and is not bare")
	case len(e.Prompt) > maxPromptBytes:
		return fmt.Errorf("prompt is %d bytes, over %d", len(e.Prompt), maxPromptBytes)
	case len(e.Answer) > maxAnswerBytes:
		return fmt.Errorf("answer is %d bytes, over %d", len(e.Answer), maxAnswerBytes)
	case len(e.Wrong) > maxWrongAnswers:
		return fmt.Errorf("%d wrong answers, over %d", len(e.Wrong), maxWrongAnswers)
	case e.Category != "" && !validCategory(e.Category):
		return fmt.Errorf("category %q is not 1-%d letters, digits, dots, dashes or underscores", e.Category, maxCategoryBytes)
	}
	for i, w := range e.Wrong {
		switch {
		case len(w) > maxAnswerBytes:
			return fmt.Errorf("wrong[%d] is %d bytes, over %d", i, len(w), maxAnswerBytes)
		case Normalize(w) == "":
			return fmt.Errorf("wrong[%d] is empty", i)
		case ContainsAnswer(w, e.Answer):
			return fmt.Errorf("wrong[%d] %q contains the right answer %q", i, w, e.Answer)
		}
	}
	return nil
}

// validCategory reports whether c is a category name: 1 to
// maxCategoryBytes letters, digits, "_", "-" or ".".
func validCategory(c string) bool {
	if c == "" || len(c) > maxCategoryBytes {
		return false
	}
	for _, r := range c {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// Knowledge is a knowledge base: entries by normalized prompt. It is safe
// for concurrent use; the zero value is empty and ready.
type Knowledge struct {
	mu       sync.RWMutex
	byPrompt map[string]*Entry
	// byCategory lists each category's entries in the order they were
	// first added, for made-up wrong answers.
	byCategory map[string][]*Entry
}

// Add checks every entry and adds them all, or none when one fails its
// Check (the error names its index). An entry whose normalized prompt is
// already known replaces the earlier one.
func (k *Knowledge) Add(entries ...Entry) error {
	for i := range entries {
		if err := entries[i].Check(); err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.byPrompt == nil {
		k.byPrompt = make(map[string]*Entry, len(entries))
		k.byCategory = make(map[string][]*Entry)
	}
	reindex := false
	for i := range entries {
		e := entries[i]
		e.Wrong = append([]string(nil), e.Wrong...)
		key := Normalize(e.Prompt)
		if old, ok := k.byPrompt[key]; ok {
			reindex = reindex || old.Category != e.Category
			*old = e
			continue
		}
		k.byPrompt[key] = &e
		k.byCategory[e.Category] = append(k.byCategory[e.Category], &e)
	}
	if reindex {
		k.reindex()
	}
	return nil
}

// reindex rebuilds byCategory after an entry changed category.
func (k *Knowledge) reindex() {
	for c, list := range k.byCategory {
		kept := list[:0]
		for _, e := range list {
			if e.Category == c {
				kept = append(kept, e)
			}
		}
		k.byCategory[c] = kept
	}
	for _, e := range k.byPrompt {
		if !containsEntry(k.byCategory[e.Category], e) {
			k.byCategory[e.Category] = append(k.byCategory[e.Category], e)
		}
	}
}

func containsEntry(list []*Entry, e *Entry) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// Lookup returns the entry whose prompt matches prompt after Normalize.
func (k *Knowledge) Lookup(prompt string) (Entry, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	if len(k.byPrompt) == 0 {
		return Entry{}, false
	}
	var buf [256]byte
	e, ok := k.byPrompt[string(AppendNormalized(buf[:0], prompt))]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// Len returns the number of entries.
func (k *Knowledge) Len() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.byPrompt)
}

// Entries returns a copy of every entry, by category (in name order),
// each category's in the order they were first added.
func (k *Knowledge) Entries() []Entry {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]Entry, 0, len(k.byPrompt))
	for _, c := range k.categoriesLocked() {
		for _, e := range k.byCategory[c] {
			out = append(out, *e)
		}
	}
	return out
}

func (k *Knowledge) categoriesLocked() []string {
	cats := make([]string, 0, len(k.byCategory))
	for c := range k.byCategory {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	return cats
}

// Clear removes every entry.
func (k *Knowledge) Clear() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.byPrompt, k.byCategory = nil, nil
}

// peers returns up to max answers of other entries of e's category, from
// index start on (wrapping), for a made-up wrong answer.
func (k *Knowledge) peers(e *Entry, start, max int) []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	list := k.byCategory[e.Category]
	var out []string
	for i := 0; i < len(list) && len(out) < max; i++ {
		p := list[(start+i)%len(list)]
		if !p.Refuse && Normalize(p.Prompt) != Normalize(e.Prompt) {
			out = append(out, p.Answer)
		}
	}
	return out
}

// categorySize returns the number of entries of category.
func (k *Knowledge) categorySize(category string) int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.byCategory[category])
}

// Normalize returns s as knowledge prompts are matched: lower case,
// punctuation removed ("don't" and "dont" match), runs of white space
// made one space, no space at either end. Symbols such as "$" or "+" are
// kept.
func Normalize(s string) string { return string(AppendNormalized(nil, s)) }

// AppendNormalized appends Normalize(s) to dst.
func AppendNormalized(dst []byte, s string) []byte {
	space := false
	start := len(dst)
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = len(dst) > start
		case unicode.IsPunct(r):
		default:
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// ContainsAnswer reports whether text states answer: whether answer's
// tokens occur in text's tokens, in a row. Tokens are runs of letters and
// digits, lower-cased, and each other character but white space, so "12"
// is not in "120", "Paris" is in "It is Paris.", and "x * 5" is not in
// "x ** 5". Sentence punctuation ending the answer (". ! ? , ; :") does
// not count. An answer without a token is in no text.
func ContainsAnswer(text, answer string) bool {
	a := string(appendTokens(nil, strings.TrimRight(answer, ".!?,;: \t\r\n")))
	if a == "" {
		return false
	}
	t := string(appendTokens(nil, text))
	for from := 0; ; {
		i := strings.Index(t[from:], a)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(a)
		if (i == 0 || t[i-1] == ' ') && (end == len(t) || t[end] == ' ') {
			return true
		}
		from = i + 1
	}
}

// appendTokens appends the tokens of s to dst, separated by one space:
// runs of letters, digits and marks lower-cased, and every other
// character that is not white space on its own.
func appendTokens(dst []byte, s string) []byte {
	start, inWord := len(dst), false
	for _, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
		switch {
		case unicode.IsSpace(r):
			inWord = false
			continue
		case !word || !inWord:
			if len(dst) > start {
				dst = append(dst, ' ')
			}
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		inWord = word
	}
	return dst
}
