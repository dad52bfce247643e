package guard

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// This file generates the labeled secrets set of TestRedactSecretsSet:
// random keys in each documented format, embedded in sentences, code,
// configuration and logs, and near misses that must be left alone.

const (
	b62    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b64    = b62 + "+/"
	b64url = b62 + "-_"
	hexLow = "0123456789abcdef"
	b32    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	digits = "0123456789"
)

// gen draws random text for the set; a fixed seed makes the set the same
// on every run.
type gen struct{ r *rand.Rand }

func newGen() *gen { return &gen{rand.New(rand.NewPCG(9, 2026))} }

func (g *gen) str(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) between(lo, hi int) int   { return lo + g.r.IntN(hi-lo+1) }

func (g *gen) uuid() string {
	return g.str(hexLow, 8) + "-" + g.str(hexLow, 4) + "-4" + g.str(hexLow, 3) + "-a" + g.str(hexLow, 3) + "-" + g.str(hexLow, 12)
}

// family is a kind of secret: how to draw one, and the texts it is
// written in ("%s" is the secret).
type family struct {
	name      string
	draw      func(*gen) string
	templates []string
}

// anywhere are texts in which a secret that is recognizable alone (by
// its prefix or shape) may be written.
var anywhere = []string{
	"My key is %s, can you tell me why every request fails with 401?",
	"export API_KEY=%s",
	`client = Client(api_key="%s")`,
	`{"api_key": "%s", "model": "gpt-4o"}`,
	`curl https://api.example.com/v1/models -H "Authorization: Bearer %s"`,
	"settings:\n  token: %s\n  region: us-east-1",
	"2024-05-01T12:00:00Z ERROR auth failed key=%s status=401",
	"```js\nconst key = '%s';\nfetch(url, { headers: { 'x-api-key': key } });\n```",
	"https://example.com/api/search?key=%s&q=weather",
	"Here it is: %s",
	"Use `%s` in the header.",
	"I rotated the old one (%s) yesterday.",
	"%s is the key our CI uses.",
	`req.Header.Set("X-Api-Key", "%s")`,
	"config = {\n    'secret': '%s',\n    'timeout': 30,\n}",
	"Why does %s not work any more?",
}

// named are texts that give a secret a name: values with no telling
// prefix are found by it.
var named = []string{
	"api_key = %s",
	`API_KEY="%s"`,
	`{"client_secret": "%s", "grant_type": "client_credentials"}`,
	"SECRET_KEY = '%s'",
	"X-Api-Key: %s",
	"https://hooks.example.com/notify?token=%s&channel=ops",
	"auth_token=%s",
	`"accessToken":"%s"`,
	"--api-key %s",
	"my api key is %s",
	"secret: %s\nregion: eu-west-1",
	"<add key=\"ApiKey\" value=\"%s\" />",
	"env:\n  - name: SERVICE_TOKEN\n    value: %s",
	`{"name": "api_secret", "value": "%s"}`,
}

