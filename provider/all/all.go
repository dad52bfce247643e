// Package all registers every provider adapter; import it for its side
// effect: import _ "switchyard/provider/all".
package all

import (
	_ "switchyard/provider/anthropic" // kind anthropic
	_ "switchyard/provider/gemini"    // kind gemini
	_ "switchyard/provider/openai"    // kinds openai and azure
)
