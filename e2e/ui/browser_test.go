package ui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/goleak"

	"switchyard/cost"
)

func TestMain(m *testing.M) {
	cost.Warm() // build the tokenizer before goleak looks
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
	)
}

// chromiumPaths are where the browser is looked for: Debian's package,
// then the PATH.
var chromiumPaths = []string{"/usr/bin/chromium", "chromium"}

// chromium returns the path of the browser, or skips the test (fails it
// under CI) when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	path := findChromium(chromiumPaths...)
	switch {
	case path != "":
		return path
	case mustRun(os.Getenv("CI")):
		t.Fatal("Chromium is not installed, and CI is set: the dashboard's browser tests must run here (apt-get install chromium; .ci/run does it)")
	default:
		t.Skip("SKIPPED: no Chromium (/usr/bin/chromium or chromium on PATH); install it (apt-get install chromium) to run the dashboard's browser tests")
	}
	return ""
}

// findChromium returns the first of candidates that is an executable (a
// path, or a name on PATH); "" when none is.
func findChromium(candidates ...string) string {
	for _, c := range candidates {
		if path, err := exec.LookPath(c); err == nil {
			return path
		}
	}
	return ""
}

// mustRun reports whether the browser tests must run, given the CI
// variable: anything but empty means CI.
func mustRun(ci string) bool { return ci != "" }

// TestMissingChromium: without the browser the tests skip, but not
// under CI, where they fail.
func TestMissingChromium(t *testing.T) {
	if p := findChromium(filepath.Join(t.TempDir(), "no-chromium"), "no-such-browser-on-path"); p != "" {
		t.Errorf("found %q", p)
	}
	if mustRun("") || !mustRun("true") || !mustRun("1") {
		t.Error("CI set must make the browser tests run")
	}
}

// browser is one headless Chromium with a fresh profile.
type browser struct {
	ctx context.Context
}

// newBrowser starts Chromium for t, stopped when t ends.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // a container's /dev/shm is small
		// Another site's name, resolved to this host only (the hostile
		// pages' test): nothing leaves loopback.
		chromedp.Flag("host-resolver-rules", "MAP "+evilHost+" 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &browser{ctx: ctx}
}

// page is one tab of a browser (its own sessionStorage), and what its
// pages threw or logged as errors.
type page struct {
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

// tab opens a tab for t, closed when t ends.
func (b *browser) tab(t *testing.T) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("open a tab: %v", err)
	}
	p := &page{ctx: ctx}
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			// The 401 of a wrong key is the network's, expected; a script
			// error or a policy violation is not.
			if m.IsException() || m.Type == chromedp.ConsoleError && m.Source != "network" {
				p.note(m.String())
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return p
}

func (b *page) note(s string) {
	b.mu.Lock()
	b.errs = append(b.errs, s)
	b.mu.Unlock()
}

// errors returns what the pages threw or logged as errors.
func (b *page) errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errs...)
}

// deadline is the context of one step: a generous bound so that a broken
// page fails the test instead of hanging it (not a timing assertion).
func (b *page) deadline() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 30*time.Second)
}

// run runs steps, failing t with what on an error.
func (b *page) run(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := b.deadline()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v (page errors: %v)\nthe page shows:\n%s", what, err, b.errors(), b.shown())
	}
}

// get runs one action that returns a value.
func get[T any](t *testing.T, b *page, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := b.deadline()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v (page errors: %v)\nthe page shows:\n%s", what, err, b.errors(), b.shown())
	}
	return v
}

// shown is the text the page shows, for a failure's message.
func (b *page) shown() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body.innerText"))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

// eval evaluates js in the page and returns its value.
func eval[T any](t *testing.T, b *page, js string) T {
	t.Helper()
	return get(t, b, "evaluate "+js, chromedp.Evaluate[T](js))
}

// show moves the dashboard to hash (e.g. "#/requests") and waits until
// the view named view is drawn.
func (b *page) show(t *testing.T, hash, view string) {
	t.Helper()
	b.run(t, "show "+hash,
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf("location.hash = %q; undefined", hash)),
		waitVisible(fmt.Sprintf(`main[data-view=%q]`, view)))
}

// text returns the text of the first element matching sel, once visible.
func (b *page) text(t *testing.T, sel string) string {
	t.Helper()
	b.run(t, "wait for "+sel, waitVisible(sel))
	return get(t, b, "text of "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// html returns the page's whole HTML as the browser holds it now.
func (b *page) html(t *testing.T) string {
	t.Helper()
	return eval[string](t, b, "document.documentElement.outerHTML")
}

// signIn types key into the sign-in form and submits it.
func (b *page) signIn(t *testing.T, key string) {
	t.Helper()
	b.run(t, "sign in",
		waitVisible(`#signin input[name=key]`),
		setValue(`#signin input[name=key]`, key),
		submit(`#signin`))
}

// sessionStorage returns the page's sessionStorage entries.
func (b *page) sessionStorage(t *testing.T) map[string]string {
	t.Helper()
	return eval[map[string]string](t, b, "Object.fromEntries(Object.entries(sessionStorage))")
}

// count returns how many elements match sel now.
func (b *page) count(t *testing.T, sel string) int {
	t.Helper()
	return eval[int](t, b, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// screenshot saves the page as name.png in $SWITCHYARD_UI_SCREENSHOTS,
// when set (for looking at the layout; nothing is checked).
func (b *page) screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("SWITCHYARD_UI_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(t, b, "screenshot", chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}

// noSecret fails when s holds secret.
func noSecret(t *testing.T, where, s, secret string) {
	t.Helper()
	if strings.Contains(s, secret) {
		t.Errorf("%s holds a secret key", where)
	}
}

type step = chromedp.Action[chromedp.Void]

func navigate(url string) step       { return chromedp.Navigate(url) }
func waitVisible(sel string) step    { return chromedp.WaitVisible(chromedp.CSS(sel)) }
func waitNotPresent(sel string) step { return chromedp.WaitNotPresent(chromedp.CSS(sel)) }
func setValue(sel, v string) step    { return chromedp.SetValue(chromedp.CSS(sel), v) }

// submit submits the form sel as a person does, through its submit button
// (chromedp.Submit calls form.submit(), which skips the page's handler,
// and the page's policy then refuses to send the form anywhere).
func submit(sel string) step { return chromedp.Click(chromedp.CSS(sel + ` button[type=submit]`)) }
func click(sel string) step  { return chromedp.Click(chromedp.CSS(sel)) }
