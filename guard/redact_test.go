package guard

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	const jwtTok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	tests := []struct {
		name, in, want string
		secrets        []string
	}{
		{"nothing", "model not found: gpt-5 (see https://x.io/docs, 2024-01-31)", "model not found: gpt-5 (see https://x.io/docs, 2024-01-31)", nil},
		{"secret", "key hunter22! rejected", "key [REDACTED:secret]! rejected", []string{"hunter22"}},
		{"short secret ignored", "abc is fine", "abc is fine", []string{"abc"}},
		{"openai key", "Incorrect API key provided: sk-abc123def456.", "Incorrect API key provided: [REDACTED:api_key].", nil},
		{"openai project key", "key sk-proj-Ab12Cd34Ef56Gh78 bad", "key [REDACTED:api_key] bad", nil},
		{"masked key", "key sk-abc12********************wxyz rejected", "key [REDACTED:api_key] rejected", nil},
		{"anthropic key", `{"k":"sk-ant-api03-AbCdEf0123456789"}`, `{"k":"[REDACTED:api_key]"}`, nil},
		{"switchyard managed key", `key sy-4kq7m2xw9c1p_3J9vHq0aZ-LeakCanary_0123456789abcdefABCDEF012 here`, `key [REDACTED:api_key] here`, nil},
		{"short sy- word", `the sy-prefix and sy-12`, `the sy-prefix and sy-12`, nil},
		{"google key in a URL", "GET /v1/models?key=AIzaSyD-9tSrke72PouQ failed", "GET /v1/models?key=[REDACTED:api_key] failed", nil},
		{"aws key id", "id AKIAIOSFODNN7EXAMPLE here", "id [REDACTED:aws_key] here", nil},
		{"aws session key id", "ASIAY34FZKBOKMUTVV7A,", "[REDACTED:aws_key],", nil},
		{"aws secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "aws_secret_access_key = [REDACTED:aws_secret]\n", nil},
		{"aws secret in JSON", `{"AWS_SECRET_ACCESS_KEY":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}`, `{"AWS_SECRET_ACCESS_KEY":"[REDACTED:aws_secret]"}`, nil},
		{"github token", "token ghp_16C7e42F292c6912E7710c838347Ae178B4a ok", "token [REDACTED:api_key] ok", nil},
		{"github pat", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "[REDACTED:api_key]", nil},
		{"slack token", "xoxb-2345678901-abcdefGHIJK", "[REDACTED:api_key]", nil},
		{"stripe key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "[REDACTED:api_key]", nil},
		{"bearer", "Authorization: Bearer abc.def.ghi", "Authorization: Bearer [REDACTED:credential]", nil},
		{"bearer in quotes", `"Authorization": "bearer tok123"`, `"Authorization": "bearer [REDACTED:credential]"`, nil},
		{"bearer at the end", "scheme is Bearer", "scheme is Bearer", nil},
		{"basic", "Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic [REDACTED:credential]", nil},
		{"basic prose kept", "Basic authentication is not supported", "Basic authentication is not supported", nil},
		{"jwt", "token " + jwtTok + " expired", "token [REDACTED:jwt] expired", nil},
		{"private key", "k: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- end", "k: [REDACTED:private_key] end", nil},
		{"cut private key", `"-----BEGIN PRIVATE KEY-----\nMIIEv`, `"[REDACTED:private_key]`, nil},
		{"public key kept", "-----BEGIN PUBLIC KEY-----", "-----BEGIN PUBLIC KEY-----", nil},
		{"email", "contact jane.doe+x@mail.example.co.uk.", "contact [REDACTED:email].", nil},
		{"not an email", "@mention and a@b and x@y.z1", "@mention and a@b and x@y.z1", nil},
		{"card", "card 4111 1111 1111 1111 declined", "card [REDACTED:card] declined", nil},
		{"card dashes", "4111-1111-1111-1111", "[REDACTED:card]", nil},
		{"card plain", "5210402405591275", "[REDACTED:card]", nil},
		{"not luhn", "order 4111111111111112", "order 4111111111111112", nil},
		{"card after a phone", "call 415-555-0132 4111 1111 1111 1111 now", "call [REDACTED:phone] [REDACTED:card] now", nil},
		{"card after an intl phone", "+44 20 7946 0958 5500 0000 0000 0004", "[REDACTED:phone] [REDACTED:card]", nil},
		{"card after a number", "order 12 4111111111111111 paid", "order 12 [REDACTED:card] paid", nil},
		{"card after an ssn", "078-05-1120 4111-1111-1111-1111", "[REDACTED:ssn] [REDACTED:card]", nil},
		{"not luhn after a number", "order 12 4111111111111112", "order 12 4111111111111112", nil},
		{"iban", "IBAN GB82 WEST 1234 5698 7654 32 please", "IBAN [REDACTED:iban] please", nil},
		{"iban lower", "gb82west12345698765432", "[REDACTED:iban]", nil},
		{"bad iban", "GB83WEST12345698765432", "GB83WEST12345698765432", nil},
		{"ssn", "SSN 078-05-1120.", "SSN [REDACTED:ssn].", nil},
		{"phone us", "call (978)645-9740x11144 now", "call [REDACTED:phone] now", nil},
		{"phone intl", "call +44 20 7946 0958", "call [REDACTED:phone]", nil},
		{"phone dots", "833.719.3994", "[REDACTED:phone]", nil},
		{"phone named", "call 2813882583 or 73 448 266 (fax)", "call [REDACTED:phone] or [REDACTED:phone] (fax)", nil},
		{"phone trunk", "8 (495) 123-45-67 and +33 (0)6 12 34 56 78", "[REDACTED:phone] and [REDACTED:phone]", nil},
		{"phone slash", "Büro: 030/1234567, not 12/31/2024", "Büro: [REDACTED:phone], not 12/31/2024", nil},
		{"phone ext", "646-555-0118 ext. 12 and (646) 555-0117, x 3", "[REDACTED:phone] and [REDACTED:phone]", nil},
		{"address not phone", "Apt. 338 32 216 and call 1 234 567 and Tel. 12 3456", "Apt. 338 32 216 and call 1 234 567 and Tel. 12 3456", nil},
		{"numbers kept", "1 000 000 and 12.345.678 and 3.14159265358979 and 1 2 3 4 5 6 7 and 1700000000 and 2813882583", "1 000 000 and 12.345.678 and 3.14159265358979 and 1 2 3 4 5 6 7 and 1700000000 and 2813882583", nil},
		{"ipv4", "from 10.218.6.131:8080 (203.0.113.7) user@51.15.20.100.", "from [REDACTED:ip]:8080 ([REDACTED:ip]) user@[REDACTED:ip].", nil},
		{"ipv6", "[2001:db8::1]:443, fe80::1ff:fe23:4567:890a%eth0, ::1, ::ffff:192.0.2.1", "[[REDACTED:ip]]:443, [REDACTED:ip]%eth0, [REDACTED:ip], [REDACTED:ip]", nil},
		{"not ip", "v1.2.3.4 1.2.3 1.2.3.4.5 0.11.0.0 256.1.1.1 12:30:45 std::map a::b 00:1a:2b:3c:4d:5e", "v1.2.3.4 1.2.3 1.2.3.4.5 0.11.0.0 256.1.1.1 12:30:45 std::map a::b 00:1a:2b:3c:4d:5e", nil},
		{"named secret", `api_key = "f3a9c1d2e4b5a6978877665544332211" and "clientSecret":"Zx9Lq2Wm4Rt7Yp1Kd8Vb"`, `api_key = "[REDACTED:credential]" and "clientSecret":"[REDACTED:credential]"`, nil},
		{"named secret flag and prose", "--api-key 9f8e7d6c5b4a39281716a5b4c3d2e1f0 and my token is Qm9vX2xpZmVfMTIzNDU2Nzg5", "--api-key [REDACTED:credential] and my token is [REDACTED:credential]", nil},
		{"named value kept", `"max_tokens": 1024, "key": "claude-3-5-sonnet-20241022", api_key: YOUR_API_KEY, keyboard: us, "apiKey": "getUserProfileById"`, `"max_tokens": 1024, "key": "claude-3-5-sonnet-20241022", api_key: YOUR_API_KEY, keyboard: us, "apiKey": "getUserProfileById"`, nil},
		{"named key kind kept", "token=ghp_16C7e42F292c6912E7710c838347Ae178B4a", "token=[REDACTED:api_key]", nil},
		{"password", `password=hunter22 DB_PASSWORD: "P@ss w" "passwd":"Tr0ub4dor&3"`, `password=[REDACTED:credential] DB_PASSWORD: "P@ss w" "passwd":"[REDACTED:credential]"`, nil},
		{"password fields", "?user=a&password=Tr0ub4dor&3x&next=1 Password=S3cret;x;Database=app; pwd=Pa55word;", "?user=a&password=[REDACTED:credential]&next=1 Password=[REDACTED:credential];Database=app; pwd=[REDACTED:credential];", nil},
		{"password kept", "password: required, password=${DB_PASSWORD}, pwd: ********, passphrase: Correct", "password: required, password=${DB_PASSWORD}, pwd: ********, passphrase: Correct", nil},
		{"name parts", `"credential_id": "vcrd_011CZkZEMt8gZan2iYOQfSkw", "key": "ResponseMCPCallFailedEvent", "secret_key_base": "a1b2c3d4e5f6a7b8c9d0"`, `"credential_id": "vcrd_011CZkZEMt8gZan2iYOQfSkw", "key": "ResponseMCPCallFailedEvent", "secret_key_base": "[REDACTED:credential]"`, nil},
		{"name value pairs", "<add key=\"ApiKey\" value=\"9f8e7d6c5b4a39281716\" />\n- name: DB_TOKEN\n  value: 9f8e7d6c5b4a39281716", "<add key=\"ApiKey\" value=\"[REDACTED:credential]\" />\n- name: DB_TOKEN\n  value: [REDACTED:credential]", nil},
		{"keys after punctuation", "(sk-abcdefghijk) [ghp_16C7e42F292c6912E7710c838347Ae178B4a] +AKIAIOSFODNN7EXAMPLE", "([REDACTED:api_key]) [[REDACTED:api_key]] +[REDACTED:aws_key]", nil},
		{"pgp key", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----", "[REDACTED:private_key]", nil},
		{"bearer variable", `-H "Authorization: Bearer $OPENAI_API_KEY"`, `-H "Authorization: Bearer $OPENAI_API_KEY"`, nil},
		{"model names and code", `"gpt-4.1-2025-04-14", search_calls?start_time=1730419200, -20 499390, "\n@tf.function"`, `"gpt-4.1-2025-04-14", search_calls?start_time=1730419200, -20 499390, "\n@tf.function"`, nil},
		{"placeholder is no phone word", "[REDACTED:phone] 2813882583 and 2813882583 [REDACTED:phone]", "[REDACTED:phone] 2813882583 and 2813882583 [REDACTED:phone]", nil},
		{"phone word in a name", `{"phone_number": "2813882583"}`, `{"phone_number": "[REDACTED:phone]"}`, nil},
		{"iban country and length", "cF02FvZZkLGeeH92E3MF QQ44WEST12345698765432 GB88WEST1234569876543", "cF02FvZZkLGeeH92E3MF QQ44WEST12345698765432 GB88WEST1234569876543", nil},
		{"url password", "postgres://app:S3cr3t@db.internal:5432/app and redis://:pa55@cache", "postgres://app:[REDACTED:credential]@db.internal:5432/app and redis://:[REDACTED:credential]@cache", nil},
		{"words kept", "sk-learn, task-1234567890, risk-assessment, xAIzaSyD-9tSrke72PouQ", "sk-learn, task-1234567890, risk-assessment, xAIzaSyD-9tSrke72PouQ", nil},
		{"placeholders kept", "[REDACTED:email] [REDACTED:secret]", "[REDACTED:email] [REDACTED:secret]", []string{"REDACTED"}},
		{"unicode kept", "clé invalide: sk-abcdefghijk — réessayez", "clé invalide: [REDACTED:api_key] — réessayez", nil},
		{"overlap merged", "xx sk-abcdefghijk yy", "[REDACTED:secret] yy", []string{"xx sk-abc"}},
		{"empty", "", "", []string{"secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Redact(tt.in, tt.secrets...)
			if got != tt.want {
				t.Fatalf("Redact(%q) =\n %q, want\n %q", tt.in, got, tt.want)
			}
			if again := Redact(got, tt.secrets...); again != got {
				t.Errorf("not idempotent: %q → %q", got, again)
			}
		})
	}
}

// TestRedactNoAllocation: text with nothing to mask costs no allocation.
func TestRedactNoAllocation(t *testing.T) {
	s := strings.Repeat("The model gpt-4o is overloaded, retry in 20 seconds (request 12345). ", 10)
	if n := testing.AllocsPerRun(100, func() { _ = Redact(s) }); n != 0 {
		t.Errorf("%v allocations for clean text", n)
	}
	r := NewRedactor("my-secret-key")
	if n := testing.AllocsPerRun(100, func() { _ = r.Redact(s) }); n != 0 {
		t.Errorf("%v allocations for clean text with a secret", n)
	}
}
