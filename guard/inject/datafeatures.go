package inject

// This file finds the features that mean something only in data (a tool
// result): a sentence that addresses the model or its answer, an order
// or a question, and one about something else than the document.

// dataEvents adds the features that mean something only in data: a
// sentence that addresses the model or its answer, or gives an order or
// asks a question where a document should only inform.
func (sc *scratch) dataEvents(i int, c class) {
	w := &sc.words[i]
	if c&cYou != 0 && sc.ahead(i, 2, cOutput) > 0 {
		sc.add(i, fAddressOutput)
	}
	if c&cAI != 0 && sc.addressesAI(i) {
		sc.add(i, fAIWord)
	}
	if w.flags&fSentStart != 0 {
		asks := false
		if c&cImperative != 0 || sc.is(i, "please") && sc.ahead(i, 1, cImperative) > 0 {
			sc.add(i, fImperative)
			asks = true
		}
		if w.flags&fQuestion != 0 {
			sc.add(i, fQuestionSent)
			asks = true
		}
		if asks && sc.offTopic(i) {
			sc.add(i, fOffTopic)
		}
	}
}

// vocatives are words before a name of the model that address it.
var vocatives = map[string]bool{"to": true, "for": true, "hey": true, "dear": true, "attention": true, "hi": true, "hello": true}

// addressesAI reports whether the AI word at i addresses the model
// ("AI assistant:", "Assistant, stop.", "note to AI assistants reading
// this", "when an AI summarizes this") rather than talks about AI ("an AI
// tool developed by GitHub").
func (sc *scratch) addressesAI(i int) bool {
	ws := sc.words
	if ws[i].flags&(fColon|fComma) != 0 || i+1 < len(ws) && ws[i+1].cls&cAI != 0 && ws[i+1].flags&(fColon|fComma) != 0 {
		return true
	}
	if i > 0 && vocatives[string(sc.norm[ws[i-1].start:ws[i-1].end])] ||
		i > 1 && ws[i-1].cls&cMeta != 0 && vocatives[string(sc.norm[ws[i-2].start:ws[i-2].end])] {
		return true
	}
	for j := i + 1; j < len(ws) && j <= i+3 && ws[j].flags&fSentStart == 0; j++ {
		if ws[j].cls&cYou != 0 || sc.is(j, "reading") || sc.is(j, "reads") || sc.is(j, "summarizes") ||
			sc.is(j, "summarizing") || sc.is(j, "processes") || sc.is(j, "processing") || sc.is(j, "must") {
			return true
		}
	}
	return false
}

// maxTopicSentence bounds the sentences judged (in words), which keeps
// the check linear in the segment.
const maxTopicSentence = 64

// minTopicWords is the fewest words the rest of a document needs for a
// sentence to be judged off its topic.
const minTopicWords = 25

// offTopic reports whether the sentence starting at word i shares almost
// none of its content words with the rest of the segment: an order or a
// question about something else than the document it sits in (BIPIA's
// "What is the capital of Brazil?" in an article on typing), unlike a
// FAQ's question, which its answer repeats.
func (sc *scratch) offTopic(i int) bool {
	ws := sc.words
	end := i + 1
	for end < len(ws) && ws[end].flags&fSentStart == 0 {
		end++
	}
	if len(ws)-(end-i) < minTopicWords || end-i > maxTopicSentence {
		return false
	}
	sc.countStems()
	content, shared := 0, 0
	for j := i; j < end; j++ {
		if !sc.contentWord(j) {
			continue
		}
		content++
		k := stemKey(sc.norm[ws[j].start:ws[j].end])
		inSentence := 0
		for o := i; o < end; o++ {
			if ws[o].end-ws[o].start >= 4 && stemKey(sc.norm[ws[o].start:ws[o].end]) == k {
				inSentence++
			}
		}
		if sc.stemCount(k) > inSentence {
			shared++
		}
	}
	return content >= 2 && shared*4 < content
}

// countStems counts the stems (stemKey) of the segment's words of four
// letters or more, once per segment, in an open-addressing table.
func (sc *scratch) countStems() {
	if sc.stemsFor == len(sc.words) && sc.stemsDone {
		return
	}
	n := 64
	for n < 2*len(sc.words) {
		n <<= 1
	}
	if cap(sc.stemKeys) < n {
		sc.stemKeys, sc.stemN = make([]uint64, n), make([]int32, n)
	}
	sc.stemKeys, sc.stemN = sc.stemKeys[:n], sc.stemN[:n]
	clear(sc.stemKeys)
	clear(sc.stemN)
	for o := range sc.words {
		w := &sc.words[o]
		if w.end-w.start < 4 {
			continue
		}
		k := stemKey(sc.norm[w.start:w.end]) | 1 // 0 marks an empty slot
		mask := uint64(n - 1)
		for s := k & mask; ; s = (s + 1) & mask {
			if sc.stemKeys[s] == 0 || sc.stemKeys[s] == k {
				sc.stemKeys[s] = k
				sc.stemN[s]++
				break
			}
		}
	}
	sc.stemsFor, sc.stemsDone = len(sc.words), true
}

// stemCount returns how many words of the segment have stem k.
func (sc *scratch) stemCount(k uint64) int {
	k |= 1
	mask := uint64(len(sc.stemKeys) - 1)
	for s := k & mask; ; s = (s + 1) & mask {
		switch sc.stemKeys[s] {
		case 0:
			return 0
		case k:
			return int(sc.stemN[s])
		}
	}
}
