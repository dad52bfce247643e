package guard

import "strings"

// This file matches secrets by the name they are given: the value of
// api_key=…, "token": "…", X-Api-Key: …, password=… and the like.

// secretSuffixes end a part of a name that holds a secret: api_key,
// accessToken, CLIENT_SECRET, X-Auth, credentials, signature.
var secretSuffixes = [...]string{"key", "token", "secret", "credential", "credentials", "auth", "signature", "sig"}

// passwordSuffixes end a part of a name that holds a password.
var passwordSuffixes = [...]string{"password", "passwd", "pwd", "passphrase"}

// How a name says its value is a secret.
const (
	nameOther = iota
	nameSecret
	namePassword
)

// maxName is the longest name looked at.
const maxName = 64

// minRandomValue and minPassword are the shortest values masked after a
// secret's name and after a password's.
const (
	minRandomValue = 16
	minPassword    = 6
)

// namedSecret matches the value given to a name that says it is a secret
// (secretSuffixes) when the value looks random (randomValue), or to a
// name that says it is a password (passwordSuffixes) when the value is
// not a plain word (passwordValue). The name starts at the letter s[i]; a
// separator follows it (see valueStart). A value that is recognizable
// alone (a key with a known prefix, a JWT) is masked under its own kind.
// It returns the value's bounds, or end == start.
func namedSecret(s string, i int) (start, end int, kind Kind) {
	n := i
	for n < len(s) && n-i <= maxName && (isWord(s[n]) || s[n] == '-' || s[n] == '.') {
		n++
	}
	v := valueStart(s, i, n)
	if v == n || v == len(s) {
		return i, i, ""
	}
	nk := nameKind(s[i:n])
	if nk == nameOther {
		return i, i, ""
	}
	if isLetter(s[v]) {
		if e, k := token(s, v); e > v {
			return v, e, k
		}
	}
	if nk == namePassword {
		e := passwordEnd(s, v)
		if passwordValue(s[v:e]) {
			return v, e, KindCredential
		}
		return i, i, ""
	}
	e := v
	for e < len(s) && valueByte(s[e]) {
		e++
	}
	for e > v && s[e-1] == '.' {
		e-- // the end of a sentence
	}
	if randomValue(s[v:e]) {
		return v, e, KindCredential
	}
	return i, i, ""
}

// valueStart returns where the value starts after the name s[i:n]: past
// the name's closing quote, the label of a name-value pair (see
// skipValueLabel), spaces, the separator and the value's opening quote.
// The separator is '=', ':', ":=" or "=>", or the word "is" ("my API key
// is …"), or spaces alone after a command-line flag ("--api-key …"). It
// returns n when no separator follows.
func valueStart(s string, i, n int) int {
	if !mayFollowName(s, i, n) {
		return n // most words: followed by a space and another word
	}
	k := skipQuote(s, n)
	if k > n || k < len(s) && (s[k] == '\n' || s[k] == '\r' || s[k] == ',') {
		k = skipValueLabel(s, k) // only after a quoted name or at a line's end
	}
	k = skipBlanks(s, k)
	switch {
	case k < len(s) && (s[k] == '=' || s[k] == ':'):
		k++
		if k < len(s) && (s[k] == '=' || s[k] == '>') {
			k++
		}
	case k > n && k+2 < len(s) && s[k] == 'i' && s[k+1] == 's' && s[k+2] == ' ':
		k += 2
	case k > n && i >= 2 && s[i-1] == '-' && s[i-2] == '-':
	default:
		return n
	}
	return skipQuote(s, skipBlanks(s, k))
}

// mayFollowName reports, from the bytes after the name s[i:n] alone,
// whether a separator may follow it: the quick test that valueStart makes
// first, since it is made after every word.
func mayFollowName(s string, i, n int) bool {
	if n == len(s) {
		return false
	}
	switch s[n] {
	case '=', ':', '"', '\'', '`', '\\', '\n', '\r':
		return true
	case ' ', '\t':
		k := skipBlanks(s, n)
		return k < len(s) && (s[k] == '=' || s[k] == ':' || strings.HasPrefix(s[k:], "is ") || i >= 2 && s[i-1] == '-' && s[i-2] == '-')
	}
	return false
}

// skipValueLabel skips the label "value" that gives the value of a
// name-value pair after its name: key="ApiKey" value="…" (XML settings),
// {"name": "API_KEY", "value": "…"} (JSON), "- name: API_KEY\n  value: …"
// (Kubernetes). It returns k when there is none.
func skipValueLabel(s string, k int) int {
	j := k
	for j < len(s) && j-k < 24 && strings.IndexByte(" \t\r\n,", s[j]) >= 0 {
		j++
	}
	j = skipQuote(s, j)
	if !hasPrefixFold(s[j:], "value") {
		return k
	}
	return skipQuote(s, j+len("value"))
}

// skipQuote skips a quote at s[k] (", ', ` or \").
func skipQuote(s string, k int) int {
	switch {
	case k < len(s) && (s[k] == '"' || s[k] == '\'' || s[k] == '`'):
		return k + 1
	case k+1 < len(s) && s[k] == '\\' && s[k+1] == '"':
		return k + 2
	}
	return k
}

