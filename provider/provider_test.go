package provider

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

// fake is a Provider that remembers its config.
type fake struct{ cfg Config }

func (f *fake) Chat(context.Context, *llm.Request) (*llm.Response, error) { return nil, nil }
func (f *fake) Stream(context.Context, *llm.Request) (llm.Stream, error)  { return nil, nil }

var _ Provider = (*fake)(nil)

func fakeFactory(cfg Config) (Provider, error) { return &fake{cfg: cfg}, nil }

// The registry is global: each test registers kinds no other test uses.

func TestRegisterTwicePanics(t *testing.T) {
	Register("test-twice", fakeFactory)
	defer func() {
		v := recover()
		if v == nil {
			t.Fatal("second Register did not panic")
		}
		if s, _ := v.(string); !strings.Contains(s, "test-twice") {
			t.Fatalf("panic %v does not name the kind", v)
		}
	}()
	Register("test-twice", fakeFactory)
}

func TestNew(t *testing.T) {
	Register("test-new-a", fakeFactory)
	Register("test-new-b", func(Config) (Provider, error) { return nil, errors.New("bad config") })

	t.Run("known kind gets the config and the default client", func(t *testing.T) {
		p, err := New(Config{Name: "mine", Kind: "test-new-a", APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		f := p.(*fake)
		if f.cfg.Name != "mine" || f.cfg.APIKey != "k" || f.cfg.HTTPClient != DefaultHTTPClient {
			t.Fatalf("factory got %+v", f.cfg)
		}
	})
	t.Run("own client kept", func(t *testing.T) {
		hc := &http.Client{}
		p, err := New(Config{Kind: "test-new-a", HTTPClient: hc})
		if err != nil {
			t.Fatal(err)
		}
		if p.(*fake).cfg.HTTPClient != hc {
			t.Fatal("the given HTTPClient was replaced")
		}
	})
	t.Run("factory error returned", func(t *testing.T) {
		if _, err := New(Config{Kind: "test-new-b"}); err == nil || err.Error() != "bad config" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unknown kind lists the known kinds", func(t *testing.T) {
		_, err := New(Config{Name: "prov", Kind: "nope"})
		if err == nil {
			t.Fatal("no error for an unknown kind")
		}
		for _, want := range []string{`"prov"`, `"nope"`, "test-new-a", "test-new-b"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %s", err, want)
			}
		}
	})
}

func TestKindsSorted(t *testing.T) {
	Register("test-kinds-z", fakeFactory)
	Register("test-kinds-a", fakeFactory)
	ks := Kinds()
	if !slices.IsSorted(ks) {
		t.Fatalf("Kinds() = %v, not sorted", ks)
	}
	if !slices.Contains(ks, "test-kinds-z") || !slices.Contains(ks, "test-kinds-a") {
		t.Fatalf("Kinds() = %v misses registered kinds", ks)
	}
}

func TestNewTransport(t *testing.T) {
	tr := NewTransport()
	if tr == http.DefaultTransport {
		t.Fatal("NewTransport returned the shared default transport")
	}
	if tr.MaxIdleConnsPerHost < 64 || tr.ResponseHeaderTimeout != 0 || !tr.ForceAttemptHTTP2 || tr.Proxy == nil {
		t.Fatalf("transport not tuned: %+v", tr)
	}
	if DefaultHTTPClient.Timeout != 0 {
		t.Fatal("DefaultHTTPClient must have no overall timeout (streams are long)")
	}
}
