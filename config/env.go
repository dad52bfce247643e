package config

import "strings"

// expand replaces ${VAR} and ${VAR:-default} in s with values from getenv,
// and $$ with a single $. A $ followed by anything else is kept as is.
// ${VAR:-default} uses default when VAR is unset or empty; the default is
// taken literally (not expanded again).
//
// On failure it returns the problem and hint of the error to report. Neither
// ever holds the value or default text, which may be secret.
func expand(s string, getenv func(string) (string, bool)) (out, problem, hint string) {
	if !strings.Contains(s, "$") {
		return s, "", ""
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
			continue
		case '{':
		default:
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			return "", "unterminated ${ in value", "close it with }, or write $$ for a literal $"
		}
		val, problem, hint := lookup(s[i+2:i+2+end], getenv)
		if problem != "" {
			return "", problem, hint
		}
		b.WriteString(val)
		i += 2 + end
	}
	return b.String(), "", ""
}

// lookup resolves the inside of one ${...}: "VAR" or "VAR:-default".
func lookup(ref string, getenv func(string) (string, bool)) (val, problem, hint string) {
	name, def, hasDef := strings.Cut(ref, ":-")
	if !validEnvName(name) {
		return "", "invalid environment variable name in ${…}",
			"names are letters, digits and _, not starting with a digit; write $$ for a literal $"
	}
	v, ok := getenv(name)
	if hasDef && v == "" {
		return def, "", ""
	}
	if !ok {
		return "", "environment variable " + name + " is not set",
			"export it, or use ${" + name + ":-default}"
	}
	return v, "", ""
}

// validEnvName reports whether s is a portable environment variable name.
func validEnvName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
