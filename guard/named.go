package guard

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
// not a plain word (passwordValue). The name starts at the letter s[i] and
// is followed by '=' or ':' (quotes, spaces, ":=" or "=>" allowed). A
// value that is recognizable alone (a key with a known prefix, a JWT) is
// masked under its own kind. It returns the value's bounds, or end ==
// start.
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
		e := v
		for e < len(s) && e-v <= 128 && passwordByte(s[e]) {
			e++
		}
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
// the name's closing quote, spaces, the separator and the value's opening
// quote. The separator is '=', ':', ":=" or "=>", or the word "is" ("my
// API key is …"), or spaces alone after a command-line flag ("--api-key
// …"). It returns n when no separator follows.
func valueStart(s string, i, n int) int {
	k := skipBlanks(s, skipQuote(s, n))
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

// nameKind tells whether a name says its value is a secret or a password:
// one of its parts (split at '_', '-', '.', digits and lower-to-upper
// case changes) ends with a secret suffix or a password suffix, or is
// "pass".
func nameKind(name string) int {
	kind := nameOther
	for k := 0; k < len(name); {
		if !isLetter(name[k]) {
			k++
			continue
		}
		p := k
		for k++; k < len(name) && isLetter(name[k]) && !(isLower(name[k-1]) && !isLower(name[k])); k++ {
		}
		part := name[p:k]
		if hasSuffixFold(part, passwordSuffixes[:]) || len(part) == 4 && equalFoldASCII(part, "pass") {
			return namePassword
		}
		if hasSuffixFold(part, secretSuffixes[:]) {
			kind = nameSecret
		}
	}
	return kind
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
// least minRandomValue bytes, and either letters and digits that change
// from one to the other (or between cases) three times or more
// ("f3a9c1…", "Zx9Lq…", not "claude-3-5-sonnet-20241022"), or, without
// digits, mixed case that is not camelCase (a quarter to three quarters
// capitals, a case change every fourth letter or more often).
func randomValue(v string) bool {
	if len(v) < minRandomValue {
		return false
	}
	var letters, digits, upper, changes int
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
			upper++
		}
		if cl != 0 && prev != 0 && cl != prev {
			changes++
		}
		prev = cl
	}
	if letters == 0 {
		return false
	}
	if digits > 0 {
		return changes >= 3
	}
	return 4*upper >= letters && 4*upper <= 3*letters && 4*changes >= letters
}

// passwordByte reports whether c may be part of a password: any printable
// ASCII byte but quotes, ',', ';', '&' and brackets (which end it in
// JSON, URLs and placeholders).
func passwordByte(c byte) bool {
	return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '`' && c != ',' && c != ';' &&
		c != '&' && c != '[' && c != ']' && c != '\\'
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
