package config

import "testing"

// A deployment's base_model is decoded and carried to the domain type,
// where ModelID prefers it to the upstream name; one with spaces is an
// error at its path.
func TestBaseModel(t *testing.T) {
	c := mustParse(t, []byte(routeBase+`  reasoner: {provider: openai, model: reasoner-eastus, base_model: o3-mini}
`), nil)
	d := c.Deployments["reasoner"].LLM()
	if d.Model != "reasoner-eastus" || d.BaseModel != "o3-mini" || d.ModelID() != "o3-mini" {
		t.Errorf("LLM() = model %q base %q id %q", d.Model, d.BaseModel, d.ModelID())
	}
	if m := c.Deployments["mini"].LLM(); m.ModelID() != m.Model {
		t.Errorf("without base_model, ModelID %q, want the model %q", m.ModelID(), m.Model)
	}
	_, err := Parse([]byte(routeBase+"  q: {provider: openai, base_model: \"o3 mini\"}\n"), nil)
	findError(t, err, "deployments.q.base_model", `"o3 mini" is not a model id`)
}
