package guard

// This file decides which runs of digit groups are phone numbers.

// isPhone reports whether the run g at s[i] reads as a phone number: 7 to
// 15 digits in groups, and not a date, a year range, a decimal number, a
// list of one-digit numbers or a number right after an address word
// ("Apt."). Shapes that are as often something else (a bare run of
// digits, a number with thousands separators, a ZIP+4 code, a six-digit
// local number) count only next to a word that names a phone
// (phoneWords).
func isPhone(s string, i int, g *groups) bool {
	if afterAddressWord(s, i) {
		return false // Apt. 338 32 216, Suite 680 36 4022
	}
	switch phoneShape(g) {
	case phoneYes:
		return true
	case phoneIfNamed:
		return nearPhoneWord(s, i, g.end)
	}
	return false
}

// How a run of digit groups reads as a phone number.
const (
	phoneNo      = iota
	phoneIfNamed // only next to a phone word
	phoneYes
)

// phoneShape tells from its grouping alone whether g is a phone number
// (phoneYes), may be one (phoneIfNamed) or is not (phoneNo). Six digits
// are a phone number only grouped as local numbers of six digits are
// (2+2+2 or 3+3: "33 93 31", "123-456") and next to a phone word.
func phoneShape(g *groups) int {
	sh := groupShape(g)
	if sh == phoneNo || g.digits >= 7 {
		return sh
	}
	if g.n == 3 && g.len[0] == 2 && g.len[1] == 2 || g.n == 2 && g.len[0] == 3 {
		return phoneIfNamed
	}
	return phoneNo
}

// groupShape is phoneShape without the rule for six digits.
func groupShape(g *groups) int {
	if g.digits < 6 || g.digits > 15 || g.n > 6 && !(g.plus && g.n == 7) {
		return phoneNo // +33 (0)6 12 34 56 78 has 7 groups
	}
	if g.seps&sepBit('/') != 0 {
		return slashPhone(g)
	}
	for k := 0; k < g.n; k++ {
		if g.len[k] > 8 && g.n > 1 {
			return phoneNo // 3.14159265358979
		}
	}
	switch {
	case g.n == 2 && g.seps == sepBit('.'):
		return phoneNo // a decimal number
	case g.n == 2 && g.year(0) && g.year(1) && !g.plus:
		return phoneNo // a range of years: 1964-1965, (1971-1975)
	case g.n >= 3 && !g.plus && (g.year(0) && g.len[1] <= 2 && g.len[2] <= 2 || g.len[0] <= 2 && g.len[1] <= 2 && g.year(2)):
		return phoneNo // a date: 2024-01-31, 31.01.2024, (2020-01-17
	case g.n == 1:
		return bareRun(g)
	case g.plus || g.paren:
		return phoneYes
	}
	for k := 1; k < g.n && k < len(g.len); k++ {
		if g.len[k] < 2 {
			return phoneNo // "1 2 3 4 5 6 7"
		}
	}
	if sameSep(g.seps, '.') && g.n == 4 || g.n == 2 && g.len[0] == 5 && g.len[1] == 4 {
		return phoneIfNamed // 1.2.3.4567 (not an IP address), 94105-1234 (ZIP+4)
	}
	thousands := g.len[0] <= 3 && (sameSep(g.seps, ' ') || sameSep(g.seps, '.'))
	for k := 1; thousands && k < g.n; k++ {
		thousands = g.len[k] == 3
	}
	switch {
	case thousands && g.len[0] == 1:
		return phoneNo // 1 000 000, 2.500.000: a phone number has no one-digit first group
	case thousands:
		return phoneIfNamed // 12.345.678, 73 448 266
	}
	return phoneYes
}

// bareRun tells whether one group of digits is a phone number: after '+'
// when it has 8 digits or more; otherwise (an order number, a timestamp?)
// only next to a phone word.
func bareRun(g *groups) int {
	switch {
	case g.plus && g.digits >= 8:
		return phoneYes
	case !g.plus && g.digits >= 7 && !g.paren:
		return phoneIfNamed
	}
	return phoneNo
}

// slashPhone tells whether a run with '/' is a phone number: only an area
// code of 3 to 5 digits starting with 0, a slash and the number, as
// written in Germany and Austria ("030/1234567", "0221/123 45 67"); other
// runs with a slash are dates and fractions.
func slashPhone(g *groups) int {
	if g.plus || g.paren || g.lead[0] != '0' || g.len[0] < 3 || g.len[0] > 5 || g.len[1] < 3 || g.digits < 7 {
		return phoneNo
	}
	return phoneYes
}

// phoneWords name a phone number next to it (before it on its line, or
// right after it, as in a signature's "555 1234 (mobile)"). They are
// matched whole, in any case, with an optional plural 's'; also as a part
// of an identifier ("phone_number": …), unless they are proseWords,
// which have other meanings in code (search_calls, office_id).
var phoneWords = [...]string{
	"phone", "telephone", "tel", "mobile", "mob", "cell", "cellphone", "fax",
	"whatsapp", "sms", "landline", "hotline",
	"call", "office", "contact", "dial",
}

