package cost

import (
	"math"
	"strconv"
	"strings"
)

// USD writes dollars for people to read: "$0" for zero; to six
// decimals below $1 (a request costs fractions of a cent), trailing
// zeros trimmed down to two decimals; two significant digits below a
// millionth (an embedding of a few tokens costs $0.00000004, which six
// decimals would show as $0.000000); two decimals from $1. A negative
// amount has its sign before the $.
func USD(v float64) string {
	sign := "$"
	if v < 0 {
		sign, v = "-$", -v
	}
	switch {
	case v == 0:
		return "$0"
	case v < 1e-6:
		return sign + trimZeros(strconv.FormatFloat(v, 'f', min(20, 1-int(math.Floor(math.Log10(v)))), 64))
	case v < 1:
		return sign + trimZeros(strconv.FormatFloat(v, 'f', 6, 64))
	}
	return sign + strconv.FormatFloat(v, 'f', 2, 64)
}

// trimZeros drops the trailing zeros of a decimal past its second
// decimal.
func trimZeros(s string) string {
	dot := strings.IndexByte(s, '.')
	end := len(s)
	for end > dot+3 && s[end-1] == '0' {
		end--
	}
	return s[:end]
}
