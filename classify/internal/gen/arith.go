package main

import (
	"fmt"
	"strings"
)

// Short arithmetic, typed the way people type it into a chat box: "what
// is 17 * 23", "12% of 250?", "sqrt 144". Reasoning, however short. Written
// here.

var arithForms = []string{
	"what is %d * %d", "what's %d x %d?", "%d + %d * %d = ?", "calculate %d / %d", "how much is %d + %d", "%d × %d",
	"whats %d times %d", "%d%% of %d?", "compute %d - %d * %d", "what is %d squared", "sqrt %d", "%d divided by %d",
	"is %d divisible by %d?", "%d^%d = ?", "quanto fa %d * %d?", "cuánto es %d + %d?", "combien font %d × %d ?",
	"was ist %d mal %d?", "%d 乘以 %d 等于多少？", "сколько будет %d * %d?",
}

func init() {
	register("reasoning", "arith", 60, func(g *G) example {
		f := g.pick(arithForms)
		args := []any{g.rangeInt(3, 99), g.rangeInt(2, 60), g.rangeInt(2, 12)}
		return example{Text: trimArgs(f, args)}
	})
}

// trimArgs formats f with as many of args as it has %d verbs.
func trimArgs(f string, args []any) string {
	return fmt.Sprintf(f, args[:strings.Count(f, "%d")]...)
}
