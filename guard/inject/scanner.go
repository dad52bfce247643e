package inject

import (
	"math"
	"strings"
	"sync"

	"switchyard/llm"
)

// channel is where a segment of text comes from.
type channel uint8

const (
	// chPrompt is what the caller wrote: user messages.
	chPrompt channel = iota
	// chData is what the caller passed along: tool results. Instructions
	// there are an indirect injection.
	chData
	numChannels
)

// Bounds of what a scan reads, so its cost stays bounded (see
// docs/security.md). A message longer than MaxMessageBytes is read at its
// head and its tail; messages are read from the last one back until
// MaxRequestBytes are read.
const (
	MaxMessageBytes = 32 << 10
	tailBytes       = 8 << 10
	MaxRequestBytes = 128 << 10
	// maxSystemBytes bounds the system prompt read for what it guards.
	maxSystemBytes = 4 << 10
)

// Scanner scores chat requests for prompt injection and jailbreak
// attempts. It is immutable and safe for concurrent use; the zero value
// is not usable (use New or Default).
type Scanner struct {
	m *Model
}

// New returns a Scanner that scores with m.
func New(m *Model) *Scanner { return &Scanner{m: m} }

// Default returns a Scanner with the embedded model.
func Default() *Scanner { return defaultScanner() }

var defaultScanner = sync.OnceValue(func() *Scanner { return New(DefaultModel()) })

// Verdict is a scan's result.
type Verdict struct {
	// Score is the attack probability of the most suspicious window of
	// text, from 0 to 1.
	Score float64
	// Reasons are the signals behind the score (see Reason); they are
	// named whatever the score, so a low score may carry a weak reason.
	Reasons Reason
	// Message is the index in the request's messages of the message
	// holding that window; -1 when nothing was scanned.
	Message int
	// Data reports that the window is in data (a tool result) rather
	// than in what the caller wrote.
	Data bool
}

// Scan scores req: every user message and tool result, from the last
// back, within the bounds above. The system prompt is not scored (the
// application wrote it) but read for what it forbids, so that a user
// asking for the guarded password or the banned topic scores. Safe for
// concurrent use; it allocates nothing once warm.
func (s *Scanner) Scan(req *llm.Request) Verdict {
	sc := getScratch()
	defer putScratch(sc)
	sc.readSystem(req.Messages)
	best := Verdict{Message: -1}
	eachSegment(req, func(i int, ch channel, text string) {
		if v := s.segment(sc, text, ch); best.Message < 0 || v.Score > best.Score {
			v.Message = i
			best = v
		}
	})
	return best
}

// eachSegment calls fn with each text of req that is scanned: the text
// parts of user messages and tool results, and the text of the documents
// users attach (as data, like a tool result), from the last message back,
// within MaxRequestBytes; a part longer than MaxMessageBytes as its head
// and its tail.
func eachSegment(req *llm.Request, fn func(msg int, ch channel, text string)) {
	budget := MaxRequestBytes
	for i := len(req.Messages) - 1; i >= 0 && budget > 0; i-- {
		m := &req.Messages[i]
		ch := chPrompt
		switch m.Role {
		case llm.RoleUser:
		case llm.RoleTool:
			ch = chData
		default:
			continue
		}
		for p := range m.Content {
			part := &m.Content[p]
			if part.Type == llm.PartDocument {
				eachDocumentText(part.Document(), func(text string) { scanText(i, chData, text, &budget, fn) })
				continue
			}
			if part.Type == llm.PartText {
				scanText(i, ch, part.Text, &budget, fn)
			}
		}
	}
}

// scanText calls fn with text, within what is left of budget (which it
// spends): a text longer than MaxMessageBytes as its head and its tail, and
// a document a user's text pastes after its instruction again as data.
func scanText(i int, ch channel, text string, budget *int, fn func(msg int, ch channel, text string)) {
	if text == "" || *budget <= 0 {
		return
	}
	head, tail := bounded(text, min(*budget, MaxMessageBytes))
	*budget -= len(head) + len(tail)
	fn(i, ch, head)
	if doc, ok := pasted(head); ch == chPrompt && ok {
		fn(i, chData, doc)
	}
	if tail != "" {
		fn(i, ch, tail)
	}
}

// eachDocumentText calls fn with the texts of a document: its title and
// context, a text document's text and the text parts of one given as
// content (a PDF's bytes are not read).
func eachDocumentText(d *llm.Document, fn func(string)) {
	if d == nil {
		return
	}
	fn(d.Title)
	fn(d.Context)
	fn(d.Text)
	for i := range d.Content {
		if d.Content[i].Type == llm.PartText {
			fn(d.Content[i].Text)
		}
	}
}

// Bounds of a pasted document (pasted): where its instruction's colon may
// be, and how long it must be.
const (
	maxPasteIntro = 400
	minPasteDoc   = 64
)

// pasted returns the document a user's text pastes after its
// instruction — "Summarize this webpage: '<html>…</html>'", "What is the
// output of this code: <code>…</code>", "based on this resume: '…'" —
// when the text has a colon in its first maxPasteIntro bytes followed by
// a delimited document that runs to the text's end: quoted (the text
// ends with the closing mark), markup (it ends with '>'), a JSON object
// or a code fence; minPasteDoc bytes or more. The document is scored
// again as data, like a tool result: an order hidden in it is an
// indirect injection.
func pasted(text string) (doc string, ok bool) {
	end := strings.TrimRight(text, " \t\r\n.?!")
	for i := 0; i < min(len(text), maxPasteIntro); i++ {
		c := strings.IndexByte(text[i:min(len(text), maxPasteIntro)], ':')
		if c < 0 {
			return "", false
		}
		i += c
		j := i + 1
		for j < len(text) && j <= i+4 && (text[j] == ' ' || text[j] == '\n' || text[j] == '\t') {
			j++
		}
		if len(end)-j < minPasteDoc {
			return "", false
		}
		if delimited(text[j:len(end)]) {
			return text[j:], true
		}
	}
	return "", false
}

