package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// authDoc is a valid configuration with auth.keys set to keys (YAML lines
// indented under keys:).
func authDoc(keys string) string {
	return okProvider + "deployments: {d: {provider: openai}}\nauth:\n  keys:\n" + keys
}

func TestAuthKeys(t *testing.T) {
	vars := env(map[string]string{"ADMIN_KEY": "sk-admin", "BOT_KEY": "sk-bot"})
	tests := []struct {
		name string
		keys string
		want []Key
	}{
		{"plain strings", "    - ${ADMIN_KEY}\n    - literal-key\n",
			[]Key{{Key: "sk-admin"}, {Key: "literal-key"}}},
		{"mapping with name and overrides", "    - key: ${BOT_KEY}\n      name: support-bot\n      overrides: [category, max_cost]\n",
			[]Key{{Key: "sk-bot", Name: "support-bot", Overrides: []Override{OverrideCategory, OverrideMaxCost}}}},
		{"flow mapping, every override", `    - {key: k, overrides: [model, category, max_cost, latency, fallback]}` + "\n",
			[]Key{{Key: "k", Overrides: Overrides}}},
		{"empty overrides allow none", "    - {key: k, overrides: []}\n",
			[]Key{{Key: "k", Overrides: []Override{}}}},
		{"omitted overrides allow all", "    - {key: k, name: ci}\n",
			[]Key{{Key: "k", Name: "ci"}}},
		{"unset overrides allow all", "    - {key: k, overrides: ~}\n",
			[]Key{{Key: "k"}}},
		{"mapping with a tenant", "    - {key: k, name: web, tenant: acme}\n    - {key: k2, tenant: acme}\n",
			[]Key{{Key: "k", Name: "web", Tenant: "acme"}, {Key: "k2", Tenant: "acme"}}},
		{"both forms", "    - ${ADMIN_KEY}\n    - {key: \"${BOT_KEY}\", name: bot, overrides: [model]}\n",
			[]Key{{Key: "sk-admin"}, {Key: "sk-bot", Name: "bot", Overrides: []Override{OverrideModel}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, []byte(authDoc(tt.keys)), vars)
			if !reflect.DeepEqual(c.Auth.Keys, tt.want) {
				t.Errorf("Auth.Keys = %#v, want %#v", c.Auth.Keys, tt.want)
			}
			// nil and [] differ: all overrides against none.
			for i, k := range c.Auth.Keys {
				if (k.Overrides == nil) != (tt.want[i].Overrides == nil) {
					t.Errorf("key %d: Overrides nil = %v, want %v", i, k.Overrides == nil, tt.want[i].Overrides == nil)
				}
			}
		})
	}
}

func TestKeyAllows(t *testing.T) {
	all, none := Key{Key: "a"}, Key{Key: "b", Overrides: []Override{}}
	some := Key{Key: "c", Overrides: []Override{OverrideCategory}}
	for _, o := range Overrides {
		if !all.Allows(o) || none.Allows(o) || some.Allows(o) != (o == OverrideCategory) {
			t.Errorf("%s: all %v none %v some %v", o, all.Allows(o), none.Allows(o), some.Allows(o))
		}
	}
	if got := all.Label(3); got != "auth.keys[3]" {
		t.Errorf("unnamed Label = %q", got)
	}
	if got := (&Key{Key: "x", Name: "bot"}).Label(0); got != "bot" {
		t.Errorf("named Label = %q", got)
	}
	// A key's tenant defaults to its label: its name, else its position.
	for _, tt := range []struct {
		k    Key
		want string
	}{
		{Key{Key: "x"}, "auth.keys[2]"},
		{Key{Key: "x", Name: "bot"}, "bot"},
		{Key{Key: "x", Name: "bot", Tenant: "acme"}, "acme"},
		{Key{Key: "x", Tenant: "acme"}, "acme"},
	} {
		if got := tt.k.TenantOf(2); got != tt.want {
			t.Errorf("%+v: TenantOf = %q, want %q", tt.k, got, tt.want)
		}
	}
}

