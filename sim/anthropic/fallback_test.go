package anthropic

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	wire "switchyard/wire/anthropic"
)

const refusalBody = `{"model":"%s","max_tokens":100,%s"messages":[{"role":"user","content":"` + refusalTestString + `"}]}`

func creditBody(m, extra string) string {
	return strings.Replace(strings.Replace(refusalBody, "%s", m, 1), "%s", extra, 1)
}

// creditAnswer reads a complete answer (or fails on an error).
func creditAnswer(t *testing.T, resp *http.Response) *wire.MessagesResponse {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var m wire.MessagesResponse
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// A refusal's stop_details carries a fallback_credit_token the API's way;
// a retry on another model with the same body redeems it
// (usage.fallback_credit redeemed, in the message and in a stream's
// message_delta); one that fails — same model, another body, expired —
// is a 400 in strict mode, served with not_applied and its reason in
// best_effort mode; a token never minted is a 400 in both; fallbacks,
// which the simulator does not run, a 400.
func TestFallbackCredit(t *testing.T) {
	srv, _ := newServer(t)
	m := creditAnswer(t, post(t, srv, "/v1/messages", creditBody(model, "")))
	d := m.StopDetails
	if m.StopReason == nil || *m.StopReason != wire.StopRefusal || d == nil || d.FallbackCreditToken == nil || !strings.HasPrefix(*d.FallbackCreditToken, "fct_") ||
		d.FallbackHasPrefillClaim == nil || *d.FallbackHasPrefillClaim {
		t.Fatalf("refusal %+v", d)
	}
	tok := *d.FallbackCreditToken
	other := "claude-sim-haiku-3-5"
	retry := func(m, tokJSON string) *http.Response {
		return post(t, srv, "/v1/messages", creditBody(m, `"fallback_credit_token":`+tokJSON+`,`))
	}
	got := creditAnswer(t, retry(other, `"`+tok+`"`))
	if string(got.Usage.FallbackCredit) != `{"status":{"type":"redeemed"}}` {
		t.Errorf("redeemed: usage %s", got.Usage.FallbackCredit)
	}
	stream := post(t, srv, "/v1/messages", strings.Replace(creditBody(other, `"fallback_credit_token":"`+tok+`",`), `"max_tokens"`, `"stream":true,"max_tokens"`, 1))
	b, _ := io.ReadAll(stream.Body)
	if !strings.Contains(string(b), `"fallback_credit":{"status":{"type":"redeemed"}}`) {
		t.Errorf("stream: %s", b)
	}
	best := func(t string) string { return `{"token":"` + t + `","mode":"best_effort"}` }
	if r := retry(model, `"`+tok+`"`); r.StatusCode != http.StatusBadRequest {
		t.Errorf("same model, strict: %d", r.StatusCode)
	}
	if got := creditAnswer(t, retry(model, best(tok))); !strings.Contains(string(got.Usage.FallbackCredit), `"reason":"invalid_target_model"`) {
		t.Errorf("same model, best effort: %s", got.Usage.FallbackCredit)
	}
	changed := strings.Replace(creditBody(other, `"fallback_credit_token":`+best(tok)+`,`), refusalTestString, "something else", 1)
	if got := creditAnswer(t, post(t, srv, "/v1/messages", changed)); !strings.Contains(string(got.Usage.FallbackCredit), `"reason":"body_mismatch"`) {
		t.Errorf("another body: %s", got.Usage.FallbackCredit)
	}
	creditNow = func() time.Time { return time.Now().Add(creditTTL + time.Second) }
	defer func() { creditNow = time.Now }()
	if got := creditAnswer(t, retry(other, best(tok))); !strings.Contains(string(got.Usage.FallbackCredit), `"reason":"expired"`) {
		t.Errorf("expired: %s", got.Usage.FallbackCredit)
	}
	for _, body := range []string{
		creditBody(other, `"fallback_credit_token":`+best("fct_unknown")+`,`),
		creditBody(other, `"fallbacks":[{"model":"`+model+`"}],`),
	} {
		if r := post(t, srv, "/v1/messages", body); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", body, r.StatusCode)
		}
	}
}