// skipBlanks skips up to 4 spaces or tabs at s[k].
func skipBlanks(s string, k int) int {
	for n := 0; n < 4 && k < len(s) && (s[k] == ' ' || s[k] == '\t'); n++ {
		k++
	}
	return k
}

// nameKind tells whether a name says its value is a secret or a password,
// by its last part (split at '_', '-', '.', digits and lower-to-upper case
// changes), or the one before when the last only says how the value is
// written (nameQualifiers: secret_key_base, PRIVATE_KEY_PEM). The part
// ends with a secret suffix or a password suffix, or is "pass". So
// credential_id, token_count and password_hash name no secret.
func nameKind(name string) int {
	part := lastPart(name)
	for _, q := range nameQualifiers {
		if len(part) == len(q) && equalFoldASCII(part, q) {
			part = lastPart(name[:len(name)-len(part)])
			break
		}
	}
	switch {
	case hasSuffixFold(part, passwordSuffixes[:]) || len(part) == 4 && equalFoldASCII(part, "pass"):
		return namePassword
	case hasSuffixFold(part, secretSuffixes[:]):
		return nameSecret
	}
	return nameOther
}

// nameQualifiers end a name without changing what it holds.
var nameQualifiers = [...]string{"value", "base", "str", "string", "pem", "hex", "raw", "encoded"}

// lastPart returns the last part of a name: its last run of letters, cut
// where a lower-case letter is followed by a capital (accessToken: Token).
func lastPart(name string) string {
	e := len(name)
	for e > 0 && !isLetter(name[e-1]) {
		e--
	}
	p := e
	for p > 0 && isLetter(name[p-1]) {
		p--
		if p > 0 && isLower(name[p-1]) && !isLower(name[p]) {
			break
		}
	}
	return name[p:e]
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// hasSuffixFold reports whether part ends with one of the lower-case
// suffixes, in any case.
func hasSuffixFold(part string, suffixes []string) bool {
	for _, x := range suffixes {
		if len(part) >= len(x) && equalFoldASCII(part[len(part)-len(x):], x) {
			return true
		}
	}
	return false
}

// valueByte reports whether c may be part of a random value: letters,
// digits and the other characters of base64, base64url, hex with dashes
// and URL encoding.
func valueByte(c byte) bool {
	return isWord(c) || c == '-' || c == '+' || c == '/' || c == '=' || c == '.' || c == '~' || c == '%'
}

// randomValue reports whether v looks generated rather than written: at
// least minRandomValue bytes, with letters and digits that change from one
// to the other (or between cases) three times or more ("f3a9c1…",
// "Zx9Lq…", not "claude-3-5-sonnet-20241022"). A value without a digit is
// not taken, however mixed its case: identifiers such as
// "ResponseMCPCallFailedEvent" look as random by any measure that keeps
// short random values, and a random value of 20 characters from letters
// and digits has a digit 97% of the time (99.7% at 32).
func randomValue(v string) bool {
	if len(v) < minRandomValue {
		return false
	}
	var letters, digits, changes int
	prev := byte(0) // class of the previous byte: 'l', 'u', 'd' or 0
	for k := 0; k < len(v); k++ {
		c := v[k]
		cl := byte(0)
		switch {
		case isDigit(c):
			cl = 'd'
			digits++
		case isLower(c):
			cl = 'l'
			letters++
		case isLetter(c):
			cl = 'u'
			letters++
		}
		if cl != 0 && prev != 0 && cl != prev {
			changes++
		}
		prev = cl
	}
	return letters > 0 && digits > 0 && changes >= 3
}

// passwordEnd returns the end of the password at s[v:]: printable ASCII
// up to a space, a quote, ',', a bracket or a backslash (which end it in
// prose, JSON and placeholders), and '&' or ';' where they separate
// fields (followed by "name=" as in a URL's query or a connection string,
// or by a space or the end); at most 128 bytes.
func passwordEnd(s string, v int) int {
	e := v
	for e < len(s) && e-v <= 128 {
		c := s[e]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"'`,[]\\", c) >= 0 {
			break
		}
		if (c == '&' || c == ';') && fieldFollows(s, e+1) {
			break
		}
		e++
	}
	return e
}

// fieldFollows reports whether s[k:] starts another field: nothing, a
// space, or a name and '='.
func fieldFollows(s string, k int) bool {
	if k == len(s) || s[k] <= ' ' {
		return true
	}
	n := k
	for n < len(s) && n-k < maxName && (isWord(s[n]) || s[n] == '-' || s[n] == '.') {
		n++
	}
	return n > k && n < len(s) && s[n] == '=' && isLetter(s[k])
}

// passwordValue reports whether v is a password rather than prose or a
// reference to one: at least minPassword bytes, not a plain word
// ("required", "Secret") nor one byte repeated ("********"), and not
// starting like a template or a variable ("${DB_PASSWORD}", "<password>",
// "{{ .Pass }}", "%(pw)s").
func passwordValue(v string) bool {
	if len(v) < minPassword || len(v) > 128 {
		return false
	}
	switch v[0] {
	case '$', '{', '<', '%', '(':
		return false
	}
	plain, same := true, true
	for k := 0; k < len(v); k++ {
		plain = plain && (isLower(v[k]) || k == 0 && isLetter(v[k]))
		same = same && v[k] == v[0]
	}
	return !plain && !same
}
