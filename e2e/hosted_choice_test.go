package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// A Responses tool_choice forcing a hosted tool other than web search
// (file_search, code_interpreter, image_generation) beside a declared web
// search, sent to a Claude deployment, which runs web search alone, is a
// 400 naming the forced tool, the upstream not called: before, Claude
// answered without it.
func TestHostedChoiceOnClaude(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	for _, typ := range []responses.ToolChoiceTypesType{responses.ToolChoiceTypesTypeFileSearch, responses.ToolChoiceTypesTypeCodeInterpreter, responses.ToolChoiceTypesTypeImageGeneration} {
		params := webSearchParams("claude-haiku-4-5", "What is new in Paris today?")
		params.ToolChoice = responses.ResponseNewParamsToolChoiceUnion{OfHostedTool: &responses.ToolChoiceTypesParam{Type: typ}}
		calls := len(tp.requests())
		_, err := e.Client.Responses.New(ctxT(t), params)
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Message, "does not serve the hosted tools "+string(typ)) {
			t.Errorf("%s forced on claude-haiku-4-5: %v", typ, err)
		}
		if got := len(tp.requests()); got != calls {
			t.Errorf("%s: the upstream was called %d times", typ, got-calls)
		}
	}
}
