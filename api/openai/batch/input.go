package batch

import (
	"bytes"
	"encoding/json"
	"fmt"

	"switchyard/llm"
)

// This file reads a batch's input file: JSON Lines, each
// {"custom_id","method":"POST","url","body":{…}}, checked as OpenAI
// checks them before a batch runs. A file with any wrong line fails the
// batch with every error found (up to maxErrors); a line asking to
// stream is not an error of the file: it fails alone when it runs.

// Line is one request of a batch's input.
type Line struct {
	// Index is its place among the requests, from 0; Number its line in
	// the file, from 1.
	Index, Number int
	// CustomID is the client's id of it, unique in the file.
	CustomID string
	// Body is the request's body (a JSON object).
	Body json.RawMessage
	// Stream reports that the body asks to stream ("stream": true),
	// which a batch cannot.
	Stream bool
	// Earlier is the provider batch's call of it, when the line runs on
	// the router after that call failed with usage to bill
	// (Forwarder.Results); nil otherwise. Dispatch finds it in its
	// context (EarlierOf). It is kept with the line in the store
	// (store.BatchRetry) as soon as the provider batch's results are
	// read: a batch resumed runs the line with it.
	Earlier *Earlier
}

// maxErrors bounds the errors a failed validation reports.
const maxErrors = 100

// inputLine is a line of the input file as decoded.
type inputLine struct {
	CustomID *string         `json:"custom_id"`
	Method   *string         `json:"method"`
	URL      *string         `json:"url"`
	Body     json.RawMessage `json:"body"`
}

// ParseInput reads the input data of a batch of endpoint, at most
// maxLines requests: its lines, or the errors that fail the batch (then
// lines is nil).
func ParseInput(data []byte, endpoint string, maxLines int) ([]Line, []Error) {
	var (
		lines []Line
		errs  []Error
		seen  = map[string]bool{}
		count int
	)
	for n, raw := range bytes.Split(data, []byte("\n")) {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		if count++; count > maxLines {
			return nil, []Error{{Code: "too_many_requests_in_batch", Message: fmt.Sprintf("The input file holds more than %d requests (batches.max_lines); split it into several batches.", maxLines)}}
		}
		l, e := parseLine(raw, n+1, endpoint)
		switch {
		case e != nil:
			errs = append(errs, *e)
		case seen[l.CustomID]:
			errs = append(errs, lineError(n+1, "duplicate_custom_id", "custom_id", fmt.Sprintf("The custom_id '%s' is used by an earlier line; each request needs its own.", llm.Clip(l.CustomID))))
		default:
			seen[l.CustomID] = true
			l.Index = len(lines)
			lines = append(lines, l)
		}
		if len(errs) >= maxErrors {
			break
		}
	}
	if len(errs) == 0 && len(lines) == 0 {
		errs = append(errs, Error{Code: "empty_file", Message: "The input file holds no request."})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return lines, nil
}

// parseLine reads the line number n of the file, raw.
func parseLine(raw []byte, n int, endpoint string) (Line, *Error) {
	var in inputLine
	if err := json.Unmarshal(raw, &in); err != nil {
		e := lineError(n, "invalid_json_line", "", "This line is not a JSON object: "+err.Error()+".")
		return Line{}, &e
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"custom_id", in.CustomID}, {"method", in.Method}, {"url", in.URL}} {
		if f.v == nil {
			e := lineError(n, "missing_required_parameter", f.name, "Missing required parameter: '"+f.name+"'.")
			return Line{}, &e
		}
	}
	var e Error
	switch {
	case *in.CustomID == "":
		e = lineError(n, "invalid_value", "custom_id", "The custom_id must not be empty.")
	case *in.Method != "POST":
		e = lineError(n, "invalid_value", "method", "The method must be 'POST', got '"+*in.Method+"'.")
	case *in.URL != endpoint:
		e = lineError(n, "mismatched_url", "url", "The url '"+*in.URL+"' is not the batch's endpoint '"+endpoint+"'; every line of a batch goes to its endpoint.")
	case len(in.Body) == 0 || in.Body[0] != '{':
		e = lineError(n, "invalid_value", "body", "The body must be a JSON object, the request to send.")
	default:
		var s struct {
			Stream bool `json:"stream"`
		}
		json.Unmarshal(in.Body, &s) // a body of the wrong shape fails when it runs, as a live request would
		return Line{Number: n, CustomID: *in.CustomID, Body: in.Body, Stream: s.Stream}, nil
	}
	return Line{}, &e
}

// lineError is the error of the line n about its field param.
func lineError(n int, code, param, msg string) Error {
	e := Error{Code: code, Message: msg, Line: &n}
	if param != "" {
		e.Param = &param
	}
	return e
}