var families = []family{
	{"openai", func(g *gen) string {
		switch g.r.IntN(3) {
		case 0:
			return "sk-" + g.str(b62, 48)
		case 1:
			return "sk-proj-" + g.str(b64url, 74) + "T3BlbkFJ" + g.str(b64url, 74)
		}
		return "sk-svcacct-" + g.str(b64url, 58) + "T3BlbkFJ" + g.str(b64url, 58)
	}, anywhere},
	{"anthropic", func(g *gen) string {
		return g.pick("sk-ant-api03-", "sk-ant-admin01-") + g.str(b64url, 93) + "AA"
	}, anywhere},
	{"google", func(g *gen) string { return "AIza" + g.str(b64url, 35) }, anywhere},
	{"aws_key_id", func(g *gen) string { return g.pick("AKIA", "ASIA") + g.str(b32, 16) }, anywhere},
	{"aws_secret", func(g *gen) string { return g.str(b64, 40) }, []string{
		"aws_secret_access_key = %s",
		"AWS_SECRET_ACCESS_KEY=%s",
		`{"Version": 1, "SecretAccessKey": "%s"}`,
		"aws configure set aws_secret_access_key %s",
		"[default]\nregion = us-east-1\naws_secret_access_key=%s",
		`secret_key: "%s"`,
		"My AWS secret key is %s",
		"--secret-access-key %s",
	}},
	{"github", func(g *gen) string {
		if g.r.IntN(4) == 0 {
			return "github_pat_" + g.str(b62, 22) + "_" + g.str(b62, 59)
		}
		return g.pick("ghp_", "gho_", "ghu_", "ghs_", "ghr_") + g.str(b62, 36)
	}, anywhere},
	{"slack", func(g *gen) string {
		d := func() string { return g.str(digits, g.between(10, 13)) }
		switch g.r.IntN(3) {
		case 0:
			return "xoxb-" + d() + "-" + d() + "-" + g.str(b62, 24)
		case 1:
			return "xoxp-" + d() + "-" + d() + "-" + d() + "-" + g.str(hexLow, 32)
		}
		return g.pick("xoxa-2-", "xoxs-") + d() + "-" + d() + "-" + g.str(hexLow, 64)
	}, anywhere},
	{"jwt", func(g *gen) string {
		enc := base64.RawURLEncoding.EncodeToString
		hdr := enc([]byte(fmt.Sprintf(`{"alg":"%s","typ":"JWT"}`, g.pick("HS256", "RS256", "ES256"))))
		body := enc([]byte(fmt.Sprintf(`{"sub":"%s","iat":%d,"scope":"read write"}`, g.uuid(), 1700000000+g.r.IntN(1e8))))
		return hdr + "." + body + "." + g.str(b64url, g.pick1(43, 86, 342))
	}, anywhere},
	{"private_key", drawPEM, []string{
		"Here is the key:\n%s\nWhy does ssh reject it?",
		`{"private_key": "%s"}`,
		"```\n%s\n```",
		"key: |\n  %s",
	}},
	{"generic", func(g *gen) string {
		switch g.r.IntN(7) {
		case 0:
			return g.str(hexLow, 32)
		case 1:
			return g.str(hexLow, 40)
		case 2:
			return g.str(hexLow, 64)
		case 3:
			return g.str(b62, g.between(20, 40))
		case 4:
			return base64.StdEncoding.EncodeToString([]byte(g.str(b62+"!@#", 32)))
		case 5:
			return g.str(b64url, 43)
		}
		return g.uuid()
	}, named},
	{"bearer", func(g *gen) string { return g.str(b64url, g.between(24, 64)) }, []string{
		"Authorization: Bearer %s",
		`headers = {"Authorization": "bearer %s"}`,
		"curl -H 'Authorization: Bearer %s' https://api.internal/v2/jobs",
	}},
	{"password", func(g *gen) string {
		return g.str(b62, g.between(6, 14)) + g.str(digits+"!@#$%^*-_+=?", g.between(1, 3)) + g.str(b62, 2)
	}, []string{
		"password=%s",
		`{"username": "admin", "password": "%s"}`,
		"DB_PASSWORD: %s",
		"--password %s",
		"my password is %s",
		"spring.datasource.password=%s",
	}},
	{"url_password", func(g *gen) string { return g.str(b62+"-._~", g.between(8, 24)) }, []string{
		"DATABASE_URL=postgres://app:%s@db.internal:5432/app",
		"redis://:%s@cache.internal:6379/0",
		"Connect with mongodb://admin:%s@mongo.internal:27017/?authSource=admin",
		"amqp://guest:%s@rabbit:5672/",
	}},
}

func (g *gen) pick1(xs ...int) int { return xs[g.r.IntN(len(xs))] }

