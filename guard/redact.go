package guard

import (
	"slices"
	"strings"
)

// Kind names what a redacted piece of text was; the placeholder that
// replaces it is "[REDACTED:" + kind + "]".
type Kind string

// The kinds of text Redact masks.
const (
	KindSecret     Kind = "secret"      // an exact secret passed in (a configured API key)
	KindAPIKey     Kind = "api_key"     // sk-, sk-proj-, sk-ant-, AIza, ghp_/github_pat_, xox*, sk_live_ and the like
	KindAWSKey     Kind = "aws_key"     // an AWS access key id (AKIA…, ASIA…)
	KindAWSSecret  Kind = "aws_secret"  // a 40-character value after aws_secret…
	KindCredential Kind = "credential"  // the token after "Bearer " or "Basic ", a random value named api_key, token, secret, password…
	KindJWT        Kind = "jwt"         // a JSON Web Token (eyJ….….…)
	KindPrivateKey Kind = "private_key" // a PEM private key block
	KindEmail      Kind = "email"       // an email address
	KindCard       Kind = "card"        // a payment card number (Luhn-checked)
	KindIBAN       Kind = "iban"        // an IBAN (mod-97-checked)
	KindSSN        Kind = "ssn"         // a US social security number (ddd-dd-dddd)
	KindPhone      Kind = "phone"       // a phone number
	KindIP         Kind = "ip"          // an IPv4 or IPv6 address
)

// Secret reports whether k is a kind of credential (an exact secret, an
// API key, an AWS key or secret, a credential, a JWT, a private key), as
// opposed to personal data (email, card, IBAN, SSN, phone, IP) or a
// custom pattern's kind.
func (k Kind) Secret() bool {
	switch k {
	case KindSecret, KindAPIKey, KindAWSKey, KindAWSSecret, KindCredential, KindJWT, KindPrivateKey:
		return true
	}
	return false
}

// Placeholder returns the text that replaces a piece of kind k.
func Placeholder(k Kind) string { return placeholderPrefix + string(k) + "]" }

const placeholderPrefix = "[REDACTED:"

// minSecret is the shortest exact secret Redact looks for: shorter ones
// would mask ordinary words.
const minSecret = 4

// maxPasses bounds how often Redact rescans its own output (see Redact).
const maxPasses = 3

// Redactor masks secrets and personal data in text. Build one with New
// (or NewRedactor) when the same secrets or patterns are used many times;
// the zero value masks the built-in kinds only. A Redactor is immutable
// and safe for concurrent use.
type Redactor struct {
	secrets  []string
	patterns []compiled
	// secretsOnly leaves personal data alone (Options.SecretsOnly).
	secretsOnly bool
	// pieces masks a secret's pieces too (secretPieceSpans): the
	// package-level Redact's, for the key an upstream may echo.
	pieces bool
}

// Options are what a Redactor masks besides the built-in kinds.
type Options struct {
	// Secrets are exact strings masked wherever they occur, as KindSecret
	// (the configured API keys). Secrets shorter than 4 bytes are ignored,
	// since masking them would mangle ordinary text.
	Secrets []string
	// Patterns are custom kinds of text, each masked under its own name.
	Patterns []Pattern
	// SecretsOnly masks only the credentials (the kinds whose Secret is
	// true) and the Patterns, not personal data.
	SecretsOnly bool
}

// New returns a Redactor for o, with its patterns compiled once. It
// returns a *PatternError for the first pattern that is not valid (see
// Pattern.Check).
func New(o Options) (*Redactor, error) {
	r := NewRedactor(o.Secrets...)
	r.secretsOnly = o.SecretsOnly
	for _, p := range o.Patterns {
		c, err := p.compile()
		if err != nil {
			return nil, err
		}
		r.patterns = append(r.patterns, c)
	}
	return r, nil
}

// NewRedactor returns a Redactor that also masks every exact occurrence of
// the given secrets (as KindSecret). Secrets shorter than 4 bytes are
// ignored, since masking them would mangle ordinary text.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		if len(s) >= minSecret && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

// Redact returns s with the secrets and personal data described by the
// Kind constants, and every exact occurrence of the given secrets (at least
// 4 bytes long) and every piece of one of at least 16 bytes (an upstream
// that echoes its key cut short, or without its prefix: see
// secretPieceSpans), replaced by typed placeholders such as "[REDACTED:email]"
// (docs/security.md lists what is caught and what is not).
// Everything else is kept byte for byte. Overlapping matches are masked as
// one. Placeholders already in s are left as they are, so Redact is
// idempotent: Redact(Redact(s)) == Redact(s). A text with nothing to mask
// is returned as is, without allocating. Safe for concurrent use.
func Redact(s string, secrets ...string) string {
	if len(secrets) == 0 {
		return (&Redactor{}).Redact(s)
	}
	r := NewRedactor(secrets...)
	r.pieces = true
	return r.Redact(s)
}

// Redact is the package-level Redact with r's secrets, and r's patterns
// masked under their names.
func (r *Redactor) Redact(s string) string {
	var buf [8]span
	for range maxPasses {
		spans := r.find(s, buf[:0])
		if len(spans) == 0 {
			return s
		}
		// Masking can bring pieces of text together that no longer read
		// as a match alone (or the reverse); a rescan settles that.
		s = apply(s, spans)
	}
	return s
}

// Match is a piece of text that Redact masks: s[Start:End], of kind Kind.
type Match struct {
	Start, End int
	Kind       Kind
}

