package responses

import (
	"bytes"
	"encoding/json"
	"strings"
)

// This file is what multi_agent (beta_params.go) brings back: the root
// agent's multi-agent items and the items its subagents wrote. OpenAI's
// beta Responses API tags an item with the agent that produced it
// ({"agent": {"agent_name": …}}); the router relays every item so tagged
// as OpenAI wrote it, whatever its type (a subagent's message, reasoning
// or function call is not the answer's), in place, as hosted items are
// (llm.Message.Hosted): streamed, its added and done events carry it, and
// its deltas (on its output index, or tagged themselves) are not
// relayed (the done item holds them). Sent back, a
// tagged item goes upstream as it came, to an OpenAI Responses
// deployment only, and so does the output of a call sent back so (a
// subagent's function call the client answered), tagged or not.

// The item types of multi-agent execution.
const (
	// ItemMultiAgentCall is a call of a multi-agent action (spawn_agent,
	// interrupt_agent, list_agents, send_message, followup_task,
	// wait_agent).
	ItemMultiAgentCall = "multi_agent_call"
	// ItemMultiAgentCallOutput is a multi-agent action's output.
	ItemMultiAgentCallOutput = "multi_agent_call_output"
	// ItemAgentMessage is a message between agents (encrypted content).
	ItemAgentMessage = "agent_message"
)

// multiAgentItems are the multi-agent item types, which have no status.
var multiAgentItems = map[string]bool{ItemMultiAgentCall: true, ItemMultiAgentCallOutput: true, ItemAgentMessage: true}

// agentKey is the member that tags an item or event with its agent (its
// name: white space may come before the colon).
var agentKey = []byte(`"agent"`)

// agentTagged reports whether an item's agent member (raw) names the
// agent that produced it: present and not null.
func agentTagged(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}

// relayedItem reports whether an upstream output item is relayed as
// OpenAI wrote it (llm.Message.Hosted): a hosted tool's or multi-agent
// item, an item tagged with its agent, or a compaction item OpenAI wrote
// for context_management (sent back, it goes to OpenAI in place:
// inputDecoder.compaction).
func relayedItem(it *upstreamItem) bool {
	_, hosted := hostedItems[it.Type]
	return hosted || it.Type == ItemCompaction || agentTagged(it.Agent)
}

// relayed reports whether the input item raw of type typ (tagged with its
// agent, or not) is sent back raw: a hosted tool's or multi-agent item,
// an item tagged with its agent (whose call, if it is one, d keeps), or
// the output of such a call.
func (d *inputDecoder) relayed(raw json.RawMessage, typ string, tagged bool) bool {
	if _, hosted := hostedItems[typ]; hosted {
		return true
	}
	var c struct {
		CallID string `json:"call_id"`
	}
	switch {
	case tagged && typ != ItemReference:
		if json.Unmarshal(raw, &c) == nil && c.CallID != "" && !strings.HasSuffix(typ, "_output") {
			if d.relayedCalls == nil {
				d.relayedCalls = make(map[string]bool, 2)
			}
			d.relayedCalls[c.CallID] = true
		}
		return true
	case len(d.relayedCalls) > 0 && strings.HasSuffix(typ, "_output"):
		return json.Unmarshal(raw, &c) == nil && d.relayedCalls[c.CallID]
	}
	return false
}
