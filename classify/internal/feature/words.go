package feature

// WordHashes appends to dst the hashes of every word token of s, in order,
// as Extractor.Words gives them for a main text (the same scanner and
// seed), and returns the extended slice. The trainer's unsupervised
// pretraining reads whole texts with it.
func WordHashes(dst []uint32, s string) []uint32 {
	var st textStats
	ws := wordScanner{s: s, end: len(s), stats: &st}
	for {
		h, _, ok := ws.next(nsSeed[nsWord])
		if !ok {
			return dst
		}
		dst = append(dst, h)
	}
}
