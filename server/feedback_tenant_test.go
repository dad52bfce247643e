package server

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
)

// A rating of another tenant's request still being answered is the same
// 404 as an unknown id, at once: it neither waits for the request nor
// answers 422 "still being answered", which would tell that it exists.
func TestFeedbackOfAnotherTenantsLiveRequest(t *testing.T) {
	release := make(chan struct{})
	r, _, ts := feedbackRouterOn(t, heldUpstream(t, release))
	released := false
	defer func() {
		if !released {
			close(release)
		}
		r.Close(context.Background())
	}()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/chat/completions", strings.NewReader(chatRequest(true, "", "hello")))
	req.Header.Set("Authorization", "Bearer "+acmeKey)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	id := resp.Header.Get("x-switchyard-request-id")
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil || id == "" {
		t.Fatalf("first chunk: %v, id %q", err, id)
	}

	status, _, body := send(t, ts, "/v1/feedback", globexKey, `{"request_id":"`+id+`","thumbs":"down"}`)
	if code, _ := errorOf(t, body); status != http.StatusNotFound || code != codeRequestNotFound {
		t.Errorf("another tenant's rating of a live request: %d %s, want 404 %s", status, body, codeRequestNotFound)
	}

	close(release)
	released = true
	if _, err := bufio.NewReader(resp.Body).ReadString(0); err != nil && err.Error() != "EOF" {
		t.Fatal(err)
	}
	if status, _, body := send(t, ts, "/v1/feedback", acmeKey, `{"request_id":"`+id+`","thumbs":"up"}`); status != http.StatusNoContent {
		t.Errorf("its own tenant's rating: %d %s, want 204", status, body)
	}
}