// Find returns the pieces of s that r.Redact masks, in order and without
// overlaps, with their byte offsets in s. (Redact may mask a little more
// after masking these, where masking brings pieces together; see Redact.)
// Safe for concurrent use.
func (r *Redactor) Find(s string) []Match {
	spans := r.find(s, nil)
	out := make([]Match, len(spans))
	for i, sp := range spans {
		out[i] = Match{sp.start, sp.end, sp.kind}
	}
	return out
}

// span is a piece of s to mask: s[start:end].
type span struct {
	start, end int
	kind       Kind
}

// find returns the spans to mask in s, sorted and without overlaps.
func (r *Redactor) find(s string, spans []span) []span {
	spans = scan(s, spans)
	if r.secretsOnly {
		spans = slices.DeleteFunc(spans, func(sp span) bool { return !sp.kind.Secret() })
	}
	n := len(spans)
	for _, sec := range r.secrets {
		if r.pieces && len(sec) >= minSecretPiece {
			spans = secretPieceSpans(s, sec, spans)
		} else {
			spans = secretSpans(s, sec, spans)
		}
	}
	for _, p := range r.patterns {
		spans = p.spans(s, spans)
	}
	if len(spans) > n {
		// By start; at the same start an exact secret first, then a custom
		// pattern, so that the merged span is named after it.
		slices.SortStableFunc(spans, func(a, b span) int {
			if a.start != b.start {
				return a.start - b.start
			}
			return rank(a.kind, r) - rank(b.kind, r)
		})
	}
	return merge(spans)
}

// rank orders kinds found at the same start: an exact secret, then
// custom patterns, then built-in kinds.
func rank(k Kind, r *Redactor) int {
	switch {
	case k == KindSecret:
		return 0
	case slices.ContainsFunc(r.patterns, func(c compiled) bool { return c.kind == k }):
		return 1
	}
	return 2
}

// minSecretPiece is the shortest piece of a secret the package-level
// Redact masks: an upstream may echo part of a configured key (without
// its "sk-proj-" prefix, or cut after its first characters), and 16 bytes
// of a random key are as much a secret as all of it. A secret shorter
// than twice secretChunk is looked for whole only. A Redactor (stored
// bodies, with the config's header values and DSN among its secrets)
// masks secrets whole only.
const (
	minSecretPiece = 2 * secretChunk
	secretChunk    = 8
)

// secretSpans appends every occurrence of sec in s that is not inside a
// placeholder.
func secretSpans(s, sec string, spans []span) []span {
	for off := 0; ; {
		i := strings.Index(s[off:], sec)
		if i < 0 {
			return spans
		}
		i += off
		if !inPlaceholder(s, i, i+len(sec)) {
			spans = append(spans, span{i, i + len(sec), KindSecret})
		}
		off = i + 1
	}
}

// secretPieceSpans appends the pieces of sec in s at least
// minSecretPiece bytes long, the whole secret included. Such a piece
// holds one of sec's chunks (the secretChunk bytes at 0, secretChunk,
// 2*secretChunk… of sec) whole: each occurrence of a chunk in s is
// grown both ways for as long as s and sec agree.
func secretPieceSpans(s, sec string, spans []span) []span {
	for j := 0; j+secretChunk <= len(sec); j += secretChunk {
		chunk := sec[j : j+secretChunk]
		for off := 0; ; {
			i := strings.Index(s[off:], chunk)
			if i < 0 {
				break
			}
			i += off
			start, end := i, i+secretChunk
			for a := j; start > 0 && a > 0 && s[start-1] == sec[a-1]; a-- {
				start--
			}
			for b := j + secretChunk; end < len(s) && b < len(sec) && s[end] == sec[b]; b++ {
				end++
			}
			if end-start >= minSecretPiece && !inPlaceholder(s, start, end) {
				spans = append(spans, span{start, end, KindSecret})
			}
			off = i + 1
		}
	}
	return spans
}

// inPlaceholder reports whether s[i:j] overlaps a placeholder of s.
func inPlaceholder(s string, i, j int) bool {
	p := strings.LastIndex(s[:min(j+len(placeholderPrefix), len(s))], placeholderPrefix)
	for p >= 0 {
		end := placeholderEnd(s, p)
		if end > i && p < j {
			return true
		}
		if end <= i {
			return false
		}
		p = strings.LastIndex(s[:p], placeholderPrefix)
	}
	return false
}

// placeholderEnd returns the end of the placeholder at s[p:], or p when
// there is none: the prefix, a name of lower-case letters, digits and '_'
// (maxNameLen at most) and ']'.
func placeholderEnd(s string, p int) int {
	if !strings.HasPrefix(s[p:], placeholderPrefix) {
		return p
	}
	for k := p + len(placeholderPrefix); k < len(s) && k <= p+len(placeholderPrefix)+maxNameLen; k++ {
		switch c := s[k]; {
		case c == ']' && k > p+len(placeholderPrefix):
			return k + 1
		case !nameByte(c):
			return p
		}
	}
	return p
}

// merge joins overlapping spans of a sorted list; a joined span
// takes the first one's kind.
func merge(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp.start < last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// apply replaces each span of s by its placeholder.
func apply(s string, spans []span) string {
	var b strings.Builder
	b.Grow(len(s) + 16*len(spans))
	prev := 0
	for _, sp := range spans {
		b.WriteString(s[prev:sp.start])
		b.WriteString(placeholderPrefix)
		b.WriteString(string(sp.kind))
		b.WriteByte(']')
		prev = sp.end
	}
	b.WriteString(s[prev:])
	return b.String()
}
