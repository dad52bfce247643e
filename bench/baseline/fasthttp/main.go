// Command fasthttp is a second floor for the router's added latency: a
// reverse proxy on github.com/valyala/fasthttp, which reads and writes
// on the caller's goroutine and reuses every buffer, forwarding the
// harness's chat completions to the simulated upstream with no decoding,
// routing or recording. It buffers whole responses (no streaming), so it
// is a floor for complete requests only. It is its own module, so the
// router does not depend on fasthttp. Contract and use as for
// bench/baseline/nethttp; see docs/benchmarks.md.
package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"

	"github.com/valyala/fasthttp"
)

func main() {
	a := os.Args[1:]
	if len(a) != 5 || a[0] != "serve" || a[1] != "--config" || a[3] != "--addr" {
		fmt.Fprintln(os.Stderr, "usage: fasthttp serve --config FILE --addr ADDR")
		os.Exit(2)
	}
	b, err := os.ReadFile(a[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "fasthttp:", err)
		os.Exit(1)
	}
	base := regexp.MustCompile(`base_url: "([^"]+)"`).FindSubmatch(b)
	key := regexp.MustCompile(`api_key: "([^"]+)"`).FindSubmatch(b)
	if base == nil || key == nil {
		fmt.Fprintln(os.Stderr, "fasthttp: no base_url or api_key in", a[2])
		os.Exit(1)
	}
	up, err := url.Parse(string(base[1]))
	if err != nil {
		fmt.Fprintln(os.Stderr, "fasthttp:", err)
		os.Exit(1)
	}
	hc := &fasthttp.HostClient{Addr: up.Host, MaxConns: 512}
	target, auth := up.Path+"/chat/completions", "Bearer "+string(key[1])
	ln, err := net.Listen("tcp", a[4])
	if err != nil {
		fmt.Fprintln(os.Stderr, "fasthttp:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	err = fasthttp.Serve(ln, func(ctx *fasthttp.RequestCtx) {
		req := &ctx.Request
		req.SetRequestURI(target)
		req.Header.SetHost(up.Host)
		req.Header.Set("Authorization", auth)
		if err := hc.Do(req, &ctx.Response); err != nil {
			ctx.Error(err.Error(), fasthttp.StatusBadGateway)
		}
	})
	fmt.Fprintln(os.Stderr, err)
}
