package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"switchyard/store"
)

// BenchmarkConversationAppend measures adding one turn of an agent loop
// (1 KB of tool output, a 1 KB answer and a function call: three items)
// to a conversation that holds 10 turns, then one of 1000: each
// iteration adds a turn to the conversation. Adding writes only the new
// items, so a save should cost about the same at either length; the
// conversation's read (what a request made in it reads before routing),
// timed b.N times at 10 and 1000 turns before the additions, grows with
// it. It reports the p50 and p99 of one addition and of one read.
func BenchmarkConversationAppend(b *testing.B, s store.Store) {
	cl := logOf[store.ConversationLog](b, s, "conversations")
	for _, turns := range []int{10, 1000} {
		b.Run(fmt.Sprint(turns), func(b *testing.B) {
			ctx, run, acme := context.Background(), fmt.Sprintf("%d_%d", time.Now().UnixNano(), turns), store.TenantScope("acme")
			c := &store.Conversation{ID: "conv_" + run, Tenant: "acme", Created: time.Now(), Expires: time.Now().Add(time.Hour), Metadata: []byte("{}")}
			if err := cl.CreateConversation(ctx, c, nil); err != nil {
				b.Fatal(err)
			}
			for k := range turns {
				if err := cl.AppendItems(ctx, acme, c.ID, turnItems(run, k), c.Expires, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			reads := make([]time.Duration, 0, b.N)
			for range b.N {
				start := time.Now()
				if _, _, err := cl.ConversationItems(ctx, acme, c.ID, time.Now()); err != nil {
					b.Fatal(err)
				}
				reads = append(reads, time.Since(start))
			}
			adds := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				items := turnItems(run, turns+i)
				start := time.Now()
				if err := cl.AppendItems(ctx, acme, c.ID, items, c.Expires, time.Now()); err != nil {
					b.Fatal(err)
				}
				adds = append(adds, time.Since(start))
			}
			b.StopTimer()
			reportPercentiles(b, "add", adds)
			reportPercentiles(b, "read", reads)
		})
	}
}

// turnItems are the items of turn k of an agent loop: the tool's output
// (1 KB), then the model's answer and next function call.
func turnItems(run string, k int) []store.ConversationItem {
	in, out := agentTurn(run, k, 1000)
	ids := []string{fmt.Sprintf("fco_%s_%d_i0", run, k), fmt.Sprintf("msg_%s_%d", run, k), fmt.Sprintf("fc_%s_%d", run, k)}
	var raws []json.RawMessage
	if err := json.Unmarshal([]byte("["+in+","+out+"]"), &raws); err != nil {
		panic(err)
	}
	items := make([]store.ConversationItem, len(raws))
	for i, r := range raws {
		items[i] = store.ConversationItem{ID: ids[i], Item: r}
	}
	return items
}
