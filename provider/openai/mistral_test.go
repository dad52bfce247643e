package openai

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A streamed request to Mistral's API asks no usage chunk (Mistral
// refuses stream_options) unless its deployment says send, and carries
// no metadata; any other host is asked for usage and sent the client's
// metadata, unless its deployment says omit.
func TestEncodeChatMistral(t *testing.T) {
	for _, tt := range []struct {
		base          string
		set           llm.PassBack
		usage, tagged bool
	}{
		{"https://api.mistral.ai/v1", llm.PassBackAuto, false, false},
		{"https://codestral.mistral.ai/v1", llm.PassBackAuto, false, false},
		{"https://api.mistral.ai/v1", llm.PassBackSend, true, false},
		{"https://api.openai.com/v1", llm.PassBackAuto, true, true},
		{"https://proxy.example/v1", llm.PassBackOmit, false, true},
	} {
		c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: tt.base, APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		req := userRequest("mistral-large-latest", "hi")
		req.StreamOptions, req.Metadata = tt.set, map[string]string{"session": "s1"}
		body, err := c.encodeChat(req, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(body, []byte(`"stream_options":{"include_usage":true}`)); got != tt.usage {
			t.Errorf("%s %q: body %s", tt.base, tt.set, body)
		}
		if got := bytes.Contains(body, []byte(`"metadata":{"session":"s1"}`)); got != tt.tagged {
			t.Errorf("%s %q: body %s", tt.base, tt.set, body)
		}
	}
}

// toServer is a transport that sends every request to srv, whatever its
// URL's host: a client configured with a vendor's base_url reaches a
// simulator of it.
type toServer struct {
	srv *url.URL
	rt  http.RoundTripper
}

func (tr toServer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = tr.srv.Scheme, tr.srv.Host
	return tr.rt.RoundTrip(r)
}

// A client whose base_url is Mistral's API streams a request with
// metadata from the simulated Mistral API, which refuses both
// stream_options and metadata, and reads the usage from its last chunk.
func TestStreamMistralHost(t *testing.T) {
	srv := httptest.NewServer(simopenai.NewMistral(sim.NewCatalog(sim.Profile{Model: "mistral-large-latest"}), nil))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	tr := provider.NewTransport()
	t.Cleanup(tr.CloseIdleConnections)
	c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: "https://api.mistral.ai/v1", APIKey: "k", HTTPClient: &http.Client{Transport: toServer{u, tr}}})
	if err != nil {
		t.Fatal(err)
	}
	req := userRequest("mistral-large-latest", "hello")
	req.Metadata = map[string]string{"session": "s1"}
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(s)
	if err != io.EOF {
		t.Fatal(err)
	}
	var usage *llm.Usage
	for _, ch := range chunks {
		if ch.Usage != nil {
			usage = ch.Usage
		}
	}
	if streamText(chunks) == "" || usage == nil || usage.PromptTokens == 0 || usage.CompletionTokens == 0 {
		t.Errorf("text %q usage %+v", streamText(chunks), usage)
	}
}
