package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/provider/providertest"
	"switchyard/record"
)

// TestFaultMatrix runs the fault matrix (faultmatrix_env_test.go): every
// cell on both its routes, then checks each reply, its record, and once
// the router is closed that no goroutine is left.
func TestFaultMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("the fault matrix takes seconds")
	}
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { checkNoLeak(t, before) }) // runs last: after the router and upstream closed
	cells := matrixCells()
	e := newMatrixEnv(t, cells)
	replies := make([][2]matrixReply, len(cells))
	jobs := make(chan [2]int)
	var wg sync.WaitGroup
	workers := matrixWorkers
	if raceEnabled {
		workers = matrixRaceWorkers // the race detector's CPU: fewer at once, or healthy cells miss the deadline
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				replies[j[0]][j[1]] = askMatrix(e, cells[j[0]], [2]string{"c", "a"}[j[1]])
			}
		}()
	}
	for i := range cells {
		jobs <- [2]int{i, 0}
		jobs <- [2]int{i, 1}
	}
	close(jobs)
	wg.Wait()
	recs := map[string][]record.Record{}
	for _, r := range e.recorded(t, 2*len(cells)) {
		recs[r.Route] = append(recs[r.Route], r)
	}
	for i, cell := range cells {
		t.Run(cell.name(), func(t *testing.T) {
			for j, which := range []string{"c", "a"} {
				rp := replies[i][j]
				checkMatrixReply(t, cell, which, rp)
				checkMatrixRecord(t, cell, which, rp, recs[cell.route(which)])
			}
		})
	}
}

// matrixReply is what the client of a cell's route got.
type matrixReply struct {
	status     int
	deployment string // x-switchyard-deployment
	retryAfter string
	raw        []byte // the body as the client read it
	text       string
	err        error // the SDK's
	latency    time.Duration
}

// teeTransport keeps the status, headers and body of the one answer an
// SDK client reads through it.
type teeTransport struct {
	resp *http.Response
	body bytes.Buffer
}

func (tt *teeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		tt.resp = resp
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(resp.Body, &tt.body), resp.Body}
	}
	return resp, err
}

// askMatrix asks the cell's route ("c" or "a") through the endpoint's SDK.
func askMatrix(e *env, cell matrixCell, which string) matrixReply {
	ctx, cancel := context.WithTimeout(context.Background(), matrixDeadline+5*time.Second)
	defer cancel()
	tt := &teeTransport{}
	hc := &http.Client{Transport: tt}
	route := cell.route(which)
	var rp matrixReply
	start := time.Now()
	switch cell.endpoint {
	case "chat":
		rp.text, rp.err = matrixChat(ctx, openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey("demo-key"), option.WithMaxRetries(0), option.WithHTTPClient(hc)), route, cell.stream)
	case "responses":
		rp.text, rp.err = matrixResponses(ctx, openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey("demo-key"), option.WithMaxRetries(0), option.WithHTTPClient(hc)), route, cell.stream)
	case "messages":
		rp.text, rp.err = matrixMessages(ctx, sdk.NewClient(sdkoption.WithBaseURL(e.URL), sdkoption.WithAPIKey("demo-key"), sdkoption.WithMaxRetries(0), sdkoption.WithHTTPClient(hc)), route, cell.stream)
	}
	rp.latency = time.Since(start)
	if tt.resp != nil {
		rp.status = tt.resp.StatusCode
		rp.deployment = tt.resp.Header.Get("x-switchyard-deployment")
		rp.retryAfter = tt.resp.Header.Get("Retry-After")
	}
	rp.raw = tt.body.Bytes()
	return rp
}

const matrixPrompt = "Say hello."

func matrixChat(ctx context.Context, c openai.Client, route string, stream bool) (string, error) {
	params := openai.ChatCompletionNewParams{Model: route, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(matrixPrompt)}}
	if !stream {
		resp, err := c.Chat.Completions.New(ctx, params)
		if err != nil || len(resp.Choices) == 0 {
			return "", err
		}
		return resp.Choices[0].Message.Content, nil
	}
	params.StreamOptions.IncludeUsage = openai.Bool(true)
	s := c.Chat.Completions.NewStreaming(ctx, params)
	defer s.Close()
	var text strings.Builder
	for s.Next() {
		for _, ch := range s.Current().Choices {
			text.WriteString(ch.Delta.Content)
		}
	}
	return text.String(), s.Err()
}

