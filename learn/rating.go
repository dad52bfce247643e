package learn

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/llm"
	"switchyard/store"
)

// Bounds of a rating's body (POST /v1/feedback).
const (
	// MaxRatingBytes bounds the body.
	MaxRatingBytes = 16 << 10
	// MaxTags bounds the reason tags of one rating; MaxTagLen each tag.
	MaxTags   = 16
	MaxTagLen = 64
	// maxRequestIDLen bounds request_id; the router's ids are 28 bytes.
	maxRequestIDLen = 128
	// maxCorrectionUSD bounds correction_cost_usd.
	maxCorrectionUSD = 1e6
)

// Rating is a client's explicit feedback on the answer to one request.
type Rating struct {
	// RequestID is the rated request's x-switchyard-request-id.
	RequestID string
	// Thumbs is "up" or "down"; Score a reward in [0, 1]. Exactly one is
	// set.
	Thumbs string
	Score  *float64
	// Tags are the reasons given, without duplicates; nil when none.
	Tags []string
	// CorrectionUSD is what correcting the answer cost the client.
	CorrectionUSD float64
}

// Reward returns the rating as a reward in [0, 1]: thumbs up 1, down 0,
// or the score.
func (r *Rating) Reward() float64 {
	switch {
	case r.Score != nil:
		return *r.Score
	case r.Thumbs == "up":
		return 1
	}
	return 0
}

// row returns the feedback row of r for the request's tenant, given at
// at.
func (r *Rating) row(tenant string, at time.Time) *store.Feedback {
	ev := store.Evidence{Thumbs: r.Thumbs}
	if r.Score != nil {
		s := *r.Score
		ev.Score = &s
	}
	return &store.Feedback{
		RequestID: r.RequestID, Tenant: tenant, Time: at.UTC(), Kind: store.KindExplicit,
		Value: r.Reward(), Tags: r.Tags, CostUSD: r.CorrectionUSD, Evidence: ev,
	}
}

// ratingFields are the fields a rating's body may hold.
var ratingFields = []string{"request_id", "thumbs", "score", "tags", "correction_cost_usd"}

// DecodeRating decodes and checks the JSON body of POST /v1/feedback:
// {"request_id": "...", "thumbs": "up"|"down" or "score": 0..1, "tags":
// [...], "correction_cost_usd": n}. A null field counts as absent. Its
// errors are *llm.Error of kind invalid_request naming the field (Param).
func DecodeRating(body []byte) (Rating, error) {
	var r Rating
	if len(body) > MaxRatingBytes {
		return r, invalid("", "The feedback body is larger than %d bytes.", MaxRatingBytes)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return r, invalid("", "The feedback body must be a JSON object such as {\"request_id\": \"req_…\", \"thumbs\": \"up\"}.")
	}
	keys := make([]string, 0, len(fields))
	for k, v := range fields {
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			delete(fields, k)
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(ratingFields, k) {
			return r, invalid(k, "Unrecognized feedback field %q (known: %s).", k, strings.Join(ratingFields, ", "))
		}
	}
	steps := []func(map[string]json.RawMessage, *Rating) error{decodeRequestID, decodeVerdict, decodeTags, decodeCorrection}
	for _, step := range steps {
		if err := step(fields, &r); err != nil {
			return Rating{}, err
		}
	}
	return r, nil
}

func decodeRequestID(f map[string]json.RawMessage, r *Rating) error {
	raw, ok := f["request_id"]
	if !ok {
		return invalid("request_id", "Missing request_id: the x-switchyard-request-id of the answer you rate.")
	}
	if json.Unmarshal(raw, &r.RequestID) != nil || r.RequestID == "" || len(r.RequestID) > maxRequestIDLen || !printableASCII(r.RequestID) {
		return invalid("request_id", "request_id must be a request id as the x-switchyard-request-id header gave it (printable ASCII, at most %d characters).", maxRequestIDLen)
	}
	return nil
}

func decodeVerdict(f map[string]json.RawMessage, r *Rating) error {
	thumbs, hasThumbs := f["thumbs"]
	score, hasScore := f["score"]
	switch {
	case hasThumbs && hasScore:
		return invalid("score", "Give either thumbs or score, not both.")
	case !hasThumbs && !hasScore:
		return invalid("thumbs", "Missing rating: give thumbs (\"up\" or \"down\") or score (a number from 0 to 1).")
	case hasThumbs:
		if json.Unmarshal(thumbs, &r.Thumbs) != nil || r.Thumbs != "up" && r.Thumbs != "down" {
			r.Thumbs = ""
			return invalid("thumbs", "thumbs must be \"up\" or \"down\".")
		}
		return nil
	}
	var s float64
	if json.Unmarshal(score, &s) != nil || !(s >= 0 && s <= 1) {
		return invalid("score", "score must be a number from 0 (bad) to 1 (good).")
	}
	r.Score = &s
	return nil
}

func decodeTags(f map[string]json.RawMessage, r *Rating) error {
	raw, ok := f["tags"]
	if !ok {
		return nil
	}
	var tags []string
	if json.Unmarshal(raw, &tags) != nil {
		return invalid("tags", "tags must be a list of strings, such as [\"wrong_answer\", \"too_long\"].")
	}
	if len(tags) > MaxTags {
		return invalid("tags", "At most %d tags per rating; got %d.", MaxTags, len(tags))
	}
	for _, t := range tags {
		if !validTag(t) {
			return invalid("tags", "Tag %q is not a tag: 1 to %d letters, digits and _ - . : /.", clip(t, MaxTagLen+8), MaxTagLen)
		}
		if !slices.Contains(r.Tags, t) {
			r.Tags = append(r.Tags, t)
		}
	}
	return nil
}

func decodeCorrection(f map[string]json.RawMessage, r *Rating) error {
	raw, ok := f["correction_cost_usd"]
	if !ok {
		return nil
	}
	var c float64
	if json.Unmarshal(raw, &c) != nil || !(c >= 0 && c <= maxCorrectionUSD) || math.IsInf(c, 0) {
		return invalid("correction_cost_usd", "correction_cost_usd must be a number of US dollars from 0 to %g.", float64(maxCorrectionUSD))
	}
	r.CorrectionUSD = c
	return nil
}

// validTag reports whether t is 1 to MaxTagLen ASCII letters, digits and
// _ - . : /.
func validTag(t string) bool {
	if t == "" || len(t) > MaxTagLen {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_-.:/", c) >= 0) {
			return false
		}
	}
	return true
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// clip shortens s to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// invalid returns an invalid_request error about param.
func invalid(param, format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, format, args...)
	e.Param = param
	return e
}
