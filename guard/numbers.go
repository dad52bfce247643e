package guard

// groups describes a run of digit groups such as "+1 (555) 010-9999":
// the length of each group, the separators used and how it starts.
type groups struct {
	end    int      // end of the run in s
	n      int      // number of groups
	len    [8]uint8 // their lengths (the first 8)
	ends   [8]int   // and where each ends in s
	lead   [8]byte  // and its first digit
	digits int
	plus   bool  // starts with '+'
	paren  bool  // holds a parenthesized group
	seps   uint8 // the separators used (sepBit)
}

// sepBit is the bit of separator c in groups.seps.
func sepBit(c byte) uint8 {
	switch c {
	case ' ':
		return 1
	case '-':
		return 2
	case '.':
		return 4
	case '/':
		return 8
	}
	return 0
}

// year reports whether group k may be a year (four digits, 1xxx or 2xxx).
func (g *groups) year(k int) bool { return g.len[k] == 4 && (g.lead[k] == '1' || g.lead[k] == '2') }

// trunk reports whether the run so far is a country code or a one-digit
// trunk prefix, which an area code in parentheses may follow: "+7 (495)",
// "8 (495)", "1 (800)".
func (g *groups) trunk() bool { return g.n == 1 && (g.plus || g.len[0] == 1) }

// readGroups reads the run of digit groups at s[i]: digits, with single
// separators (' ', '-', '.', '/') or parentheses between groups.
func readGroups(s string, i int) groups {
	var g groups
	k := i
	if s[k] == '+' {
		g.plus = true
		k++
	}
	inGroup := 0
	for k < len(s) && g.n < 8 {
		c := s[k]
		switch {
		case isDigit(c):
			if inGroup == 0 && g.n < len(g.lead) {
				g.lead[g.n] = c
			}
			inGroup++
			g.digits++
			k++
			continue
		case c == '(' && inGroup == 0 && (g.n == 0 || g.trunk()) && k+1 < len(s) && isDigit(s[k+1]):
			g.paren = true
			k++
			continue
		}
		if inGroup > 0 {
			g.len[g.n], g.ends[g.n] = uint8(min(inGroup, 255)), k
			g.n++
			inGroup = 0
		}
		// A group ends; a separator (after ')' a space or '-') must be
		// followed by a digit or '('.
		if c == ')' && g.paren && k+1 < len(s) {
			if isDigit(s[k+1]) {
				k++
				continue
			}
			if (s[k+1] == ' ' || s[k+1] == '-') && k+2 < len(s) && isDigit(s[k+2]) {
				g.seps |= sepBit(s[k+1])
				k += 2
				continue
			}
		}
		if (c == ' ' || c == '-' || c == '.' || c == '/') && k+1 < len(s) && g.n > 0 &&
			(isDigit(s[k+1]) || s[k+1] == '(' && g.trunk()) {
			g.seps |= sepBit(c)
			k++
			continue
		}
		break
	}
	if inGroup > 0 && g.n < 8 {
		g.len[g.n], g.ends[g.n] = uint8(min(inGroup, 255)), k
		g.n++
	}
	g.end = k
	return g
}

