package sim

import (
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ModerationCategories are OpenAI's moderation categories, in the order
// omni-moderation answers them.
var ModerationCategories = []string{
	"harassment", "harassment/threatening", "sexual", "hate", "hate/threatening",
	"illicit", "illicit/violent", "self-harm/intent", "self-harm/instructions", "self-harm",
	"sexual/minors", "violence", "violence/graphic",
}

// ModerationThreshold is the score from which a category is flagged.
const ModerationThreshold = 0.5

// moderationLexicon holds, per category, the phrases that flag it: the
// simulated classifier is a keyword match, so tests can expect a flag.
// sexual/minors has none: the simulator never flags it.
var moderationLexicon = map[string][]string{
	"harassment":             {"kill them", "kill you", "idiot", "loser", "worthless", "moron"},
	"harassment/threatening": {"kill them", "kill you", "hurt you", "coming for you"},
	"hate":                   {"subhuman", "inferior race", "vermin people"},
	"hate/threatening":       {"exterminate them", "wipe them out"},
	"illicit":                {"shoplift", "counterfeit", "launder money", "pick a lock", "steal a car"},
	"illicit/violent":        {"build a bomb", "make a bomb", "untraceable gun"},
	"self-harm":              {"suicide", "kill myself", "cut myself", "self-harm"},
	"self-harm/intent":       {"kill myself", "i want to die", "end my life"},
	"self-harm/instructions": {"how to kill myself", "ways to self-harm"},
	"sexual":                 {"porn", "explicit sex", "nude", "nsfw"},
	"violence":               {"kill", "murder", "stab", "shoot", "massacre", "gore", "war"},
	"violence/graphic":       {"gore", "dismember", "blood everywhere", "mutilated"},
}

// imageCategories are the categories omni-moderation also scores on
// images; the others apply to text only.
var imageCategories = map[string]bool{
	"self-harm": true, "self-harm/intent": true, "self-harm/instructions": true,
	"sexual": true, "violence": true, "violence/graphic": true,
}

// ImageCategory reports whether omni-moderation scores category on
// images.
func ImageCategory(category string) bool { return imageCategories[category] }

// ModerationScore returns the simulated score of category for text, from
// 0 to 1, the same every time: with h phrases of the category's lexicon
// in text (as whole words, case-insensitively), 1 - 0.25/h (0.75 for
// one), else a small score below 0.001 drawn from a hash of the category
// and the text.
func ModerationScore(category, text string) float64 {
	lower := strings.ToLower(text)
	hits := 0
	for _, p := range moderationLexicon[category] {
		if containsPhrase(lower, p) {
			hits++
		}
	}
	if hits > 0 {
		return 1 - 0.25/float64(hits)
	}
	return hashScore(category, text)
}

// hashScore is a small score below 0.001 drawn from a hash of category
// and text.
func hashScore(category, text string) float64 {
	h := fnv.New64a()
	h.Write([]byte(category))
	h.Write([]byte{0})
	h.Write([]byte(text))
	return float64(h.Sum64()%1e6) / 1e9
}

// ImageScore is ModerationScore for an image: the simulator cannot see
// pixels, so an http(s) URL is scored by the words of its address
// ("https://example.com/gore.png" is violence/graphic) and a data URL
// by its hash alone (never flagged).
func ImageScore(category, url string) float64 {
	if strings.HasPrefix(strings.ToLower(url), "data:") {
		return hashScore(category, url)
	}
	return ModerationScore(category, url)
}

// containsPhrase reports whether phrase occurs in text with no letter or
// digit right before or after it.
func containsPhrase(text, phrase string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], phrase)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(phrase)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !wordRune(before) && !wordRune(after) {
			return true
		}
		i = start + 1
	}
}

func wordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