// delimited reports whether doc is one delimited document: in quotation
// marks, markup, a JSON object or a code fence from its first byte to its
// last.
func delimited(doc string) bool {
	for _, d := range [...]struct{ open, close string }{
		{"'", "'"}, {"\"", "\""}, {"“", "”"}, {"‘", "’"}, {"<", ">"}, {"{", "}"}, {"```", "```"},
	} {
		if strings.HasPrefix(doc, d.open) && strings.HasSuffix(doc, d.close) && len(doc) > len(d.open)+len(d.close) {
			return true
		}
	}
	return false
}

// ScanText scores one text as a user message with no system prompt.
func (s *Scanner) ScanText(text string) Verdict {
	sc := getScratch()
	defer putScratch(sc)
	head, tail := bounded(text, MaxMessageBytes)
	v := s.segment(sc, head, chPrompt)
	if tail != "" {
		if vt := s.segment(sc, tail, chPrompt); vt.Score > v.Score {
			v = vt
		}
	}
	v.Message = 0
	return v
}

// bounded returns text whole when it fits in n bytes, else its head and
// its tail (tailBytes long, or a quarter of n), scanned apart.
func bounded(text string, n int) (head, tail string) {
	if len(text) <= n {
		return text, ""
	}
	t := min(tailBytes, n/4)
	return text[:n-t], text[len(text)-t:]
}

// segment scores one text of a channel.
func (s *Scanner) segment(sc *scratch, text string, ch channel) Verdict {
	sc.analyze(text, ch)
	sc.prefixSums(s.m, ch)
	var vals [numFeatures]float32
	sc.segmentValues(text, ch, &vals)
	bestA, bestB, best := s.bestWindow(sc, ch, &vals)
	v := Verdict{Score: sigmoid(best), Data: ch == chData, Message: 0}
	var x [numFeatures]float32
	sc.windowCounts(bestA, bestB, &vals, &x)
	for f := range x {
		if x[f] > 0 && s.m.dense[ch][f]*x[f] >= reasonMin {
			v.Reasons |= features[f].reason
		}
	}
	if v.Reasons == 0 && sc.contrib[bestB]-sc.contrib[bestA] >= reasonMin {
		v.Reasons = ReasonLearned
	}
	return v
}

// bestWindow returns the window of the segment just analyzed with the
// highest log-odds, and them. Most windows hold no event: their log-odds
// is the segment's values' part plus their words', with no feature
// arithmetic.
func (s *Scanner) bestWindow(sc *scratch, ch channel, vals *[numFeatures]float32) (bestA, bestB int, best float32) {
	dense := &s.m.dense[ch]
	base := s.m.bias[ch]
	for f := range vals {
		if vals[f] != 0 {
			base += dense[f] * min(vals[f], features[f].cap)
		}
	}
	es, n, k := sc.events, len(sc.words), 0
	best = float32(math.Inf(-1))
	for a := 0; ; a += windowStride {
		b := min(a+windowWords, n)
		for k < len(es) && es[k].pos < int32(a) {
			k++
		}
		z := base
		if k < len(es) && es[k].pos < int32(b) {
			var x [numFeatures]float32
			sc.windowCounts(a, b, vals, &x)
			z = s.m.bias[ch]
			for f := range x {
				z += dense[f] * x[f]
			}
		}
		if z += sc.contrib[b] - sc.contrib[a]; z > best {
			bestA, bestB, best = a, b, z
		}
		if b == n {
			return bestA, bestB, best
		}
	}
}

// reasonMin is the log-odds a signal must add to be named a reason.
const reasonMin = 1.0

func sigmoid(z float32) float64 { return 1 / (1 + math.Exp(-float64(z))) }

// analyze tokenizes text, decodes its payloads and finds its features.
func (sc *scratch) analyze(text string, ch channel) {
	sc.resetSegment()
	sc.ch = ch
	t := tokenizer{sc: sc}
	t.tokenize(text, false)
	if t.mayEncode() {
		sc.decodePayloads(text)
	}
	if t.mayCipher() {
		sc.decodeCiphers(text, &t)
	}
	for _, p := range sc.payloads {
		t.tokenize(view(sc.dec[p[0]:p[1]]), true)
	}
	if len(sc.hidden) > 0 {
		t.tokenize(view(sc.hidden), true)
	}
	sc.seg = segStats{invisible: t.segInvisible, tags: t.segTags, fancy: t.segFancy}
	if t.maxSingles >= 4 {
		joinSpaced(sc, 0)
	}
	sc.findEvents(0)
	sortEvents(sc.events)
}

// sortEvents sorts events by word (insertion sort: they come nearly in
// order).
func sortEvents(es []event) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].pos < es[j-1].pos; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// The thresholds docs/security.md measures: DefaultThreshold, where
// held-out attack families are detected at 0.93 and whole held-out attack
// sources at 0.90, with under 0.5% of held-out benign prompts flagged (the
// default for flagging), and StrictThreshold, which flags half as many
// benign prompts and a third fewer of those that talk about attacks (the
// default for blocking and rerouting).
const (
	DefaultThreshold = 0.3
	StrictThreshold  = 0.5
)