// number matches an IP address, a card number, an SSN or a phone number
// at s[i] (a digit, '+' or '(' at a word's start).
// It returns the end of the match, or i and the end of the run of digit
// groups looked at, which cannot start a match either.
func number(s string, i int) (end int, kind Kind, skip int) {
	if s[i] == '(' && i+1 < len(s) && (ipv4(s, i+1) > i+1 || ipv6(s, i+1) > i+1) {
		return i, "", i + 1 // "(203.0.113.7)": the address starts after '('
	}
	if isDigit(s[i]) {
		if e := ipv4(s, i); e > i {
			return e, KindIP, e
		}
		if e := ipv6(s, i); e > i {
			return e, KindIP, e
		}
	}
	g := readGroups(s, i)
	if i >= 2 && s[i-1] == '.' && isDigit(s[i-2]) {
		return i, "", g.end // the rest of a decimal or a version: gpt-4.1-2025-04-14
	}
	if g.digits == 0 || g.end < len(s) && (isWord(s[g.end]) && s[g.end] != 'x' || s[g.end] == '@' || s[g.end] == ':') {
		return i, "", g.end // glued to a word, an address or a time
	}
	if e := card(s, i, &g); e > i {
		return e, KindCard, e
	}
	if e, k := ssnOrPhone(s, i, &g); e > i {
		return e, k, e
	}
	if at := laterCard(s, i, &g); at > i {
		// A card after other numbers, a space or a dash between ("call
		// 415-555-0132 4111 1111 1111 1111"): the run as a whole is
		// neither, but what comes before the card may be, and the scan
		// goes on at the card.
		cut := s[:g.ends[groupBefore(&g, at)]]
		head := readGroups(cut, i)
		if e, k := ssnOrPhone(cut, i, &head); e > i && e == head.end {
			return e, k, e
		}
		return i, "", at
	}
	return i, "", g.end
}

// ssnOrPhone returns the end and kind of an SSN or a phone number that
// the run g at s[i] is, or i.
func ssnOrPhone(s string, i int, g *groups) (int, Kind) {
	switch {
	case g.n == 3 && g.len[0] == 3 && g.len[1] == 2 && g.len[2] == 4 && sameSep(g.seps, '-') && !g.plus && !g.paren:
		return g.end, KindSSN
	case isPhone(s, i, g):
		return phoneExt(s, g.end), KindPhone
	}
	return i, ""
}

// laterCard returns where a card number starts at a later group of the
// run g at s[i] — after a space or a dash, the card's own groups read
// from there — or i when none does.
func laterCard(s string, i int, g *groups) int {
	for k := 0; k+1 < g.n; k++ {
		at := g.ends[k] + 1
		if at >= len(s) || s[at-1] != ' ' && s[at-1] != '-' || !isDigit(s[at]) {
			continue
		}
		rest := readGroups(s, at)
		if card(s, at, &rest) > at {
			return at
		}
	}
	return i
}

// groupBefore returns the index of the group of g that ends right before
// at, a later group's start.
func groupBefore(g *groups, at int) int {
	k := 0
	for k+1 < g.n && g.ends[k+1] < at {
		k++
	}
	return k
}

// card returns the end of a card number at s[i] (the whole run or its
// first groups, so that digits right after a card do not hide it), or i.
func card(s string, i int, g *groups) int {
	if g.plus || g.paren || g.n > 1 && !sameSep(g.seps, ' ') && !sameSep(g.seps, '-') {
		return i
	}
	digits := 0
	for k := 0; k < g.n; k++ {
		digits += int(g.len[k])
		if digits > 19 {
			break
		}
		if digits >= 13 && k < 5 && issuer(s[i:g.ends[k]]) && luhn(s[i:g.ends[k]]) {
			if k == g.n-1 {
				return g.end
			}
			return g.ends[k]
		}
	}
	return i
}

// issuer reports whether run starts like a card of a major network:
// Visa 4, Mastercard 51-55 and 2221-2720, Amex 34 and 37, Diners 30, 36,
// 38 and 39, JCB 35, Discover and others 6.
func issuer(run string) bool {
	switch run[0] {
	case '4', '6':
		return true
	case '5':
		return run[1] >= '1' && run[1] <= '5'
	case '3':
		return run[1] == '0' || run[1] >= '4' && run[1] <= '9'
	case '2':
		return len(run) >= 4 && run[:4] >= "2221" && run[:4] <= "2720"
	}
	return false
}

// luhn reports whether the digits of run pass the Luhn check.
func luhn(run string) bool {
	sum, double := 0, false
	for k := len(run) - 1; k >= 0; k-- {
		if !isDigit(run[k]) {
			continue
		}
		d := int(run[k] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// sameSep reports whether every separator in seps is c.
func sameSep(seps uint8, c byte) bool { return seps&^sepBit(c) == 0 }
