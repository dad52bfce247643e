package sim

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/quality"
)

// control sends one request to the control API and returns the status and body.
func control(t *testing.T, url, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func newControlServer(t *testing.T) (*Behavior, string) {
	var b Behavior
	mux := http.NewServeMux()
	b.Mount(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return &b, ts.URL
}

// TestDriftHTTP: a drift set through the endpoint changes answers, is
// listed, and DELETE clears it (per model, or all).
func TestDriftHTTP(t *testing.T) {
	b, url := newControlServer(t)
	p := &Profile{Model: "m"}
	refusals := func() int {
		n := 0
		for i := 0; i < 200; i++ {
			if quality.IsRefusal(b.Respond(p, Ask{Model: "m", Prompt: "q" + strings.Repeat("x", i)}).Text) {
				n++
			}
		}
		return n
	}
	if st, body := control(t, url, "POST", "/_sim/drift", "", `{"model":"m","verbosity":1.3,"refusal_rate":1,"accuracy_drop":{"code":0.2}}`); st != 204 {
		t.Fatalf("POST: %d %s", st, body)
	}
	if n := refusals(); n != 200 {
		t.Fatalf("%d of 200 refused with refusal_rate 1", n)
	}
	control(t, url, "POST", "/_sim/drift", "", `{"verbosity":2}`)
	st, body := control(t, url, "GET", "/_sim/drift", "", "")
	want := `[{"verbosity":2},{"model":"m","verbosity":1.3,"refusal_rate":1,"accuracy_drop":{"code":0.2}}]` + "\n"
	if st != 200 || body != want {
		t.Fatalf("GET: %d %s, want %s", st, body, want)
	}
	control(t, url, "DELETE", "/_sim/drift?model=m", "", "")
	if n := refusals(); n != 0 {
		t.Fatalf("%d refusals after DELETE ?model=m", n)
	}
	if _, body := control(t, url, "GET", "/_sim/drift", "", ""); body != `[{"verbosity":2}]`+"\n" {
		t.Fatalf("after DELETE ?model=m: %s", body)
	}
	control(t, url, "DELETE", "/_sim/drift", "", "")
	if _, body := control(t, url, "GET", "/_sim/drift", "", ""); body != "[]\n" {
		t.Fatalf("after DELETE: %s", body)
	}
}

func TestAccuracyAndSeedHTTP(t *testing.T) {
	b, url := newControlServer(t)
	p := &Profile{Model: "m", Quality: 0.9}
	for _, body := range []string{`{"model":"m","accuracy":{"*":0.5}}`, `{"model":"m","accuracy":{"code":0.25}}`, `{"model":"","accuracy":{"chat":0.1}}`} {
		if st, msg := control(t, url, "POST", "/_sim/accuracy", "", body); st != 204 {
			t.Fatalf("POST %s: %d %s", body, st, msg)
		}
	}
	if b.Accuracy(p, "code") != 0.25 || b.Accuracy(p, "factual") != 0.5 || b.Accuracy(&Profile{Model: "x"}, "chat") != 0.1 {
		t.Fatalf("accuracies %v", b.Accuracies())
	}
	want := `[{"model":"","accuracy":{"chat":0.1}},{"model":"m","accuracy":{"*":0.5,"code":0.25}}]` + "\n"
	if _, body := control(t, url, "GET", "/_sim/accuracy", "", ""); body != want {
		t.Fatalf("GET: %s, want %s", body, want)
	}
	control(t, url, "DELETE", "/_sim/accuracy?model=m", "", "")
	if b.Accuracy(p, "code") != 0.9 {
		t.Fatalf("after DELETE ?model=m: %v", b.Accuracies())
	}
	control(t, url, "DELETE", "/_sim/accuracy", "", "")
	if len(b.Accuracies()) != 0 {
		t.Fatalf("after DELETE: %v", b.Accuracies())
	}
	if st, _ := control(t, url, "POST", "/_sim/seed", "", `{"seed":42}`); st != 204 || b.Seed() != 42 {
		t.Fatalf("POST seed: %d, seed %d", st, b.Seed())
	}
	if _, body := control(t, url, "GET", "/_sim/seed", "", ""); body != `{"seed":42}`+"\n" {
		t.Fatalf("GET seed: %s", body)
	}
}

func TestKnowledgeHTTP(t *testing.T) {
	b, url := newControlServer(t)
	st, body := control(t, url, "POST", "/_sim/knowledge", "application/jsonl",
		`{"prompt":"What is the capital of France?","answer":"Paris","category":"factual"}`+"\n"+`{"prompt":"What is 6 times 7?","answer":"42"}`)
	if st != 200 || body != `{"added":2,"entries":2}`+"\n" {
		t.Fatalf("POST jsonl: %d %s", st, body)
	}
	st, body = control(t, url, "POST", "/_sim/knowledge", "application/yaml", "- prompt: Who wrote Hamlet?\n  answer: Shakespeare\n")
	if st != 200 || body != `{"added":1,"entries":3}`+"\n" {
		t.Fatalf("POST yaml: %d %s", st, body)
	}
	if e, ok := b.Knowledge.Lookup("who wrote hamlet"); !ok || e.Answer != "Shakespeare" {
		t.Fatalf("the YAML entry was not added: %+v", e)
	}
	st, body = control(t, url, "GET", "/_sim/knowledge", "", "")
	want := `{"prompt":"What is 6 times 7?","answer":"42"}` + "\n" + `{"prompt":"Who wrote Hamlet?","answer":"Shakespeare"}` + "\n" +
		`{"prompt":"What is the capital of France?","answer":"Paris","category":"factual"}` + "\n"
	if st != 200 || body != want {
		t.Fatalf("GET: %d\n%s\nwant\n%s", st, body, want)
	}
	if st, _ := control(t, url, "DELETE", "/_sim/knowledge", "", ""); st != 204 || b.Knowledge.Len() != 0 {
		t.Fatalf("DELETE: %d, %d entries left", st, b.Knowledge.Len())
	}
}

func TestControlHTTPErrors(t *testing.T) {
	b, url := newControlServer(t)
	tests := []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/_sim/drift", `{"model":"m","verbosity":0.01}`, 400, "verbosity"},
		{"POST", "/_sim/drift", `{"refusal_rate":1.5}`, 400, "refusal_rate"},
		{"POST", "/_sim/drift", `{"refusal_rate":"high"}`, 400, "bad drift"},
		{"POST", "/_sim/drift", `{"accuracy_drop":{"two words":0.1}}`, 400, "category"},
		{"POST", "/_sim/drift", `{"accuracy_drop":{"code":-0.1}}`, 400, "accuracy_drop[code]"},
		{"POST", "/_sim/drift", `{"verbose":2}`, 400, "unknown field"},
		{"POST", "/_sim/drift", `{} {}`, 400, "data after"},
		{"POST", "/_sim/drift", strings.Repeat(" ", maxControlBody+1), 400, "bad body"},
		{"PUT", "/_sim/drift", `{}`, 405, "method not allowed"},
		{"POST", "/_sim/accuracy", `{"model":"m"}`, 400, "no category"},
		{"POST", "/_sim/accuracy", `{"model":"m","accuracy":{"code":2}}`, 400, "accuracy[code]"},
		{"POST", "/_sim/knowledge", `{"prompt":"q"}`, 400, "answer is empty"},
		{"POST", "/_sim/knowledge", ``, 400, "no knowledge entry"},
		{"POST", "/_sim/seed", `{}`, 400, "no \"seed\""},
		{"POST", "/_sim/seed", `{"seed":-1}`, 400, "seed"},
		{"DELETE", "/_sim/seed", ``, 405, "method not allowed"},
	}
	for _, tt := range tests {
		st, body := control(t, url, tt.method, tt.path, "", tt.body)
		if st != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s %s %.40q: %d %q, want %d with %q", tt.method, tt.path, tt.body, st, body, tt.status, tt.want)
		}
	}
	if len(b.Drifts()) != 0 || len(b.Accuracies()) != 0 || b.Knowledge.Len() != 0 || b.Seed() != 0 {
		t.Fatal("a refused request changed the Behavior")
	}
}

