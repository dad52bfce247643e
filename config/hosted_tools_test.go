package config

import (
	"strings"
	"testing"
)

// TestHostedTools: a route's hosted_tools and the responses section's
// default decode as written, and another value is an error at its path
// naming the two.
func TestHostedTools(t *testing.T) {
	c := mustParse(t, []byte(routeBase+`routes:
  plain: {deployments: [mini]}
  drop: {deployments: [mini], hosted_tools: drop_optional}
responses: {hosted_tools: drop_optional}
`), nil)
	if c.Routes["plain"].HostedTools != "" || c.Routes["drop"].HostedTools != HostedToolsDropOptional || c.Responses.HostedTools != HostedToolsDropOptional {
		t.Errorf("hosted_tools %q, %q, responses %q", c.Routes["plain"].HostedTools, c.Routes["drop"].HostedTools, c.Responses.HostedTools)
	}
	for path, yaml := range map[string]string{
		"routes.r.hosted_tools":  "routes:\n  r: {deployments: [mini], hosted_tools: drop}\n",
		"responses.hosted_tools": "routes:\n  r: {deployments: [mini]}\nresponses: {hosted_tools: drop}\n",
	} {
		_, err := Parse([]byte(routeBase+yaml), nil)
		fe := findError(t, err, path, `unknown value "drop"`)
		if !strings.Contains(fe.Hint, "refuse, drop_optional") {
			t.Errorf("%s: hint %q", path, fe.Hint)
		}
	}
}
