package e2e

import (
	"encoding/json"
	"testing"

	"github.com/openai/openai-go/v3"
)

// A conversation whose system and assistant messages are named (an agent
// framework naming its speakers), which xAI refuses ("Only message of
// role user can have a name."), is answered by a Grok deployment,
// complete and streamed: the names of those messages are left out, the
// user's kept.
func TestGrokNamesOnUserMessagesAlone(t *testing.T) {
	t.Parallel()
	edit, tp := withGrok(t)
	e := newEnv(t, edit)
	msgs := []openai.ChatCompletionMessageParamUnion{
		{OfSystem: &openai.ChatCompletionSystemMessageParam{Name: openai.String("rules"),
			Content: openai.ChatCompletionSystemMessageParamContentUnion{OfString: openai.String("Be brief.")}}},
		{OfUser: &openai.ChatCompletionUserMessageParam{Name: openai.String("ann"),
			Content: openai.ChatCompletionUserMessageParamContentUnion{OfString: openai.String("Name a train.")}}},
		{OfAssistant: &openai.ChatCompletionAssistantMessageParam{Name: openai.String("planner"),
			Content: openai.ChatCompletionAssistantMessageParamContentUnion{OfString: openai.String("The Shinkansen.")}}},
		openai.UserMessage("Another one."),
	}
	for _, streamed := range []bool{false, true} {
		text, _, _, err := chatWith(t, e, openai.ChatCompletionNewParams{Model: "grok-4.3", Messages: msgs}, streamed)
		if err != nil || text == "" {
			t.Fatalf("streamed %v: %q %v", streamed, text, err)
		}
		var sent []struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(tp.lastBody(t, "/chat/completions")["messages"], &sent); err != nil {
			t.Fatal(err)
		}
		if len(sent) != 4 || sent[0].Name != "" || sent[1].Name != "ann" || sent[2].Name != "" {
			t.Errorf("streamed %v: names sent %+v", streamed, sent)
		}
	}
}
