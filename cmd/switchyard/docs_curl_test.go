package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// curlExample is a curl command of a document, as the request it sends.
type curlExample struct {
	method, target string // target: the path and query
	header         http.Header
	body           string
	fromFile       bool // the body is a file's (@file)
}

// parseCurl reads the request of a curl command's words; ok is false for
// a command that is not curl or calls no /v1/ or /admin/ path.
func parseCurl(words []string) (c curlExample, ok bool) {
	if len(words) == 0 || words[0] != "curl" {
		return c, false
	}
	c.header = http.Header{}
	for i := 1; i < len(words); i++ {
		w := words[i]
		next := func() string {
			if i+1 < len(words) {
				i++
				return words[i]
			}
			return ""
		}
		switch {
		case w == "-X" || w == "--request":
			c.method = next()
		case w == "-H" || w == "--header":
			if k, v, found := strings.Cut(next(), ":"); found {
				c.header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
		case w == "-d" || w == "--data" || w == "--data-binary" || w == "--data-raw":
			c.body = next()
			c.fromFile = strings.HasPrefix(c.body, "@")
		case w == "-o" || w == "-D" || w == "-u" || w == "-w" || strings.HasPrefix(w, "-") && strings.HasSuffix(w, "o") && !strings.HasPrefix(w, "--"):
			next()
		case strings.HasPrefix(w, "-"):
		default:
			c.target = w
		}
	}
	u, err := url.Parse(c.target)
	if err != nil || !strings.Contains(c.target, "://") {
		u, err = url.Parse("http://" + c.target)
	}
	if err != nil || !(strings.HasPrefix(u.Path, "/v1/") || strings.HasPrefix(u.Path, "/admin/")) {
		return c, false
	}
	c.target = u.RequestURI()
	if c.method == "" {
		c.method = "GET"
		if c.body != "" {
			c.method = "POST"
		}
	}
	return c, true
}

// elidedID is an id the document elides (req_…, resp_…).
var elidedID = regexp.MustCompile(`\b(req_|resp_|chatcmpl-|conv_|batch_|file_)\w*(…|\.\.\.)`)

// answeredID is an id an answer gives.
var answeredID = regexp.MustCompile(`"(?:id|request_id)":\s*"((?:req_|resp_|chatcmpl-|conv_|batch_|file_)[^"]+)"`)

// documentedStatus is the status of the answer a document writes under
// its command ("# 201 {…}").
var documentedStatus = regexp.MustCompile(`^(\d{3})\b`)

// documentedError is an error a document shows as a command's output,
// with its code.
var documentedError = regexp.MustCompile(`(?s)^\{"error".*"code":\s*"(\w+)"`)

// TestDocCurlExamples: every curl example of the documents that calls
// /v1/ or /admin/ is sent, in the documents' order, to a demo router
// (serve --demo): its method, path and JSON body are accepted — the
// answer is not a 4xx, or it is the status the document writes under the
// command ("# 429 …") — and a JSON body decodes. An id the example elides
// (req_…, chatcmpl-…) is the last one of its kind an earlier answer gave
// (a request's id: its x-switchyard-request-id); one no answer gave yet
// may be a 404. An example whose body is a file (--data-binary
// @demo.yaml) is not sent.
func TestDocCurlExamples(t *testing.T) {
	_, addr, stop := startServe(t, "--demo", "--sim-latency", "0", "--quiet", "--addr", "127.0.0.1:0", "--store", filepath.Join(t.TempDir(), "demo.db"))
	defer stop()
	sent, fromFile, answers := 0, 0, 0
	ids := map[string]string{}   // by prefix: the last id an answer gave
	files := map[string]string{} // what an example wrote to a file (> demo.yaml)
	for _, sc := range shellCommands(t) {
		c, ok := parseCurl(sc.words)
		if !ok {
			continue
		}
		if c.fromFile {
			body, ok := files[strings.TrimPrefix(c.body, "@")]
			if !ok {
				fromFile++
				continue
			}
			c.body = body
		}
		sent++
		where := sc.block.where() + ": " + c.method + " " + c.target
		if c.body != "" && strings.HasPrefix(strings.TrimSpace(c.body), "{") && !json.Valid([]byte(c.body)) {
			t.Errorf("%s: the body is not JSON: %s", where, c.body)
		}
		elided := elidedID.MatchString(c.target) || elidedID.MatchString(c.body)
		if raw, err := url.PathUnescape(c.target); err == nil {
			c.target = raw
		}
		c.target, c.body = fillIDs(ids, c.target), fillIDs(ids, c.body)
		status, answer, reqID := sendCurl(t, addr, c)
		if sc.stdout != "" {
			files[sc.stdout] = answer
		}
		if status < 400 && c.method == "POST" && !elided && modelCall.MatchString(c.target) {
			rememberIDs(ids, answer, reqID)
		}
		missing, compared := documentedFields(sc.answer, answer)
		if compared {
			answers++
		}
		for _, p := range missing {
			t.Errorf("%s: the document's answer has %s, the router's has not: %s", where, p, answer)
		}
		checkStatus(t, where, sc.answer, c, status, answer)
	}
	t.Logf("%d curl examples sent (%d documented answers' fields compared); %d with a body from a file not sent", sent, answers, fromFile)
	if sent < 20 {
		t.Errorf("only %d curl examples found: is the extraction broken?", sent)
	}
}

// modelCall is the path of a call that makes a request, response or
// conversation id.
var modelCall = regexp.MustCompile(`^/v1/(chat/completions|responses|messages|conversations)(\?|$)`)

// rememberIDs records the ids a creation's answer gives: the request's
// (its x-switchyard-request-id), and the first id of the body (the
// created object's).
func rememberIDs(ids map[string]string, answer, requestID string) {
	if requestID != "" {
		ids["req_"] = requestID
	}
	if m := answeredID.FindStringSubmatch(answer); m != nil {
		ids[m[1][:strings.IndexAny(m[1], "_-")+1]] = m[1]
	}
}

// sendCurl sends an example's request to the router at addr, each
// $VARIABLE of its headers replaced with a demo key, and returns the
// answer and the request id the router gave.
func sendCurl(t *testing.T, addr string, c curlExample) (status int, answer, requestID string) {
	t.Helper()
	req, err := http.NewRequest(c.method, "http://"+addr+c.target, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, regexp.MustCompile(`\$\{?\w+\}?`).ReplaceAllString(v, "demo-key"))
		}
	}
	if c.body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // curl -d's
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("X-Switchyard-Request-Id")
}

