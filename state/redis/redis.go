// Package redis is the state back end that several router processes
// share: budgets, rate limits, semaphores and values live in one Redis
// (standalone or behind Sentinel; not Cluster), and every check-and-update
// is one atomic Lua script (EVALSHA, falling back to EVAL when Redis lost
// the script). The scripts read the server's clock (TIME), so processes
// with skewed clocks still agree on windows and periods.
//
// Keys are namespaced by a prefix and all expire: budgets when their period
// ends, rate limits when their bucket is full again, semaphores when their
// last lease ends, values after their ttl.
package redis

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"switchyard/state"
)

var _ state.Backend = (*Backend)(nil)

// DefaultPrefix starts every key when Options.Prefix is empty.
const DefaultPrefix = "switchyard:"

// Timeouts of the client New makes: state sits on the request path, so a
// slow Redis must fail fast and let state.on_error decide.
const (
	DialTimeout = time.Second
	IOTimeout   = 500 * time.Millisecond
)

// Options configures a Backend.
type Options struct {
	// Addr is the host:port of Redis, used when Client is nil.
	Addr string
	// Password and DB select the credentials and database; zero values
	// mean none and database 0. The password never appears in errors.
	Password string
	DB       int
	// Client, if not nil, is used instead of dialing Addr; Close does not
	// close it.
	Client goredis.UniversalClient
	// Prefix starts every key; empty means DefaultPrefix.
	Prefix string
	// Now, if not nil, replaces the server's clock (tests only: several
	// processes agree only on the server's clock).
	Now func() time.Time
}

// Backend implements state.Backend on Redis. It is safe for concurrent use.
type Backend struct {
	c      goredis.UniversalClient
	owned  bool
	prefix string
	now    func() time.Time
}

//go:embed lua/*.lua
var luaFS embed.FS

func script(names ...string) *goredis.Script {
	src := ""
	for _, n := range append([]string{"prelude"}, names...) {
		b, err := luaFS.ReadFile("lua/" + n + ".lua")
		if err != nil {
			panic(err)
		}
		src += string(b) + "\n"
	}
	return goredis.NewScript(src)
}

var (
	reserveScript = script("period", "reserve")
	settleScript  = script("period", "settle")
	usageScript   = script("period", "usage")
	listScript    = script("period", "list")
	allowScript   = script("allow")
	adjustScript  = script("adjust")
	acquireScript = script("acquire")
	leaseScript   = script("lease")
	valueScript   = script("value")
	floatsScript  = script("floats")
)

// New returns a Backend on opts.Client, or on a client for opts.Addr. It
// does not connect; call Ping to check that Redis answers.
func New(opts Options) (*Backend, error) {
	b := &Backend{c: opts.Client, prefix: opts.Prefix, now: opts.Now}
	if b.prefix == "" {
		b.prefix = DefaultPrefix
	}
	if b.c == nil {
		if opts.Addr == "" {
			return nil, fmt.Errorf("%w: redis: no address", state.ErrInvalid)
		}
		b.c = goredis.NewClient(&goredis.Options{
			Addr: opts.Addr, Password: opts.Password, DB: opts.DB,
			DialTimeout: DialTimeout, ReadTimeout: IOTimeout, WriteTimeout: IOTimeout,
			PoolTimeout: DialTimeout, DialerRetries: 1,
			// No retries: a script whose reply was lost may have run, and
			// running Reserve twice would hold the amount twice.
			MaxRetries: -1,
		})
		b.owned = true
	}
	return b, nil
}

// Ping reports whether Redis answers; the error wraps ErrUnavailable.
func (b *Backend) Ping(ctx context.Context) error {
	return unavailable(b.c.Ping(ctx).Err())
}

// Close closes the client New made; one passed in Options is left open.
func (b *Backend) Close() error {
	if b.owned {
		return b.c.Close()
	}
	return nil
}

// clock returns ARGV[1] of every script: the override's time in ms, or -1
// for the server's clock.
func (b *Backend) clock() int64 {
	if b.now == nil {
		return -1
	}
	return b.now().UnixMilli()
}

// key returns the namespaced key of kind and name; the braces make the
// keys of one budget land together should a proxy shard them.
func (b *Backend) key(kind, name string) string {
	return b.prefix + kind + ":{" + name + "}"
}

