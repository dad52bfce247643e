package sim

import (
	"encoding/json"
	"strings"
)

// CustomInput is the free-text input the simulated model writes for the
// custom tool t. It does not parse the tool's grammar: a Lark grammar that
// names "Begin Patch" (Codex's apply_patch) gets a small patch in that
// format; any other tool gets a line of text naming it, which a real
// grammar might not accept (the sim makes no claim to match it).
func CustomInput(t ToolSpec) string {
	var f struct{ Type, Syntax, Definition string }
	json.Unmarshal(t.Format, &f) //nolint:errcheck // checked when decoded; a zero f is text
	if f.Type == "grammar" && f.Syntax == "lark" && strings.Contains(f.Definition, "Begin Patch") {
		return "*** Begin Patch\n*** Add File: hello.txt\n+hello, world\n*** End Patch\n"
	}
	return "input for " + t.Name
}
