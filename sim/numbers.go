package sim

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// number finds a number in an answer: digits with optional thousands
// commas and decimals.
var number = regexp.MustCompile(`\d[\d,]*(?:\.\d+)?`)

// nearbyNumbers returns wrong answers made from the last number in answer
// by the slips people make (off by one, doubled, halved, off by ten),
// keeping the rest of the answer ("$18" → "$19", "$36", "$9", "$28"), or
// nil when answer holds no number.
func nearbyNumbers(answer string) []string {
	locs := number.FindAllStringIndex(answer, -1)
	if len(locs) == 0 {
		return nil
	}
	at := locs[len(locs)-1]
	lit := strings.TrimRight(answer[at[0]:at[1]], ",")
	at[1] = at[0] + len(lit)
	v, err := strconv.ParseFloat(strings.ReplaceAll(lit, ",", ""), 64)
	if err != nil || math.IsInf(v, 0) {
		return nil
	}
	decimals := 0
	if i := strings.IndexByte(lit, '.'); i >= 0 {
		decimals = len(lit) - i - 1
	}
	step := math.Pow(10, -float64(decimals))
	seen := map[string]bool{Normalize(answer): true}
	var out []string
	for _, w := range []float64{v + step, v * 2, v / 2, v + 10*step, v - step} {
		if w < 0 {
			continue
		}
		s := answer[:at[0]] + strconv.FormatFloat(w, 'f', decimals, 64) + answer[at[1]:]
		if n := Normalize(s); !seen[n] && !ContainsAnswer(s, answer) {
			seen[n] = true
			out = append(out, s)
		}
	}
	return out
}
