package sanitize

import "fmt"

// LeakAction is what a Sanitizer does when an answer repeats the system
// prompt.
type LeakAction string

// The leak actions.
const (
	// LeakOff does not look.
	LeakOff LeakAction = ""
	// LeakFlag reports the leak (Findings.Leak) and changes nothing.
	LeakFlag LeakAction = "flag"
	// LeakCut ends the answer before the word that completes the leak; a
	// stream is cut there (the gateway ends it with finish_reason
	// content_filter).
	LeakCut LeakAction = "cut"
)

// Policy is what a Sanitizer does to answers. The zero value does
// nothing.
type Policy struct {
	// Links neutralizes Markdown links and images, autolinks, reference
	// definitions and HTML tags whose URL is not relative and not on an
	// allowed host: an image becomes its alt text and "[image removed]",
	// a link its text and "[link removed]" (brackets escaped).
	Links bool
	// AllowedHosts are the hosts links may point to ("docs.example.com",
	// "*.example.com"); see ParseHosts.
	AllowedHosts []string
	// Leak is what to do when an answer repeats LeakWords words of the
	// request's system prompt in a row.
	Leak LeakAction
}

// Sanitizer applies a Policy. It is immutable and safe for concurrent
// use; each answer gets its own Stream.
type Sanitizer struct {
	links bool
	hosts Hosts
	leak  LeakAction
}

// New returns the Sanitizer of p, or an error naming a bad host pattern
// or leak action.
func New(p Policy) (*Sanitizer, error) {
	hosts, err := ParseHosts(p.AllowedHosts)
	if err != nil {
		return nil, err
	}
	switch p.Leak {
	case LeakOff, LeakFlag, LeakCut:
	default:
		return nil, fmt.Errorf("sanitize: leak action %q: want flag or cut", p.Leak)
	}
	return &Sanitizer{links: p.Links, hosts: hosts, leak: p.Leak}, nil
}

// WithoutLinks returns a Sanitizer with s's leak action and no link
// neutralization (for answers that are JSON, where the escaped notes
// would break the document); nil when that does nothing.
func (s *Sanitizer) WithoutLinks() *Sanitizer {
	if s == nil || s.leak == LeakOff {
		return nil
	}
	c := *s
	c.links = false
	return &c
}

// Active reports whether the sanitizer changes or watches anything; a
// nil Sanitizer is not active.
func (s *Sanitizer) Active() bool { return s != nil && (s.links || s.leak != LeakOff) }

// Findings are what a Stream found.
type Findings struct {
	// Links and Images count the links (autolinks and reference
	// definitions included) and images neutralized; URLs the bare URLs
	// (and URLs in tool-call arguments) neutralized.
	Links, Images, URLs int
	// Leak reports that the answer repeated the system prompt.
	Leak bool
}

// Stream sanitizes one answer given piece by piece: the pieces' outputs,
// put together, are the output of the whole answer, however it was cut.
// It holds back only the tail that could still become a link or an image
// (from a '[', "![" or '<' on) and, when leaks are cut, the word being
// written. Not safe for concurrent use.
type Stream struct {
	links *linker
	leak  *leaker
	done  bool
}

// NewStream starts an answer to a request whose system prompt is system
// (used only to watch for leaks).
func (s *Sanitizer) NewStream(system string) *Stream {
	st := &Stream{}
	if s.links {
		st.links = newLinker(&s.hosts)
	}
	if s.leak != LeakOff {
		if set := newShingles(system); set != nil {
			st.leak = &leaker{set: set, cut: s.leak == LeakCut}
		}
	}
	return st
}

// Write takes the next piece of the answer and returns the text that may
// go to the client now. After a cut (Cut), it returns "".
func (st *Stream) Write(piece string) string { return st.step(piece, false) }

// Close ends the answer and returns the rest of the text that may go to
// the client.
func (st *Stream) Close() string { return st.step("", true) }

func (st *Stream) step(piece string, final bool) string {
	if st.done {
		return ""
	}
	st.done = final
	if st.links == nil && st.leak == nil || st.plain(piece, final) {
		return piece
	}
	var out []byte
	if st.links != nil {
		out = st.links.write(piece, final)
	} else {
		out = []byte(piece)
	}
	if st.leak != nil {
		out = st.leak.write(out, final)
		if st.leak.found && st.leak.cut {
			st.done = true
		}
	}
	return string(out)
}

// plain reports whether piece goes out as it is: nothing held, not at a
// line start, outside code, no byte that may start a construct or end a
// line, and no word held for a leak cut.
func (st *Stream) plain(piece string, final bool) bool {
	if final || st.leak != nil && st.leak.cut {
		return false
	}
	if l := st.links; l != nil && (len(l.buf) > 0 || l.lineStart || l.fence != 0) {
		return false
	}
	for i := 0; i < len(piece); i++ {
		if special[piece[i]] {
			return false
		}
	}
	if l := st.links; l != nil && len(piece) > 0 {
		if mayHoldURL(piece, l.prevAlnum) {
			return false
		}
		l.prevAlnum = isAlnum(piece[len(piece)-1])
	}
	if st.leak != nil {
		st.leak.write([]byte(piece), false)
	}
	return true
}

// Cut reports that the answer was cut at a leak: the stream must end.
func (st *Stream) Cut() bool { return st.leak != nil && st.leak.found && st.leak.cut }

// Findings returns what was found so far.
func (st *Stream) Findings() Findings {
	var f Findings
	if st.links != nil {
		f.Links, f.Images, f.URLs = st.links.links, st.links.images, st.links.urls
	}
	f.Leak = st.leak != nil && st.leak.found
	return f
}

// Text sanitizes a whole answer.
func (s *Sanitizer) Text(answer, system string) (string, Findings) {
	st := s.NewStream(system)
	out := st.Write(answer)
	out += st.Close()
	return out, st.Findings()
}