func matrixResponses(ctx context.Context, c openai.Client, route string, stream bool) (string, error) {
	params := responses.ResponseNewParams{Model: route, Input: responses.ResponseNewParamsInputUnion{OfString: openai.String(matrixPrompt)}}
	if !stream {
		resp, err := c.Responses.New(ctx, params)
		if err != nil {
			return "", err
		}
		return resp.OutputText(), nil
	}
	s := c.Responses.NewStreaming(ctx, params)
	defer s.Close()
	var text strings.Builder
	var failed error
	for s.Next() {
		switch ev := s.Current(); ev.Type {
		case "response.output_text.delta":
			text.WriteString(ev.Delta)
		case "error", "response.failed":
			failed = errStreamFailed
		}
	}
	if s.Err() != nil {
		return text.String(), s.Err()
	}
	return text.String(), failed
}

func matrixMessages(ctx context.Context, c sdk.Client, route string, stream bool) (string, error) {
	params := userMessage(route, matrixPrompt, 100)
	if !stream {
		msg, err := c.Messages.New(ctx, params)
		if err != nil {
			return "", err
		}
		var text strings.Builder
		for _, b := range msg.Content {
			text.WriteString(b.Text)
		}
		return text.String(), nil
	}
	s := c.Messages.NewStreaming(ctx, params)
	defer s.Close()
	var text strings.Builder
	for s.Next() {
		if ev := s.Current(); ev.Type == "content_block_delta" {
			text.WriteString(ev.Delta.Text)
		}
	}
	return text.String(), s.Err()
}

type matrixError string

func (e matrixError) Error() string { return string(e) }

// errStreamFailed is a Responses stream that reported its failure in an
// event the SDK hands over as any other.
const errStreamFailed = matrixError("the stream reported an error event")

// checkMatrixReply asserts what the cell's fault must come to on route
// which, and what every reply must: within the deadline, no provider key.
func checkMatrixReply(t *testing.T, cell matrixCell, which string, rp matrixReply) {
	t.Helper()
	route := which
	if rp.latency > matrixDeadline+matrixSlack {
		t.Errorf("%s: answered after %s, past the %s deadline", route, rp.latency, matrixDeadline)
	}
	if bytes.Contains(rp.raw, []byte(providertest.Secret)) {
		t.Errorf("%s: the reply shows the provider key: %.300s", route, rp.raw)
	}
	fallback, faulty := campaignFallback, "dep-"+cell.route(which)
	if cell.fault.final {
		which = "a" // the error ends the plan: no fallback is tried
	}
	switch is := cell.fault.is; {
	case is == intact:
		wantMatrixAnswer(t, route, rp, faulty, campaignAnswer)
	case which == "c" && (is == early || !cell.stream):
		wantMatrixAnswer(t, route, rp, fallback, "")
	case which == "c": // a stream broken after content, continued
		wantMatrixAnswer(t, route, rp, faulty, "")
		if !strings.HasPrefix(rp.text, "Hel") || len(rp.text) <= len("Hel") {
			t.Errorf("%s: text %q, want the faulty upstream's start continued", route, rp.text)
		}
	case is == late && cell.stream: // alone, a stream broken after content
		if rp.status != http.StatusOK || rp.text != "Hel" || rp.err == nil {
			t.Fatalf("%s: status %d, text %q, SDK error %v; want the content, then an error: %.400s", route, rp.status, rp.text, rp.err, rp.raw)
		}
		ev := streamErrorEvent(cell.endpoint, rp.raw)
		if ev == nil {
			t.Fatalf("%s: no error event in %.600s", route, rp.raw)
		}
		wantMatrixErrorShape(t, route, cell.endpoint, ev, 0, true)
	default:
		if rp.err == nil {
			t.Fatalf("%s: no error; status %d, text %q", route, rp.status, rp.text)
		}
		want := cell.fault.status
		if cell.fault.eventStatus {
			want = (&llm.Error{Kind: cell.format.ErrorKind}).HTTPStatus()
		}
		if want == 0 {
			want = http.StatusBadGateway
		}
		if cell.endpoint == "messages" && want == http.StatusServiceUnavailable {
			want = 529
		}
		if rp.status != want {
			t.Errorf("%s: status %d, want %d: %.300s", route, rp.status, want, rp.raw)
		}
		wantMatrixErrorShape(t, route, cell.endpoint, rp.raw, rp.status, false)
		if says := cell.fault.says; says != "" && !bytes.Contains(rp.raw, []byte(says)) {
			t.Errorf("%s: the error does not say %q: %.400s", route, says, rp.raw)
		}
		if rp.status == http.StatusTooManyRequests && rp.retryAfter == "" {
			t.Errorf("%s: a 429 without Retry-After", route)
		}
	}
}