// documentedFields returns the fields of the answer a document shows
// ("# 201 {…}", or a console block's output) that the router's real
// answer lacks; compared is false when either is not JSON.
func documentedFields(documented, real string) (missing []string, compared bool) {
	documented = strings.TrimSpace(documentedStatus.ReplaceAllString(documented, ""))
	if !strings.HasPrefix(documented, "{") {
		return nil, false
	}
	if i := strings.Index(documented, "}\n"); i >= 0 && !json.Valid([]byte(documented)) {
		documented = documented[:i+1] // the JSON, not the prose after it
	}
	samples, err := decodeSample(documented)
	if err != nil || len(samples) != 1 {
		return nil, false
	}
	var got any
	if json.Unmarshal([]byte(real), &got) != nil {
		return nil, false
	}
	return missingKeys(samples[0], got, ""), true
}

// missingKeys returns the paths of sample's object keys that real lacks.
func missingKeys(sample, real any, path string) []string {
	var out []string
	switch s := sample.(type) {
	case map[string]any:
		r, ok := real.(map[string]any)
		if !ok {
			return nil
		}
		for k, v := range s {
			if k == "…" {
				continue
			}
			rv, ok := r[k]
			if !ok {
				out = append(out, path+"."+k)
				continue
			}
			out = append(out, missingKeys(v, rv, path+"."+k)...)
		}
	case []any:
		if r, ok := real.([]any); ok && len(r) > 0 {
			for _, v := range s {
				out = append(out, missingKeys(v, r[0], path+"[]")...)
			}
		}
	}
	return out
}

// fillIDs replaces each id s elides (req_…) with the last one of its
// kind in ids, when there is one.
func fillIDs(ids map[string]string, s string) string {
	return elidedID.ReplaceAllStringFunc(s, func(m string) string {
		if id := ids[elidedID.FindStringSubmatch(m)[1]]; id != "" {
			return id
		}
		return m
	})
}

// checkStatus checks an example's answer status: the one the document
// writes under it, or the error it shows, or else not a 4xx (a 404 for
// an id no earlier answer gave aside).
func checkStatus(t *testing.T, where, documented string, c curlExample, status int, answer string) {
	t.Helper()
	want := documentedStatus.FindStringSubmatch(documented)
	switch {
	case strings.Contains(answer, `"unknown_url"`) || status == http.StatusMethodNotAllowed:
		t.Errorf("%s: the router has no such endpoint: %d %s", where, status, answer)
	case want != nil:
		if strconv.Itoa(status) != want[1] {
			t.Errorf("%s: %d, the document says %s: %s", where, status, want[1], answer)
		}
	case documentedError.MatchString(documented):
		code := documentedError.FindStringSubmatch(documented)[1]
		if status < 400 || !strings.Contains(answer, `"code":"`+code+`"`) && !strings.Contains(answer, `"code": "`+code+`"`) {
			t.Errorf("%s: %d %s; the document shows the error %s", where, status, answer, code)
		}
	case status == http.StatusNotFound && elidedID.MatchString(c.target+c.body):
	case status >= 400:
		t.Errorf("%s: %d %s", where, status, answer)
	}
}
