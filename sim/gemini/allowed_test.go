package gemini

import "testing"

// allowedFunctionNames limits the calls to those functions in mode
// VALIDATED (and ANY), as Gemini's FunctionCallingConfig says, though the
// prompt names another.
func TestAllowedFunctionNames(t *testing.T) {
	h := New(catalog(), nil)
	const tools = `"tools":[{"functionDeclarations":[{"name":"get_weather"},{"name":"get_time"}]}]`
	for _, mode := range []string{"VALIDATED", "ANY"} {
		out := generate(t, h, "gemini-2.5-flash", `{"contents":[{"parts":[{"text":"call get_weather and get_time"}]}],`+tools+
			`,"toolConfig":{"functionCallingConfig":{"mode":"`+mode+`","allowedFunctionNames":["get_time"]}}}`)
		p := out.Candidates[0].Content.Parts
		if len(p) != 1 || p[0].FunctionCall == nil || p[0].FunctionCall.Name != "get_time" {
			t.Errorf("%s: parts %+v", mode, p)
		}
	}
}
