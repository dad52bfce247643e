// Command nethttp is the floor the router's added latency is compared
// with: the standard library's httputil.ReverseProxy forwarding the
// harness's chat completions to the simulated upstream, with no decoding,
// routing or recording. It speaks the contract `switchyard bench
// --router-cmd` expects: `serve --config FILE --addr ADDR`, reading the
// upstream's base_url and api_key from FILE, printing "listening on
// http://ADDR" once it serves. See docs/benchmarks.md.
package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
)

func main() {
	cfg, addr, err := args(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(2)
	}
	up, key, err := upstream(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(1)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(up)
			r.Out.URL.Path = up.Path + "/chat/completions"
			r.Out.Header.Set("Authorization", "Bearer "+key)
		},
		Transport:     tr,
		FlushInterval: -1, // flush every write, as a streaming proxy must
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	fmt.Fprintln(os.Stderr, http.Serve(ln, rp))
}

// args reads `serve --config FILE --addr ADDR`.
func args(a []string) (cfg, addr string, err error) {
	if len(a) != 5 || a[0] != "serve" || a[1] != "--config" || a[3] != "--addr" {
		return "", "", fmt.Errorf("usage: nethttp serve --config FILE --addr ADDR")
	}
	return a[2], a[4], nil
}

// upstream reads the provider's base_url and api_key from the harness's
// config file.
func upstream(path string) (*url.URL, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	base := regexp.MustCompile(`base_url: "([^"]+)"`).FindSubmatch(b)
	key := regexp.MustCompile(`api_key: "([^"]+)"`).FindSubmatch(b)
	if base == nil || key == nil {
		return nil, "", fmt.Errorf("%s: no base_url or api_key", path)
	}
	u, err := url.Parse(string(base[1]))
	return u, string(key[1]), err
}