// FuzzParseDrift: any bytes are a checked drift or an error, and a
// parsed drift is accepted by SetDrift and listed as parsed.
func FuzzParseDrift(f *testing.F) {
	f.Add([]byte(`{"model":"m","verbosity":1.3,"refusal_rate":0.15,"accuracy_drop":{"reasoning":0.15,"*":0.05}}`))
	f.Add([]byte(`{"verbosity":1e309}`))
	f.Add([]byte(`{"accuracy_drop":{"":0.1}}`))
	f.Add([]byte(`{"refusal_rate":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDrift(data)
		if err != nil {
			return
		}
		var b Behavior
		if err := b.SetDrift(d); err != nil {
			t.Fatalf("parsed drift %+v refused: %v", d, err)
		}
		if got := b.Drifts(); len(got) != 1 || got[0].Model != d.Model || got[0].Verbosity != d.Verbosity || got[0].RefusalRate != d.RefusalRate {
			t.Fatalf("listed %+v, set %+v", got, d)
		}
	})
}

// FuzzParseAccuracy: any bytes are checked accuracies or an error.
func FuzzParseAccuracy(f *testing.F) {
	f.Add([]byte(`{"model":"m","accuracy":{"*":0.5,"code":0.25}}`))
	f.Add([]byte(`{"model":"m","accuracy":{"code":NaN}}`))
	f.Add([]byte(`{"accuracy":{"*":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseAccuracy(data)
		if err != nil {
			return
		}
		var b Behavior
		if err := b.SetAccuracy(m.Model, m.Accuracy); err != nil {
			t.Fatalf("parsed accuracy %+v refused: %v", m, err)
		}
		for c := range m.Accuracy {
			if v := b.Accuracy(&Profile{Model: m.Model}, c); v < 0 || v > 1 {
				t.Fatalf("accuracy %v out of [0,1]", v)
			}
		}
	})
}

// FuzzParseSeed: any bytes are a seed that reads back the same or an
// error.
func FuzzParseSeed(f *testing.F) {
	f.Add([]byte(`{"seed":42}`))
	f.Add([]byte(`{"seed":18446744073709551615}`))
	f.Add([]byte(`{"seed":1.5}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		seed, err := ParseSeed(data)
		if err != nil {
			return
		}
		var b Behavior
		b.SetSeed(seed)
		if b.Seed() != seed {
			t.Fatalf("seed %d read back as %d", seed, b.Seed())
		}
	})
}
