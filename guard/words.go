package guard

import "strings"

// keyPrefix is a token prefix that marks a credential, with the shortest
// whole token that counts (prefix included).
type keyPrefix struct {
	prefix string
	min    int
	kind   Kind
}

// keyPrefixes, by first byte. Matching is case-sensitive, as the keys are.
var keyPrefixes = [256][]keyPrefix{
	's': {{"sk-", 9, KindAPIKey}, {"sk_live_", 16, KindAPIKey}, {"sk_test_", 16, KindAPIKey},
		{"sy-", 40, KindAPIKey}}, // sy-: Switchyard's own managed keys (tenant.NewKey)
	'r': {{"rk_live_", 16, KindAPIKey}, {"rk_test_", 16, KindAPIKey}},
	'A': {{"AIza", 9, KindAPIKey}},
	'g': {{"ghp_", 24, KindAPIKey}, {"gho_", 24, KindAPIKey}, {"ghu_", 24, KindAPIKey}, {"ghs_", 24, KindAPIKey},
		{"ghr_", 24, KindAPIKey}, {"github_pat_", 30, KindAPIKey}, {"glpat-", 26, KindAPIKey}},
	'x': {{"xoxb-", 15, KindAPIKey}, {"xoxp-", 15, KindAPIKey}, {"xoxa-", 15, KindAPIKey}, {"xoxr-", 15, KindAPIKey},
		{"xoxs-", 15, KindAPIKey}, {"xoxe-", 15, KindAPIKey}, {"xapp-", 15, KindAPIKey}},
	'h': {{"hf_", 30, KindAPIKey}},
}

// awsIDPrefixes start AWS access key ids (20 characters, A-Z and 2-7).
var awsIDPrefixes = []string{"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"}

// word matches what may start at the letter s[i], at a word's start: a
// credential token, a JWT, an IPv6 address, an IBAN, the token after
// Bearer or Basic, an AWS secret after its name, or a random value after a
// name such as api_key or password. It returns the bounds of the text to
// mask (start may be after i) or end == i.
func word(s string, i int) (start, end int, kind Kind) {
	if e, k := token(s, i); e > i {
		return i, e, k
	}
	switch s[i] | 0x20 {
	case 'a':
		if st, e := awsSecret(s, i); e > st {
			return st, e, KindAWSSecret
		}
	case 'b':
		if st, e := authToken(s, i); e > st {
			return st, e, KindCredential
		}
	}
	return namedSecret(s, i)
}

// token matches a value that is recognizable alone at the letter s[i]: a
// key with a known prefix, an AWS access key id, a JWT, an IPv6 address
// or an IBAN. It returns its end and kind, or i.
func token(s string, i int) (int, Kind) {
	c := s[i]
	for _, p := range keyPrefixes[c] {
		if strings.HasPrefix(s[i:], p.prefix) {
			if n := keyRun(s[i:]); n >= p.min {
				return i + n, p.kind
			}
		}
	}
	switch c | 0x20 {
	case 'a':
		if e := awsKeyID(s, i); e > i {
			return e, KindAWSKey
		}
	case 'e':
		if e := jwt(s, i); e > i {
			return e, KindJWT
		}
	}
	if isHex(c) {
		if e := ipv6(s, i); e > i {
			return e, KindIP
		}
	}
	if e := iban(s, i); e > i {
		return e, KindIBAN
	}
	return i, ""
}

// keyByte reports whether c may be part of an API key (masked keys, as
// upstreams echo them, hold '*').
func keyByte(c byte) bool { return isWord(c) || c == '-' || c == '*' }

// keyRun returns the length of the run of key bytes at the start of s.
func keyRun(s string) int {
	n := 0
	for n < len(s) && keyByte(s[n]) {
		n++
	}
	return n
}

// awsKeyID matches an AWS access key id at s[i].
func awsKeyID(s string, i int) int {
	if len(s)-i < 20 || (len(s)-i > 20 && isWord(s[i+20])) {
		return i
	}
	for _, p := range awsIDPrefixes {
		if strings.HasPrefix(s[i:], p) {
			for k := i + 4; k < i+20; k++ {
				if c := s[k]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
					return i
				}
			}
			return i + 20
		}
	}
	return i
}

// awsSecret matches "aws_secret…" (any case) followed by a separator and a
// 40-character secret access key, and returns the key's bounds.
func awsSecret(s string, i int) (int, int) {
	const name = "aws_secret"
	if len(s)-i < len(name)+41 || !strings.EqualFold(s[i:i+len(name)], name) {
		return i, i
	}
	k := i + len(name)
	for k < len(s) && (isWord(s[k])) {
		k++ // the rest of the name: _access_key, …
	}
	for n := 0; k < len(s) && n < 6 && strings.IndexByte(" \t:=\"'", s[k]) >= 0; n++ {
		k++
	}
	v := k
	for k < len(s) && (isAlnum(s[k]) || s[k] == '/' || s[k] == '+' || s[k] == '=') {
		k++
	}
	if k-v != 40 {
		return i, i
	}
	return v, k
}

// authToken matches "Bearer <token>" or "Basic <token>" (any case) and
// returns the token's bounds. After Bearer a token counts when it is not a
// plain word (tokenLike); after Basic when it looks like base64 (with a
// digit, '+', '/' or '='), so that "Basic authentication" is left alone.
// A variable or a template ("Bearer $TOKEN", "Bearer {{token}}") is not
// a token.
func authToken(s string, i int) (int, int) {
	var basic bool
	switch {
	case len(s)-i > 6 && strings.EqualFold(s[i:i+6], "bearer"):
		i += 6
	case len(s)-i > 5 && strings.EqualFold(s[i:i+5], "basic"):
		i, basic = i+5, true
	default:
		return i, i
	}
	if s[i] != ' ' && s[i] != '\t' {
		return i, i
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < len(s) && strings.IndexByte("${<%", s[i]) >= 0 {
		return i, i // a variable or a template: "Bearer $OPENAI_API_KEY"
	}
	e, b64 := i, false
	for e < len(s) && !isSpace(s[e]) && s[e] != '"' && s[e] != '\'' && s[e] != ',' && s[e] != '\\' {
		c := s[e]
		b64 = b64 || isDigit(c) || c == '+' || c == '/' || c == '='
		if basic && !isAlnum(c) && c != '+' && c != '/' && c != '=' {
			return i, i
		}
		e++
	}
	if basic && (e-i < 8 || !b64) {
		return i, i
	}
	if !basic && !tokenLike(s[i:e]) {
		return i, i // "bearer of bad news"
	}
	return i, e
}

// tokenLike reports whether a word after "Bearer" is a token rather than
// prose: 20 bytes or more, or at least 4 with a byte other than a letter.
func tokenLike(w string) bool {
	if len(w) >= 20 {
		return true
	}
	if len(w) < 4 {
		return false
	}
	for k := 0; k < len(w); k++ {
		if !isLetter(w[k]) {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// jwt matches a JSON Web Token at s[i]: "eyJ" and three base64url
// segments joined by dots (the signature may be empty).
func jwt(s string, i int) int {
	if !strings.HasPrefix(s[i:], "eyJ") {
		return i
	}
	k, seg, n := i, 0, 0
	for ; k < len(s); k++ {
		c := s[k]
		switch {
		case isWord(c) || c == '-':
			n++
		case c == '.' && seg < 2 && n >= 2:
			seg, n = seg+1, 0
		default:
			goto done
		}
	}
done:
	if seg < 2 || k-i < 20 {
		return i
	}
	return k
}
