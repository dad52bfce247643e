package llm

// MaxTokensAtMost returns r with max_tokens lowered to n when it asks
// for more (a route's candidate whose output limit is n: route.Candidate.
// MaxTokens), as a copy; r itself otherwise, and when n is not positive.
func (r *Request) MaxTokensAtMost(n int) *Request {
	if n <= 0 || r.MaxTokens == nil || *r.MaxTokens <= n {
		return r
	}
	c, limit := *r, n // limit, not n: a parameter whose address is taken goes to the heap on every call
	c.MaxTokens = &limit
	return &c
}