// proseWords is how many of phoneWords, at its end, count only as words
// of prose.
const proseWords = 4

// addressWords, right before a number, make it part of an address.
var addressWords = [...]string{"apt", "apartment", "suite", "unit", "flat", "room", "box", "floor"}

// afterAddressWord reports whether the word before s[i] (ignoring one '.'
// or '#' and spaces) is an address word.
func afterAddressWord(s string, i int) bool {
	k := i
	for k > 0 && i-k < 4 && (s[k-1] == ' ' || s[k-1] == '.' || s[k-1] == '#') {
		k--
	}
	w := k
	for w > 0 && k-w < 10 && isLetter(s[w-1]) {
		w--
	}
	if w == k || w > 0 && isLetter(s[w-1]) {
		return false
	}
	for _, a := range addressWords {
		if len(a) == k-w && equalFoldASCII(s[w:k], a) {
			return true
		}
	}
	return false
}

// phoneWordsBefore and phoneWordsAfter are how far a phone word is looked
// for before and after a number, on its line.
const (
	phoneWordsBefore = 32
	phoneWordsAfter  = 12
)

// nearPhoneWord reports whether a phone word is on the line of s[i:end],
// at most phoneWordsBefore bytes before it or phoneWordsAfter after it.
func nearPhoneWord(s string, i, end int) bool {
	from := max(0, i-phoneWordsBefore)
	for k := i - 1; k >= from; k-- {
		if s[k] == '\n' {
			from = k + 1
			break
		}
	}
	if hasPhoneWord(s, from, i) {
		return true
	}
	to := min(len(s), end+phoneWordsAfter)
	for k := end; k < to; k++ {
		if s[k] == '\n' {
			to = k
			break
		}
	}
	return hasPhoneWord(s, end, to)
}

// hasPhoneWord reports whether one of the whole words of s[from:to] is a
// phone word; words cut by its ends count too, words of a placeholder
// ("[REDACTED:phone]") do not.
func hasPhoneWord(s string, from, to int) bool {
	for k := from; k < to; {
		if !isLetter(s[k]) {
			k++
			continue
		}
		w := k
		for k < to && isLetter(s[k]) {
			k++
		}
		inIdent := w > 0 && isWord(s[w-1]) || k < len(s) && isWord(s[k])
		if isPhoneWord(s[w:k], inIdent) && !inPlaceholder(s, w, k) {
			return true
		}
	}
	return false
}

// isPhoneWord reports whether w is one of phoneWords; inIdent when w is
// part of an identifier.
func isPhoneWord(w string, inIdent bool) bool {
	if len(w) > 3 && (w[len(w)-1] == 's' || w[len(w)-1] == 'S') {
		if isPhoneWord(w[:len(w)-1], inIdent) {
			return true
		}
	}
	words := phoneWords[:]
	if inIdent {
		words = words[:len(words)-proseWords]
	}
	for _, p := range words {
		if len(p) == len(w) && equalFoldASCII(w, p) {
			return true
		}
	}
	return false
}

// equalFoldASCII reports whether w equals the lower-case word p in any
// case.
func equalFoldASCII(w, p string) bool {
	for k := 0; k < len(w); k++ {
		if w[k]|0x20 != p[k] {
			return false
		}
	}
	return true
}

// phoneExt extends a phone number over an extension: "x818", " x 12",
// " ext. 12", ", ext 12", " extension 12", " ext: 12".
func phoneExt(s string, end int) int {
	k := end
	if k+1 < len(s) && (s[k] == ' ' || s[k] == ',') {
		k++
		if s[k-1] == ',' && k < len(s) && s[k] == ' ' {
			k++
		}
	}
	switch {
	case k < len(s) && (s[k] == 'x' || s[k] == 'X') && k+1 < len(s) && !isLetter(s[k+1]):
		k++
	case hasPrefixFold(s[k:], "extension"):
		k += len("extension")
	case hasPrefixFold(s[k:], "ext"):
		k += len("ext")
	default:
		return end
	}
	if k < len(s) && (s[k] == '.' || s[k] == ':') {
		k++
	}
	if k < len(s) && s[k] == ' ' {
		k++
	}
	d := k
	for k < len(s) && isDigit(s[k]) && k-d < 6 {
		k++
	}
	if k == d || k < len(s) && isWord(s[k]) {
		return end
	}
	return k
}

// hasPrefixFold reports whether t starts with the lower-case word p, in
// any case, and p is a whole word there.
func hasPrefixFold(t, p string) bool {
	return len(t) >= len(p) && equalFoldASCII(t[:len(p)], p) && (len(t) == len(p) || !isLetter(t[len(p)]))
}