// wantMatrixAnswer asserts a whole answer served by dep; text, if not
// empty, is the answer expected.
func wantMatrixAnswer(t *testing.T, route string, rp matrixReply, dep, text string) {
	t.Helper()
	if rp.err != nil || rp.status != http.StatusOK || rp.deployment != dep {
		t.Fatalf("%s: status %d from %q (%v), want an answer from %s: %.400s", route, rp.status, rp.deployment, rp.err, dep, rp.raw)
	}
	if rp.text == "" || (text != "" && rp.text != text) {
		t.Errorf("%s: text %.100q, want %q", route, rp.text, text)
	}
}

// streamErrorEvent is the data of the error event of a stream of
// endpoint, or nil: Chat Completions' data line {"error":…}, the
// Responses API's error or response.failed event, the Messages API's
// error event.
func streamErrorEvent(endpoint string, raw []byte) []byte {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 64<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			event = name
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		switch {
		case endpoint == "chat" && strings.HasPrefix(data, `{"error"`),
			endpoint == "responses" && (event == "error" || event == "response.failed"),
			endpoint == "messages" && event == "error":
			return []byte(data)
		}
	}
	return nil
}

// wantMatrixErrorShape asserts an error in the endpoint's shape: OpenAI's
// {"error":{"message","type"}} (a Responses stream's error event
// {"type":"error","message"} or response.failed's response.error), or
// Anthropic's {"type":"error","error":{"type","message"}}, whose type is
// the one status calls for (0: any).
func wantMatrixErrorShape(t *testing.T, route, endpoint string, body []byte, status int, inStream bool) {
	t.Helper()
	var e struct {
		Type  string
		Error struct{ Type, Message string }
		// a Responses stream's
		Message  string
		Response struct {
			Error struct{ Code, Message string }
		}
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Errorf("%s: an error that is not JSON: %v: %.300s", route, err, body)
		return
	}
	if len(body) > 4<<10 {
		t.Errorf("%s: an error of %d bytes: %.200s…", route, len(body), body)
	}
	switch {
	case endpoint == "messages":
		if e.Type != "error" || e.Error.Message == "" || (status != 0 && e.Error.Type != anthropicTypeFor(status)) {
			t.Errorf("%s: error %s, not Anthropic's shape of a %d", route, body, status)
		}
	case endpoint == "responses" && inStream:
		if e.Message == "" && e.Response.Error.Message == "" {
			t.Errorf("%s: error event %s, not the Responses API's", route, body)
		}
	default:
		if e.Error.Message == "" || (status != 0 && e.Error.Type != openAITypeFor(status)) {
			t.Errorf("%s: error %s, not OpenAI's shape of a %d", route, body, status)
		}
	}
}

// checkMatrixRecord asserts the one record of the route's request: its
// status, its attempts, the deployment that answered.
func checkMatrixRecord(t *testing.T, cell matrixCell, which string, rp matrixReply, recs []record.Record) {
	t.Helper()
	if len(recs) != 1 {
		t.Errorf("%s: %d records, want 1", which, len(recs))
		return
	}
	r := recs[0]
	if r.Attempts < 1 {
		t.Errorf("%s: record of %d attempts", which, r.Attempts)
	}
	// The record keeps the error's own status; a stream that failed after
	// its first byte was a 200 to the client, and /v1/messages says 529
	// for a 503 (overloaded_error).
	switch {
	case rp.status == http.StatusOK && rp.err != nil:
		if r.Status == http.StatusOK || !r.StreamFailed {
			t.Errorf("%s: a stream that failed recorded as status %d, stream failed %v", which, r.Status, r.StreamFailed)
		}
	case rp.status == 529:
		if r.Status != http.StatusServiceUnavailable {
			t.Errorf("%s: record status %d, the client got 529", which, r.Status)
		}
	case r.Status != rp.status:
		t.Errorf("%s: record status %d, the client got %d", which, r.Status, rp.status)
	}
	if rp.status == http.StatusOK && rp.deployment == campaignFallback && r.Attempts < 2 {
		t.Errorf("%s: a failover recorded with %d attempt", which, r.Attempts)
	}
}
