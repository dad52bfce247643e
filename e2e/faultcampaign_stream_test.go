package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/provider/providertest"
)

// TestFaultCampaignStreams: answers that go wrong after their first
// content, or arrive in awkward pieces, or reach a client that reads
// slowly.
func TestFaultCampaignStreams(t *testing.T) {
	big := strings.Repeat("Rivers carried salt and grain to the sea. ", 1<<10) // 42 KiB an event
	const bigEvents = 200                                                      // 8.4 MB in all
	runCampaign(t, []faultCase{
		// The end marker ([DONE], message_stop) before any finish reason
		// ends a stream cut short, not a whole one; Gemini has no end
		// marker: its body simply ends.
		{name: "end marker before the finish reason", late: true, says: "before",
			fault: events(func(f providertest.Format) string { return f.Start + f.Text("Hel") + f.End })},
		{name: "silent after the first content", late: true, slow: true, status: http.StatusGatewayTimeout, says: "stalled",
			fault: func(w http.ResponseWriter, r *http.Request, f providertest.Format) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, f.Start+f.Text("Hel"))
				w.(http.Flusher).Flush()
				<-r.Context().Done()
			}},
		// What this case tests is events split across writes, not stall
		// timing: its deadline gives a 2 s stall bound (at 500 ms, a
		// clean-clone run beside two builds took the paced writes for
		// a stall).
		{name: "the answer in 7-byte writes", whole: true, deadline: 20 * time.Second, fault: func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "text/event-stream")
			for b := whole(f); b != ""; b = b[min(7, len(b)):] {
				io.WriteString(w, b[:min(7, len(b))])
				w.(http.Flusher).Flush()
				time.Sleep(time.Millisecond) // a pace, not a wait for an event
			}
		}},
		// The router blocks writing to a client that reads nothing for
		// three stall timeouts: a healthy upstream must not be taken for
		// stalled meanwhile. Its deadline is long enough for the 8.4 MB
		// to cross a loaded machine under -race after the pause (at 3s
		// the request deadline, not a stall, ended it in a loaded CI run).
		{name: "a slow-reading client", whole: true, streamOnly: true, aloneOnly: true, slow: true, answer: strings.Repeat(big, bigEvents) + "end",
			deadline: slowReaderDeadline, read: pauseFirst(3 * stallFor(slowReaderDeadline)),
			fault: events(func(f providertest.Format) string {
				return f.Start + strings.Repeat(f.Text(big), bigEvents) + f.Text("end") + f.Finish + f.End
			})},
	})
}

// slowReaderDeadline is the request deadline of the slow-reading client's
// case: its stall timeout is a tenth of it (stallFor).
const slowReaderDeadline = 10 * time.Second

// pauseFirst returns a reader that waits d before its first read: a
// client slow to read.
func pauseFirst(d time.Duration) func(io.Reader) io.Reader {
	return func(r io.Reader) io.Reader { return &pausedReader{r: r, pause: d} }
}

type pausedReader struct {
	r      io.Reader
	pause  time.Duration
	paused bool
}

func (p *pausedReader) Read(b []byte) (int, error) {
	if !p.paused {
		p.paused = true
		time.Sleep(p.pause) // the client's slowness itself, not a wait for an event
	}
	return p.r.Read(b)
}
