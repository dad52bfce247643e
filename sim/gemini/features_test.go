package gemini

import (
	"encoding/json"
	"net/http"
	"testing"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// A model without system instructions or function calling (Gemma on the
// Gemini API) refuses them as Gemini does: 400 INVALID_ARGUMENT, in its
// words; the same request without them is answered.
func TestModelWithoutSystemOrTools(t *testing.T) {
	h := New(sim.NewCatalog(sim.Profile{Model: "gemma-3-27b-it", NoSystemInstruction: true, NoFunctionCalling: true}), nil)
	const gen = "/v1beta/models/gemma-3-27b-it:generateContent"
	for _, tt := range []struct {
		name, body, want string
	}{
		{"system instruction", `{"systemInstruction":{"parts":[{"text":"Be terse."}]},"contents":[{"parts":[{"text":"a"}]}]}`,
			"Developer instruction is not enabled for models/gemma-3-27b-it"},
		{"function declarations", `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}]}`,
			"Function calling is not enabled for models/gemma-3-27b-it"},
		{"neither", hello, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := call(t, h, http.MethodPost, gen, "AIzaGood", tt.body)
			if tt.want == "" {
				if resp.StatusCode != 200 {
					t.Fatalf("status %d: %s", resp.StatusCode, body)
				}
				return
			}
			checkError(t, body, 400, wire.StatusInvalidArgument)
			var e wire.ErrorResponse
			json.Unmarshal(body, &e)
			if e.Error.Message != tt.want {
				t.Errorf("message %q, want %q", e.Error.Message, tt.want)
			}
		})
	}
}
