package e2e

import (
	"bytes"
	"strings"
	"testing"
)

// A canary is a secret or a piece of personal data the leak test plants
// in what the router receives. Find is what must never show up where the
// router records, logs, traces or reports (a distinctive part of Value,
// when Value has characters that JSON or logfmt would escape).
type canary struct {
	name, value, find string
}

// Credentials of the leak test's configuration. None has the shape of a
// known key, so only the router's list of configured secrets can mask
// them.
var (
	leakClientBearer  = canary{name: "client key (Authorization)", value: "cli-leak-canary-bearer-Q7x2k9"}
	leakClientXAPIKey = canary{name: "client key (x-api-key)", value: "cli-leak-canary-xapikey-R8y3m1"}
	leakUnknownKey    = canary{name: "unknown client key", value: "cli-leak-canary-unknown-S9z4n2"}
	leakAdminKey      = canary{name: "admin key", value: "adm-leak-canary-ops-T1a5p3"}
	leakProviderKeys  = map[string]canary{
		"openai":    {name: "provider key (openai)", value: "prov-leak-canary-openai-U2b6q4"},
		"azure":     {name: "provider key (azure)", value: "prov-leak-canary-azure-U3b7q5"},
		"anthropic": {name: "provider key (anthropic)", value: "prov-leak-canary-anthropic-U4b8q6"},
		"gemini":    {name: "provider key (gemini)", value: "prov-leak-canary-gemini-U5b9q7"},
		"leaky":     {name: "provider key (leaky)", value: "prov-leak-canary-leaky-U6c1q8"},
	}
	// leakProviderHeader is the value of an extra header the openai
	// provider sends upstream (an organization token, say).
	leakProviderHeader = canary{name: "provider header value", value: "hdr-leak-canary-org-V3c7r5"}
)

// Secrets and personal data planted in prompts.
var (
	leakOpenAIKey    = canary{name: "OpenAI key", value: "sk-proj-LeakCanaryOpenAI0123456789abcdefABCDEF0123456789"}
	leakAnthropicKey = canary{name: "Anthropic key", value: "sk-ant-api03-LeakCanaryAnthropic0123456789abcdefABCDEF"}
	leakAWSKey       = canary{name: "AWS key id", value: "AKIALEAKCANARY000001"}
	leakGitHubToken  = canary{name: "GitHub token", value: "ghp_LeakCanaryGitHub0123456789abcdefAB"}
	leakJWT          = canary{name: "JWT", value: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrLWNhbmFyeSJ9.TGVha0NhbmFyeVNpZ25hdHVyZTAwMQ"}
	leakPEM          = canary{name: "PEM private key",
		value: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEALeakCanaryPemBody0123456789abcdefABCDEF\n-----END RSA PRIVATE KEY-----",
		find:  "MIIEowIBAAKCAQEALeakCanaryPemBody"}
	leakURLPassword = canary{name: "password in a URL", value: "postgres://svc:LeakCanaryPassw0rd@db.internal:5432/app",
		find: "LeakCanaryPassw0rd"}
	leakEmail = canary{name: "email", value: "leak.canary@example.com"}
	leakPhone = canary{name: "phone", value: "(415) 555-0173", find: "555-0173"}
	leakCard  = canary{name: "card number", value: "5555 5555 5555 4444"}
	leakIBAN  = canary{name: "IBAN", value: "DE89 3704 0044 0532 0130 00"}
	leakSSN   = canary{name: "SSN", value: "536-22-8714"}
	leakIPv4  = canary{name: "IPv4 address", value: "203.0.113.77"}
	// leakTicket matches the leak test's custom pattern (store.redact_patterns).
	leakTicket = canary{name: "custom pattern (ticket)", value: "ACME-482913"}
)

// Canaries planted elsewhere than prompts.
var (
	// leakHeader is a custom request header's value.
	leakHeader = canary{name: "custom header value", value: "hdr-custom-canary-W4d8s6"}
	// leakUser is the request's user field.
	leakUser = canary{name: "user field", value: "user-field-canary-X5e9t7"}
	// leakToolArg is what the model puts in a tool call's arguments (the
	// tool's schema makes it the argument's only value).
	leakToolArg = canary{name: "tool-call argument", value: "ghp_LeakCanaryToolArgument0123456789ab"}
	// leakModel is a key pasted where a model name goes: the model field
	// of one request, the pinning header of another.
	leakModel = canary{name: "key given as the model", value: "sk-proj-ModelFieldCanary0123456789abcdefABCDEF012345"}
	leakPin   = canary{name: "key given as the pinned deployment", value: "sk-proj-PinHeaderCanary0123456789abcdefABCDEF0123456"}
	// The leaky upstream quotes these (and the key it was sent) in its
	// error messages.
	leakUpstreamEmail = canary{name: "email in an upstream error", value: "upstream.canary@example.net"}
	leakUpstreamToken = canary{name: "token in an upstream error", value: "ghp_UpstreamCanary0123456789abcdefABCD"}
)

// promptCanaries are planted in prompts, tool calls and tool results.
var promptCanaries = []canary{leakOpenAIKey, leakAnthropicKey, leakAWSKey, leakGitHubToken, leakJWT, leakPEM,
	leakURLPassword, leakEmail, leakPhone, leakCard, leakIBAN, leakSSN, leakIPv4, leakTicket}

// credentialCanaries are the configuration's and the callers' keys.
func credentialCanaries() []canary {
	out := []canary{leakClientBearer, leakClientXAPIKey, leakUnknownKey, leakAdminKey, leakProviderHeader}
	for _, name := range []string{"openai", "azure", "anthropic", "gemini", "leaky"} {
		out = append(out, leakProviderKeys[name])
	}
	return out
}

// allCanaries is every canary the leak test plants.
func allCanaries() []canary {
	out := append(credentialCanaries(), promptCanaries...)
	return append(out, leakHeader, leakUser, leakToolArg, leakModel, leakPin, leakUpstreamEmail, leakUpstreamToken)
}

// needle is what a scan looks for.
func (c canary) needle() string {
	if c.find != "" {
		return c.find
	}
	return c.value
}

// secretPrompt is a prompt carrying every prompt canary.
func secretPrompt() string {
	var b strings.Builder
	b.WriteString("Please check this config before I deploy it.\n")
	for _, c := range promptCanaries {
		b.WriteString(c.name + ": " + c.value + "\n")
	}
	return b.String()
}

// assertNoCanary fails t for every canary found in data, which is what
// `where` names.
func assertNoCanary(t *testing.T, where string, data []byte, canaries []canary) {
	t.Helper()
	for _, c := range canaries {
		i := bytes.Index(data, []byte(c.needle()))
		if i < 0 {
			continue
		}
		lo, hi := max(0, i-80), min(len(data), i+len(c.needle())+80)
		t.Errorf("%s: the %s leaked: …%q…", where, c.name, data[lo:hi])
	}
}

// assertContains fails t unless data holds want: the control that a scan
// of `where` looks at the material it should (a test that cannot find
// anything proves nothing).
func assertContains(t *testing.T, where string, data []byte, want string) {
	t.Helper()
	if !bytes.Contains(data, []byte(want)) {
		t.Errorf("%s: %q not found; the scan would miss a leak (%d bytes scanned)", where, want, len(data))
	}
}

// luhn reports whether the digits of s pass the Luhn check.
func luhn(s string) bool {
	sum, n := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		d := int(c - '0')
		if n%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum, n = sum+d, n+1
	}
	return n > 0 && sum%10 == 0
}
