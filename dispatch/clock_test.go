package dispatch

import (
	"time"

	"switchyard/llm/llmtest"
)

// clock is the shared fake clock (llmtest.Clock) for the dispatcher (Now,
// AfterFunc) and the health tracker (Now).
type clock struct{ *llmtest.Clock }

func newClock() *clock { return &clock{llmtest.NewClock(time.Unix(1e9, 0))} }

// AfterFunc implements Options.AfterFunc.
func (c *clock) AfterFunc(d time.Duration, f func()) Timer { return c.Clock.AfterFunc(d, f) }
