package redis

import (
	"context"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"switchyard/state"
)

// scanCount is the COUNT hint of each SCAN step of ListBudgets: how many
// keys Redis looks at per call, so no call blocks it for long.
const scanCount = 500

// ListBudgets implements state.Budgets: it walks the budget hashes under
// prefix with SCAN (never KEYS, which blocks Redis for the whole key
// space), then reads each one's usage with the list script — Usage's,
// which drops expired reservations first, but leaving out a budget whose
// period ended — pipelined, one round trip per SCAN step.
func (b *Backend) ListBudgets(ctx context.Context, prefix string, period state.Period) ([]state.KeyUsage, error) {
	if err := state.CheckPeriod(period); err != nil {
		return nil, err
	}
	if err := listScript.Load(ctx, b.c).Err(); err != nil {
		return nil, unavailable(err)
	}
	head := b.key("budget", "")
	head = head[:len(head)-1] // prefix + "budget:{"
	tail := "}:" + string(period)
	match := escapeGlob(head+prefix) + "*" + escapeGlob(tail)
	var out []state.KeyUsage
	var cursor uint64
	for {
		keys, next, err := b.c.Scan(ctx, cursor, match, scanCount).Result()
		if err != nil {
			return nil, unavailable(err)
		}
		var names []string
		for _, k := range keys {
			if name, ok := strings.CutPrefix(k, head); ok && strings.HasSuffix(name, tail) {
				names = append(names, strings.TrimSuffix(name, tail))
			}
		}
		got, err := b.usages(ctx, names, period)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if cursor = next; cursor == 0 {
			return out, nil
		}
	}
}

// usages reads the usage of each budget of names in one pipeline; those
// of an ended period are left out.
func (b *Backend) usages(ctx context.Context, names []string, period state.Period) ([]state.KeyUsage, error) {
	if len(names) == 0 {
		return nil, nil
	}
	pipe := b.c.Pipeline()
	cmds := make([]*goredis.Cmd, len(names))
	for i, name := range names {
		cmds[i] = listScript.EvalSha(ctx, pipe, b.budgetKeys(name, period), b.clock(), string(period))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, unavailable(err)
	}
	out := make([]state.KeyUsage, 0, len(names))
	for i, cmd := range cmds {
		r, _ := cmd.Val().([]any)
		n, err := integers(r, 4)
		if err != nil {
			return nil, err
		}
		if n[3] == 1 {
			out = append(out, state.KeyUsage{Key: names[i], Usage: usageOf(n)})
		}
	}
	return out, nil
}

// escapeGlob escapes what a SCAN MATCH pattern reads as a wildcard.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
