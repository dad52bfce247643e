package config

import (
	"slices"
	"testing"
)

func TestAliases(t *testing.T) {
	c := mustParse(t, []byte(okProvider+`deployments:
  d: {provider: openai, aliases: [gpt-4o, gpt-4o-2024-08-06]}
routes:
  r: {deployments: [d], aliases: [gpt-4]}
`), nil)
	if got := c.Deployments["d"].Aliases; !slices.Equal(got, []string{"gpt-4o", "gpt-4o-2024-08-06"}) {
		t.Errorf("deployment aliases %v", got)
	}
	if got := c.Routes["r"].Aliases; !slices.Equal(got, []string{"gpt-4"}) {
		t.Errorf("route aliases %v", got)
	}
}

func TestAliasErrors(t *testing.T) {
	tests := []struct{ name, yaml, path, problem string }{
		{"a deployment's name", "deployments: {d: {provider: openai}, e: {provider: openai, aliases: [d]}}\n",
			"deployments.e.aliases[0]", `"d" is already a route or deployment name`},
		{"a route's name", "deployments: {d: {provider: openai, aliases: [r]}}\nroutes: {r: {deployments: [d]}}\n",
			"deployments.d.aliases[0]", `"r" is already a route or deployment name`},
		{"a built-in route", "deployments: {d: {provider: openai, aliases: [auto-cheap]}}\n",
			"deployments.d.aliases[0]", `"auto-cheap" is already a route or deployment name`},
		{"twice", "deployments: {d: {provider: openai, aliases: [x]}}\nroutes: {r: {deployments: [d], aliases: [x]}}\n",
			"deployments.d.aliases[0]", `"x" is already an alias (routes.r.aliases[0])`},
		{"not a name", "deployments: {d: {provider: openai, aliases: [\"gpt 4\"]}}\n",
			"deployments.d.aliases[0]", `"gpt 4" is not a model name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(okProvider+tt.yaml), nil)
			findError(t, err, tt.path, tt.problem)
		})
	}
}