func TestAuthKeyMistakes(t *testing.T) {
	tests := []struct {
		name      string
		keys      string
		path      string
		line, col int
		problem   string
		hint      string
	}{
		{"bad override name", "    - key: k\n      overrides: [category, max_cots]\n",
			"auth.keys[0].overrides[1]", 6, 29, `unknown override "max_cots"`,
			`did you mean "max_cost"?; valid overrides: model, category, max_cost, latency, fallback`},
		{"override listed twice", "    - {key: k, overrides: [model, model]}\n",
			"auth.keys[0].overrides[1]", 5, 35, `override "model" is listed twice`, "remove one"},
		{"overrides not a list", "    - {key: k, overrides: category}\n",
			"auth.keys[0].overrides", 5, 27, "must be a list, got a string", "[] allows none"},
		{"duplicate key, both forms", "    - sk-SECRET-dup\n    - {key: sk-SECRET-dup, name: bot}\n",
			"auth.keys[1]", 6, 7, "same key as auth.keys[0]", "remove one"},
		{"duplicate key, strings", "    - sk-SECRET-dup\n    - sk-SECRET-dup\n",
			"auth.keys[1]", 6, 7, "same key as auth.keys[0]", "remove one"},
		{"unknown field, a typo", "    - {key: k, overides: [model]}\n",
			"auth.keys[0]", 5, 16, `unknown field "overides"`, `did you mean "overrides"?; allowed: key, name, tenant, overrides`},
		{"unknown field, a tenant typo", "    - {key: k, tennant: acme}\n",
			"auth.keys[0]", 5, 16, `unknown field "tennant"`, `did you mean "tenant"?`},
		{"unknown field, maybe a key", "    - sk-SECRET-colon: x\n",
			"auth.keys[0]", 5, 7, "unknown field (its name is not shown", "allowed: key, name, tenant, overrides"},
		{"missing key", "    - name: bot\n      overrides: []\n",
			"auth.keys[0]", 5, 7, "key is required", "add key:"},
		{"unset key variable", "    - {key: \"${NOPE_KEY}\", name: bot}\n",
			"auth.keys[0].key", 5, 13, "environment variable NOPE_KEY is not set", "export it"},
		{"list element", "    - [a, b]\n",
			"auth.keys[0]", 5, 7, "must be a key or a mapping {key, name, tenant, overrides}, got a list", "one entry per key"},
		{"name is a key", "    - {key: sk-SECRET-a, name: sk-SECRET-b}\n    - sk-SECRET-b\n",
			"auth.keys[0].name", 5, 32, "is one of the keys", "use a label"},
		{"invalid name", "    - {key: k, name: \"support bot\"}\n",
			"auth.keys[0].name", 5, 22, `invalid name "support bot"`, "letters, digits"},
		{"tenant is a key", "    - {key: sk-SECRET-a, tenant: sk-SECRET-b}\n    - sk-SECRET-b\n",
			"auth.keys[0].tenant", 5, 34, "is one of the keys", "use a label"},
		{"tenant is an admin key", "    - {key: k, tenant: sk-SECRET-adm}\n  admin_keys: [sk-SECRET-adm]\n",
			"auth.keys[0].tenant", 5, 24, "is one of the keys", "use a label"},
		{"invalid tenant", "    - {key: k, tenant: \"acme corp\"}\n",
			"auth.keys[0].tenant", 5, 24, `invalid name "acme corp"`, "letters, digits"},
		{"tenant not a string", "    - {key: k, tenant: [a]}\n",
			"auth.keys[0].tenant", 5, 24, "must be a string", ""},
		{"empty key in mapping", "    - {key: \"\", name: bot}\n",
			"auth.keys[0]", 5, 7, "is empty", "an empty list disables auth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(authDoc(tt.keys)), nil)
			fe := findError(t, err, tt.path, tt.problem)
			if fe.Line != tt.line || fe.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, tt.line, tt.col, fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
			var errs Errors
			errors.As(err, &errs)
			if len(errs) != 1 {
				t.Errorf("got %d errors, want 1:\n%v", len(errs), err)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("an error message holds a key:\n%v", err)
			}
		})
	}
}

// A Config built in Go is checked the same way, without positions.
func TestValidateAuthInGo(t *testing.T) {
	c := &Config{
		Providers:   map[string]*Provider{"p": {Kind: KindOpenAI, APIKey: "k"}},
		Deployments: map[string]*Deployment{"d": {Provider: "p"}},
		Auth:        Auth{Keys: []Key{{Key: "a", Overrides: []Override{"pin"}}, {Key: "a"}}},
	}
	err := c.Validate()
	findError(t, err, "auth.keys[0].overrides[0]", `unknown override "pin"`)
	findError(t, err, "auth.keys[1]", "same key as auth.keys[0]")
}
