package gemini

import "switchyard/llm"

// FunctionName is the name Gemini gets for a client's function name.
// OpenAI and Anthropic allow a name to start with a digit or a dash;
// Gemini refuses it ("Invalid function name. Must start with a letter or
// an underscore"), so such a name gets a leading underscore. Every other
// name is sent as it is.
func FunctionName(name string) string {
	if name == "" {
		return name
	}
	switch c := name[0]; {
	case c >= '0' && c <= '9', c == '-':
		return "_" + name
	}
	return name
}

// FunctionNames maps the Gemini name of every function of req that
// FunctionName renames back to the client's name; nil when none is
// renamed. A StreamTranslator given it restores the client's names in the
// answer's calls.
func FunctionNames(req *llm.Request) map[string]string {
	var names map[string]string
	for _, t := range req.Tools {
		if g := FunctionName(t.Name); g != t.Name {
			if names == nil {
				names = map[string]string{}
			}
			names[g] = t.Name
		}
	}
	return names
}

// checkRenames refuses tools whose renamed name is another tool's name
// ("1x" beside "_1x"): the answer's calls could not be told apart.
func checkRenames(tools []llm.Tool) error {
	for i, t := range tools {
		g := FunctionName(t.Name)
		if g == t.Name {
			continue
		}
		for _, o := range tools {
			if o.Name == g {
				return &llm.Error{Kind: llm.KindInvalidRequest, Param: "tools[" + itoa(i) + "].function.name",
					Message: "gemini: function " + t.Name + " must be sent to Gemini as " + g +
						" (Gemini names start with a letter or an underscore), which another function is called"}
			}
		}
	}
	return nil
}
