package llm

import "testing"

// AllowedOnly narrows the tools to those the choice allows, in their
// order, and leaves a request without such a choice as it is, without
// allocating.
func TestAllowedOnly(t *testing.T) {
	req := &Request{Tools: []Tool{{Name: "a"}, {Name: "b"}, {Name: "c"}}, ToolChoice: &ToolChoice{Mode: ToolChoiceAuto}}
	if n := testing.AllocsPerRun(10, func() { _ = AllowedOnly(req) }); n != 0 || AllowedOnly(req) != req {
		t.Errorf("a request without allowed tools: %v allocations", n)
	}
	req.ToolChoice.Allowed = []string{"c", "a"}
	r := AllowedOnly(req)
	if len(r.Tools) != 2 || r.Tools[0].Name != "a" || r.Tools[1].Name != "c" || r.ToolChoice.Allowed != nil || r.ToolChoice.Mode != ToolChoiceAuto {
		t.Errorf("narrowed %+v %+v", r.Tools, r.ToolChoice)
	}
	if len(req.Tools) != 3 || req.ToolChoice.Allowed == nil {
		t.Error("the request changed")
	}
}
