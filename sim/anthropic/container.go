package anthropic

import (
	"encoding/json"
	"strings"
	"time"

	wire "switchyard/wire/anthropic"
)

// containerTTL is how long the simulated code execution container lives
// after its last use (Anthropic's containers expire 30 days after
// creation, or sooner when idle; the sim reports an hour).
const containerTTL = time.Hour

// container is the code execution container the answer to req reports,
// as the API does when the request declares the code execution tool: the
// one the request names in container (an id, or an object with an id),
// else a new one; nil when the request declares no code execution tool.
func container(req *wire.MessagesRequest, now time.Time) json.RawMessage {
	declared := false
	for _, t := range req.Tools {
		declared = declared || strings.HasPrefix(t.Type, "code_execution_")
	}
	if !declared {
		return nil
	}
	id := newID("container_")
	var named struct {
		ID string `json:"id"`
	}
	switch raw := req.Container; {
	case len(raw) > 0 && raw[0] == '"':
		_ = json.Unmarshal(raw, &id)
	case len(raw) > 0 && json.Unmarshal(raw, &named) == nil && named.ID != "":
		id = named.ID
	}
	out, _ := json.Marshal(struct {
		ID        string   `json:"id"`
		ExpiresAt string   `json:"expires_at"`
		Skills    []string `json:"skills"`
	}{id, now.Add(containerTTL).UTC().Format(time.RFC3339Nano), []string{}})
	return out
}
