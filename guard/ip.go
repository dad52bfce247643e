package guard

// This file matches IP addresses: IPv4 in dotted-quad form and IPv6 in
// its full, compressed ("::") and IPv4-suffixed forms.

func isHex(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

// ipv4 matches a dotted-quad IPv4 address at s[i]: four decimal octets of
// one to three digits, each at most 255, the first not 0 (0.x.x.x is no
// host's address, but often a version: "0.11.0.0"). A fifth group
// ("1.2.3.4.5", an OID or a version) or a word glued to the end rejects
// it; a port (":8080") or a prefix length ("/24") after it is left
// unmasked. It returns the address's end, or i.
func ipv4(s string, i int) int {
	if s[i] == '0' && i+1 < len(s) && s[i+1] == '.' {
		return i
	}
	k := i
	for part := 0; part < 4; part++ {
		if part > 0 {
			if k >= len(s) || s[k] != '.' {
				return i
			}
			k++
		}
		v, n := 0, 0
		for k < len(s) && isDigit(s[k]) && n < 4 {
			v = v*10 + int(s[k]-'0')
			k++
			n++
		}
		if n == 0 || n > 3 || v > 255 {
			return i
		}
	}
	if k < len(s) && (isWord(s[k]) || s[k] == '.' && k+1 < len(s) && isDigit(s[k+1])) {
		return i
	}
	return k
}

// ipv6 matches an IPv6 address at s[i]: eight groups of one to four hex
// digits joined by ':', or fewer with one "::" standing for the missing
// ones, the last two groups possibly written as an IPv4 address
// ("::ffff:192.0.2.1"). To keep clear of times ("12:30:45"), MAC
// addresses, fingerprints and C++ names ("a::b"), a compressed address
// needs a decimal digit, and two groups or more unless it starts with
// "::" ("::1") or its one group has three hex digits or more ("fe80::").
// A zone ("%eth0") is left unmasked. An address does not start right
// after ':' (the rest of a fingerprint "16:27:…:a6:48" is no address). It
// returns the address's end, or i.
func ipv6(s string, i int) int {
	if i > 0 && s[i-1] == ':' {
		return i // inside a run of groups too long to be an address
	}
	k, groups, hexDigits, compressed, digit := i, 0, 0, false, false
	for k < len(s) {
		if k+1 < len(s) && s[k] == ':' && s[k+1] == ':' {
			if compressed {
				return i // a second "::"
			}
			compressed = true
			k += 2
			if k == len(s) || !isHex(s[k]) {
				break
			}
		}
		start := k
		for k < len(s) && isHex(s[k]) && k-start < 5 {
			digit = digit || isDigit(s[k])
			k++
		}
		if k-start > 4 || k == start {
			return i
		}
		if k < len(s) && s[k] == '.' && groups <= 6 {
			// An IPv4 tail stands for the last two groups.
			e := ipv4(s, start)
			if e == start {
				return i
			}
			groups, k = groups+2, e
			break
		}
		groups++
		hexDigits += k - start
		if k+1 < len(s) && s[k] == ':' && isHex(s[k+1]) {
			k++
			continue
		}
		if k+1 < len(s) && s[k] == ':' && s[k+1] == ':' {
			continue
		}
		break
	}
	switch {
	case groups > 8 || !compressed && groups != 8 || compressed && groups > 7:
		return i
	case k < len(s) && (isWord(s[k]) || s[k] == ':' || s[k] == '.' && k+1 < len(s) && isHex(s[k+1])):
		return i
	case compressed && (!digit || groups == 0 || groups == 1 && s[i] != ':' && hexDigits < 3):
		return i
	}
	return k
}
