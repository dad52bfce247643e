package llm

import (
	"reflect"
	"testing"
)

func toolResult(id, text string) Message {
	m := TextMessage(RoleTool, text)
	m.SetToolCallID(id)
	return m
}

func callsOf(ids ...string) Message {
	m := Message{Role: RoleAssistant}
	var calls []ToolCall
	for _, id := range ids {
		calls = append(calls, ToolCall{ID: id, Name: "f", Arguments: "{}"})
	}
	m.SetToolCalls(calls)
	return m
}

// results lists each tool message of msgs as "id=text".
func results(msgs []Message) []string {
	var out []string
	for i := range msgs {
		if msgs[i].Role == RoleTool {
			out = append(out, msgs[i].ToolCallID()+"="+msgs[i].Text())
		}
	}
	return out
}

func TestMergeRepeatedResults(t *testing.T) {
	user := TextMessage(RoleUser, "go")
	cases := []struct {
		name string
		in   []Message
		want []string
	}{
		{"each call once", []Message{user, callsOf("a", "b"), toolResult("b", "2"), toolResult("a", "1")}, []string{"b=2", "a=1"}},
		{"a result resent", []Message{user, callsOf("a", "b"), toolResult("a", "1"), toolResult("b", "2"), toolResult("a", "1")}, []string{"a=1", "b=2"}},
		{"two results differ", []Message{user, callsOf("a"), toolResult("a", "1"), user, toolResult("a", "2")}, []string{"a=1\n2"}},
		{"an id again in a later turn", []Message{user, callsOf("a"), toolResult("a", "1"), callsOf("a"), toolResult("a", "2")}, []string{"a=1", "a=2"}},
		{"no id", []Message{user, callsOf("a"), toolResult("", "1"), toolResult("", "2")}, []string{"=1", "=2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := results(c.in)
			got := MergeRepeatedResults(c.in)
			if r := results(got); !reflect.DeepEqual(r, c.want) {
				t.Errorf("results %q, want %q", r, c.want)
			}
			if r := results(c.in); !reflect.DeepEqual(r, before) {
				t.Errorf("the input changed: %q, was %q", r, before)
			}
		})
	}
}

func TestMergeRepeatedResultsKeepsMessagesWithoutRepeats(t *testing.T) {
	msgs := []Message{TextMessage(RoleUser, "go"), callsOf("a", "b"), toolResult("a", "1"), toolResult("b", "2")}
	if got := MergeRepeatedResults(msgs); &got[0] != &msgs[0] {
		t.Error("a conversation without repeated results was copied")
	}
	if n := testing.AllocsPerRun(100, func() { MergeRepeatedResults(msgs) }); n != 0 {
		t.Errorf("%v allocations for a conversation without repeated results", n)
	}
}
