package llm

import (
	"strconv"
	"strings"
)

// Guard is what the router's guards found in a request and its answer
// (package switchyard/guard): the prompt-injection scan's verdict and what
// the answer's sanitizer changed. It holds names and counts, never text
// from the request or the answer.
type Guard struct {
	// Scanned reports that the prompt was scanned; Score (0 to 1) and
	// Reasons are the scan's, Threshold the route's.
	Scanned   bool     `json:"scanned,omitempty"`
	Score     float64  `json:"score"`
	Reasons   []string `json:"reasons,omitempty"`
	Threshold float64  `json:"threshold,omitempty"`
	// Action is the route's injection action (flag, block, reroute);
	// Acted reports that the score reached the threshold, so it applied.
	Action string `json:"action,omitempty"`
	Acted  bool   `json:"acted,omitempty"`
	// ReroutedTo is the deployment a reroute sent the request to.
	ReroutedTo string `json:"rerouted_to,omitempty"`
	// LinksRemoved and ImagesRemoved count the links and images to hosts
	// off the allowlist neutralized in the answer.
	LinksRemoved  int `json:"links_removed,omitempty"`
	ImagesRemoved int `json:"images_removed,omitempty"`
	// Leak reports an answer that repeated the system prompt; LeakCut
	// that it was cut there (finish_reason content_filter).
	Leak    bool `json:"system_prompt_leak,omitempty"`
	LeakCut bool `json:"leak_cut,omitempty"`
}

// Header is the x-switchyard-guard value of a scan that reached its
// threshold: "score=0.93; action=block; reasons=instruction_override,jailbreak".
func (g *Guard) Header() string {
	var b strings.Builder
	b.WriteString("score=")
	b.WriteString(strconv.FormatFloat(g.Score, 'f', 2, 64))
	b.WriteString("; action=")
	b.WriteString(g.Action)
	if len(g.Reasons) > 0 {
		b.WriteString("; reasons=")
		b.WriteString(strings.Join(g.Reasons, ","))
	}
	if g.ReroutedTo != "" {
		b.WriteString("; rerouted_to=")
		b.WriteString(g.ReroutedTo)
	}
	return b.String()
}
