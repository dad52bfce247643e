package provider

// OutputLimit returns the most output tokens an upstream's refusal says
// its model writes, when the refusal states it in one of the wordings
// below, or 0. param is the refused field the upstream named (the
// error's param, "" when none). It allocates nothing.
//
//   - Anthropic: "max_tokens: 64000 > 32000, which is the maximum allowed
//     number of output tokens for claude-…" (32000).
//   - OpenAI Chat Completions: "max_tokens is too large: 100000. This
//     model supports at most 16384 completion tokens, whereas you provided
//     100000." (16384).
//   - OpenAI Responses: "Invalid 'max_output_tokens': integer above
//     maximum value. Expected a value <= 128000, but got 200000 instead."
//     (128000), and the same words for max_tokens or
//     max_completion_tokens ("integer above maximum value, expected a
//     value <= 32768"). OpenAI words other bounded integers alike ('n',
//     'top_logprobs'), so these count only when the message or param
//     names a tokens field.
//   - Gemini (Vertex AI's words, which the Gemini API and gemini-cli users
//     meet too, google-gemini/gemini-cli docs): "Unable to submit request
//     because it has a maxOutputTokens value of 100000 but the supported
//     range is from 1 (inclusive) to 65537 (exclusive)." (65536).
func OutputLimit(param, msg string) int {
	if i := indexFold(msg, "which is the maximum allowed number of output tokens"); i >= 0 {
		return numberBefore(msg[:i])
	}
	if i := indexFold(msg, "this model supports at most "); i >= 0 {
		return numberAt(msg[i+len("this model supports at most "):])
	}
	if i := indexFold(msg, "maxoutputtokens value of "); i >= 0 {
		return rangeEnd(msg[i:])
	}
	if i := indexFold(msg, "integer above maximum value"); i >= 0 && namesTokens(param, msg) {
		rest := msg[i:]
		if j := indexFold(rest, "<="); j >= 0 {
			return numberAt(rest[j+2:])
		}
	}
	return 0
}

// rangeEnd reads the top of Vertex's "supported range is from 1
// (inclusive) to N (exclusive)" in s: N-1 (N when inclusive), or 0.
func rangeEnd(s string) int {
	const to = "(inclusive) to "
	i := indexFold(s, to)
	if i < 0 {
		return 0
	}
	s = s[i+len(to):]
	n := numberAt(s)
	if j := indexFold(s, "(exclusive)"); j >= 0 && j <= maxLimitDigits+1 && n > 1 {
		return n - 1
	}
	return n
}

// namesTokens reports whether param or msg names an output tokens field.
func namesTokens(param, msg string) bool {
	return containsFold(param, "tokens") || containsFold(msg, "max_output_tokens") ||
		containsFold(msg, "max_tokens") || containsFold(msg, "max_completion_tokens")
}

// indexFold is the index of lower, a lower-case ASCII phrase, in s in
// any case, or -1.
func indexFold(s, lower string) int {
	for i := 0; i+len(lower) <= len(s); i++ {
		if containsFold(s[i:i+len(lower)], lower) {
			return i
		}
	}
	return -1
}

// maxLimitDigits bounds the digits of a limit read, so that it never
// overflows.
const maxLimitDigits = 9

// numberAt reads the positive integer at the start of s after spaces,
// or 0.
func numberAt(s string) int {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	n, digits := 0, 0
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		if digits++; digits > maxLimitDigits {
			return 0
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// numberBefore reads the positive integer that ends s, before trailing
// spaces and a comma ("… > 32000, "), or 0.
func numberBefore(s string) int {
	end := len(s)
	for end > 0 && (s[end-1] == ' ' || s[end-1] == ',') {
		end--
	}
	start := end
	for start > 0 && '0' <= s[start-1] && s[start-1] <= '9' {
		start--
	}
	if end-start > maxLimitDigits {
		return 0
	}
	return numberAt(s[start:end])
}