// run runs s and returns its reply as integers (or the raw reply when it
// is not a list of integers), mapping failures to ErrUnavailable.
func (b *Backend) run(ctx context.Context, s *goredis.Script, keys []string, args ...any) ([]any, error) {
	v, err := s.Run(ctx, b.c, keys, append([]any{b.clock()}, args...)...).Result()
	if err != nil {
		return nil, unavailable(err)
	}
	switch r := v.(type) {
	case []any:
		return r, nil
	default:
		return []any{r}, nil
	}
}

// unavailable wraps a Redis failure in ErrUnavailable; nil stays nil.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: redis: %w", state.ErrUnavailable, err)
}

// integer returns reply element i as an int64.
func integer(r []any, i int) (int64, error) {
	if i < len(r) {
		if n, ok := r[i].(int64); ok {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%w: redis: unexpected script reply %v", state.ErrUnavailable, r)
}

// Get implements state.Store.
func (b *Backend) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if err := state.CheckKeyTTL(key, time.Second); err != nil {
		return nil, false, err
	}
	r, err := b.run(ctx, valueScript, []string{b.key("value", key)}, "get", "", 0)
	if err != nil {
		return nil, false, err
	}
	if found, err := integer(r, 0); err != nil || found == 0 {
		return nil, false, err
	}
	switch v := r[1].(type) {
	case string:
		return []byte(v), true, nil
	case int64:
		return fmt.Appendf(nil, "%d", v), true, nil
	}
	return nil, false, fmt.Errorf("%w: redis: unexpected value %T", state.ErrUnavailable, r[1])
}

// Set implements state.Store.
func (b *Backend) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := state.CheckKeyTTL(key, ttl); err != nil {
		return err
	}
	_, err := b.run(ctx, valueScript, []string{b.key("value", key)}, "set", value, ttl.Milliseconds())
	return err
}

// Add implements state.Store.
func (b *Backend) Add(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	if err := state.CheckKeyTTL(key, ttl); err != nil {
		return 0, err
	}
	r, err := b.run(ctx, valueScript, []string{b.key("value", key)}, "add", delta, ttl.Milliseconds())
	if err != nil {
		return 0, err
	}
	if ok, err := integer(r, 0); err != nil || ok == 0 {
		return 0, errors.Join(err, fmt.Errorf("%w: key %q holds a value that is not an integer", state.ErrInvalid, key))
	}
	return integer(r, 1)
}

// AddFloats implements state.Store: one script adds every delta
// (HINCRBYFLOAT) and reads the whole hash back, atomically.
func (b *Backend) AddFloats(ctx context.Context, key string, deltas map[string]float64, ttl time.Duration) (map[string]float64, error) {
	if err := state.CheckFloats(key, deltas, ttl); err != nil {
		return nil, err
	}
	return b.addFloats(ctx, key, state.Once{}, deltas, ttl)
}

// AddFloatsOnce implements state.Store: the same script, which first
// compares once.Seq with the writer's last in a hash beside the map's.
func (b *Backend) AddFloatsOnce(ctx context.Context, key string, once state.Once, deltas map[string]float64, ttl time.Duration) (map[string]float64, error) {
	if err := state.CheckFloats(key, deltas, ttl); err != nil {
		return nil, err
	}
	if err := state.CheckOnce(once); err != nil {
		return nil, err
	}
	return b.addFloats(ctx, key, once, deltas, ttl)
}

func (b *Backend) addFloats(ctx context.Context, key string, once state.Once, deltas map[string]float64, ttl time.Duration) (map[string]float64, error) {
	args := make([]any, 0, 4+2*len(deltas))
	args = append(args, b.clock(), ttl.Milliseconds(), once.Writer, once.Seq)
	for k, d := range deltas {
		args = append(args, k, strconv.FormatFloat(d, 'g', -1, 64))
	}
	keys := []string{b.key("floats", key), b.key("floats-expiry", key), b.key("floats-seq", key)}
	v, err := floatsScript.Run(ctx, b.c, keys, args...).Result()
	if err != nil {
		return nil, unavailable(err)
	}
	pairs, ok := v.([]any)
	if !ok || len(pairs)%2 != 0 {
		return nil, fmt.Errorf("%w: redis: unexpected reply %T", state.ErrUnavailable, v)
	}
	out := make(map[string]float64, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, _ := pairs[i].(string)
		s, _ := pairs[i+1].(string)
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: redis: field %q holds %q", state.ErrUnavailable, k, s)
		}
		out[k] = f
	}
	return out, nil
}
