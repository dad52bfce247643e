package guard

import (
	"strconv"
	"strings"
)

// iban matches an IBAN at s[i]: a country code, two check digits and 11
// to 30 letters or digits, optionally in groups of four joined by single
// spaces, that pass the mod-97 check. Letters may be in either case.
func iban(s string, i int) int {
	if len(s)-i < 15 || !isLetter(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return i
	}
	var cuts [9]int // ends of groups followed by a space
	ncut, k, n, grp := 0, i, 0, 0
	for k < len(s) && n < 34 {
		c := s[k]
		if isAlnum(c) {
			n, grp, k = n+1, grp+1, k+1
			continue
		}
		if c == ' ' && grp == 4 && ncut < len(cuts) && k+1 < len(s) && isAlnum(s[k+1]) {
			cuts[ncut], grp = k, 0
			ncut++
			k++
			continue
		}
		break
	}
	if k == len(s) || !isWord(s[k]) {
		if validIBAN(s[i:k]) {
			return k
		}
	}
	for c := ncut - 1; c >= 0; c-- {
		if validIBAN(s[i:cuts[c]]) {
			return cuts[c]
		}
	}
	return i
}

// validIBAN reports whether s (spaces ignored) is an IBAN: a country code
// that has IBANs, as many letters and digits as that country's IBANs
// have, and a mod-97 value of 1 with the first four moved to the end.
func validIBAN(s string) bool {
	n, rem := 0, 0
	add := func(c byte) {
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		default:
			rem = (rem*100 + int(c|0x20-'a'+10)) % 97
		}
	}
	for k := 4; k < len(s); k++ {
		if s[k] != ' ' {
			add(s[k])
			n++
		}
	}
	for k := 0; k < 4; k++ {
		add(s[k])
	}
	return rem == 1 && n+4 == ibanLength(s[0], s[1])
}

// ibanLength returns the length of the IBANs of the country with code
// ab (either case), or 0 for a country without IBANs.
func ibanLength(a, b byte) int {
	a, b = a&^0x20, b&^0x20
	if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' {
		return 0
	}
	return int(ibanLengths[int(a-'A')*26+int(b-'A')])
}

// ibanLengths holds the IBAN length of each country code (AA at 0, AB at
// 1, … ZZ at 675): the SWIFT IBAN registry, and the countries that use
// IBANs outside it (mostly in Africa, as listed by banks that accept them).
var ibanLengths = func() (t [26 * 26]uint8) {
	for _, c := range strings.Fields(`AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22
		CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28
		HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27
		MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33
		SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30
		AO25 BF28 BJ28 CF27 CG27 CI28 CM27 CV25 DZ26 GA27 GQ27 GW25 IR26 KM27 MA28 MG27 ML28 MZ25 NE28
		SN28 TD27 TG28`) {
		n, _ := strconv.Atoi(c[2:])
		t[int(c[0]-'A')*26+int(c[1]-'A')] = uint8(n)
	}
	return t
}()