// drawPEM draws a PEM private key block of one of the common types; one
// in four has its line breaks escaped, as inside a JSON string.
func drawPEM(g *gen) string {
	typ := g.pick("RSA ", "EC ", "OPENSSH ", "ENCRYPTED ", "DSA ", "", "PGP ")
	head, tail := "PRIVATE KEY", "PRIVATE KEY"
	if typ == "PGP " {
		head, tail = "PRIVATE KEY BLOCK", "PRIVATE KEY BLOCK"
	}
	lines := []string{"-----BEGIN " + typ + head + "-----"}
	for range g.between(3, 12) {
		lines = append(lines, g.str(b64, 64))
	}
	lines = append(lines, g.str(b64, g.between(4, 60))+"==", "-----END "+typ+tail+"-----")
	nl := "\n"
	if g.r.IntN(4) == 0 {
		nl = `\n`
	}
	return strings.Join(lines, nl)
}

// nearMiss is a kind of text that looks like a secret and is not one.
type nearMiss struct {
	name string
	draw func(*gen) string // a whole text
}

var nearMisses = []nearMiss{
	{"uuid", func(g *gen) string {
		return fmt.Sprintf(g.pick("request id %s failed", `{"trace_id": "%s", "status": 500}`, "order %s shipped", "user_id=%s"), g.uuid())
	}},
	{"git_sha", func(g *gen) string {
		sha := g.str(hexLow, 40)
		return fmt.Sprintf(g.pick("commit %s\nAuthor: Jane Roe", "fixed in %.7s, see %.12s", "git checkout %s",
			"https://github.com/org/repo/commit/%s", `{"sha": "%s", "ref": "main"}`), sha, sha)
	}},
	{"hex_colour", func(g *gen) string {
		return fmt.Sprintf(g.pick("color: #%s;", `{"background": "#%s"}`, "Use #%s for links."), g.str(hexLow, g.pick1(3, 6, 8)))
	}},
	{"base64_image", func(g *gen) string {
		return fmt.Sprintf(g.pick(`<img src="data:image/png;base64,%s">`, `{"type": "image", "data": "%s"}`), g.str(b64, g.between(200, 3000))+"==")
	}},
	{"digest", func(g *gen) string {
		return fmt.Sprintf(g.pick("image@sha256:%s", `"integrity": "sha512-%s"`, "md5sum: %s", "etag: W/\"%s\""),
			g.pick(g.str(hexLow, 64), g.str(b64, 86)+"==", g.str(hexLow, 32)))
	}},
	{"object_id", func(g *gen) string {
		return fmt.Sprintf(g.pick(`"request_id": "req_%s"`, `"id": "chatcmpl-%s"`, `"id": "msg_01%s"`, `"file_id": "file-%s"`, "customer cus_%s paid"),
			g.str(b62, g.between(14, 29)))
	}},
	{"named_non_secret", func(g *gen) string {
		return g.pick(`"max_tokens": 1024`, "api_key: YOUR_API_KEY", `"token": "<your-token>"`, "password: ${DB_PASSWORD}",
			"secret: changeme", `"key": "claude-3-5-sonnet-20241022"`, "auth: true", `"tokenizer": "cl100k_base"`,
			"primary_key: user_id", "sort_key: created_at", `"cache_key": "user-1234-profile-v2"`, "keyboard: us-intl",
			"token_count: 123456789012", `"api_key": "sk-..."`, "password: required", "key=value", `"auth": {"type": "oauth2"}`)
	}},
	{"prose", func(g *gen) string {
		return g.pick("Install scikit-learn and import sk-learn style pipelines.", "task-1234567890 is done.",
			"Google keys start with AIza; GitHub tokens with ghp_.", "Slack bot tokens look like xoxb-…",
			"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
			"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUDeadBeef\n-----END CERTIFICATE-----",
			"Bearer tokens expire after an hour.", "The secret to good bread is time.", "A JWT starts with eyJ, base64 for {\".",
			"Set the key: it is in the vault.", "Password: see the vault.", "The token limit is 128000 tokens.")
	}},
}
