package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestResponsesSection(t *testing.T) {
	c := mustParse(t, []byte(storeBase), nil)
	if !c.Responses.StoreOn() || c.Responses.Retention != 720*time.Hour || c.Responses.ConversationRetention != 720*time.Hour {
		t.Errorf("defaults: %+v (store on %v), want stored for 720h", c.Responses, c.Responses.StoreOn())
	}
	c = mustParse(t, []byte(storeBase+"responses: {store: false, retention: 48h, conversation_retention: 2160h}\n"), nil)
	if c.Responses.StoreOn() || c.Responses.Retention != 48*time.Hour || c.Responses.ConversationRetention != 2160*time.Hour {
		t.Errorf("store false, 48h: %+v", c.Responses)
	}
	if _, err := Parse([]byte(storeBase+"responses: {conversation_retention: -1h}\n"), nil); err == nil || !strings.Contains(err.Error(), "conversation_retention") {
		t.Errorf("a negative conversation_retention: %v", err)
	}
	_, err := Parse([]byte(storeBase+"responses: {keep: true}\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `unknown field "keep"`) {
		t.Errorf("unknown field: %v", err)
	}
}

func TestChatCompletionsSection(t *testing.T) {
	c := mustParse(t, []byte(storeBase), nil)
	if cc := c.Responses.ChatCompletions; !cc.StoreOn() || cc.Retention != 720*time.Hour {
		t.Errorf("defaults: %+v (store on %v), want stored for 720h", cc, cc.StoreOn())
	}
	c = mustParse(t, []byte(storeBase+"responses: {chat_completions: {store: false, retention: 48h}}\n"), nil)
	if cc := c.Responses.ChatCompletions; cc.StoreOn() || cc.Retention != 48*time.Hour || !c.Responses.StoreOn() {
		t.Errorf("store false, 48h: %+v", c.Responses)
	}
	if _, err := Parse([]byte(storeBase+"responses: {chat_completions: {retention: -1h}}\n"), nil); err == nil || !strings.Contains(err.Error(), "chat_completions.retention") {
		t.Errorf("a negative retention: %v", err)
	}
	_, err := Parse([]byte(storeBase+"responses: {chat_completions: {keep: true}}\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `unknown field "keep"`) {
		t.Errorf("unknown field: %v", err)
	}
}

// Two keys of responses.encryption: 32 bytes as base64, and as hex.
const (
	testResponsesKey  = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	testResponsesKey2 = "3031323334353637383961626364656630313233343536373839616263646558"
)

func TestResponsesEncryption(t *testing.T) {
	c := mustParse(t, []byte(storeBase), nil)
	if c.Responses.Encryption.On() || c.Responses.Redact != RedactNone {
		t.Errorf("defaults: %+v, want no encryption, redact none", c.Responses)
	}
	if k, err := c.Responses.Encryption.Keys(); k != nil || err != nil {
		t.Errorf("Keys without encryption = %v, %v", k, err)
	}
	env := func(k string) (string, bool) { return map[string]string{"K": testResponsesKey2}[k], k == "K" }
	c = mustParse(t, []byte(storeBase+"responses: {encryption: {key: \"${K}\", previous_keys: [\""+testResponsesKey+"\"]}, redact: all}\n"), env)
	k, err := c.Responses.Encryption.Keys()
	if err != nil || !k.Sealing() || c.Responses.Redact != RedactAll {
		t.Fatalf("Keys = %v, %v; redact %q", k, err, c.Responses.Redact)
	}
	if prev := k.Seal([]byte("x"), nil); k.Current().String() == "" || prev[0] != 1 {
		t.Errorf("the keys do not seal")
	}
	c = mustParse(t, []byte(storeBase+"responses: {encryption: {previous_keys: ["+testResponsesKey+"]}}\n"), nil)
	if k, err := c.Responses.Encryption.Keys(); err != nil || k == nil || k.Sealing() {
		t.Errorf("previous keys only: %v, %v; want keys that open but do not seal", k, err)
	}
}

// A key that is not one, or one listed twice, is an error at its path
// that never shows the value.
func TestResponsesEncryptionRefused(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"{key: hunter2-not-a-key}", "responses.encryption.key: is not a key: want 32 bytes written as base64"},
		{"{key: " + testResponsesKey[:20] + "}", "responses.encryption.key: is not a key"},
		{"{key: " + testResponsesKey + ", previous_keys: [" + testResponsesKey2 + ", hunter2-not-a-key]}", "responses.encryption.previous_keys[1]: is not a key"},
		{"{key: " + testResponsesKey + ", previous_keys: [" + testResponsesKey + "]}", "responses.encryption.previous_keys[0]: is the same key as one before it"},
		{"{keys: x}", `unknown field "keys"`},
	} {
		_, err := Parse([]byte(storeBase+"responses: {encryption: "+tc.yaml+"}\n"), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.yaml, err, tc.want)
			continue
		}
		for _, leak := range []string{"hunter2", testResponsesKey[:20], testResponsesKey2[:20]} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("%s: the error shows a key: %v", tc.yaml, err)
			}
		}
	}
	_, err := Parse([]byte(storeBase+"responses: {redact: pii}\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `responses.redact: unknown value "pii"`) {
		t.Errorf("redact pii: %v", err)
	}
}

// The keys are secrets: masked by MaskSecrets, kept by a mask, listed by
// SecretValues.
func TestResponsesKeysAreSecrets(t *testing.T) {
	text := storeBase + "responses:\n  encryption:\n    key: " + testResponsesKey + "\n    previous_keys: [" + testResponsesKey2 + ", \"${OLD_KEY}\"]\n"
	const old = "4f4c44204b45593a3031323334353637383961626364656630313233343536ff"
	env := func(k string) (string, bool) { return old, k == "OLD_KEY" }
	masked, err := MaskSecrets([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(masked), testResponsesKey[:20]) || strings.Contains(string(masked), testResponsesKey2[:20]) ||
		strings.Count(string(masked), Mask) != 3 || !strings.Contains(string(masked), "${OLD_KEY}") { // 3: with the provider's api_key
		t.Errorf("masked:\n%s", masked)
	}
	running, secrets, err := ParseText([]byte(text), ParseOptions{Getenv: env})
	if err != nil {
		t.Fatal(err)
	}
	kept, _, err := ParseText(masked, ParseOptions{Getenv: env, Keep: secrets})
	if err != nil || kept.Responses.Encryption.Key != testResponsesKey || kept.Responses.Encryption.PreviousKeys[0] != testResponsesKey2 {
		t.Errorf("the masked text applied: %+v, %v", kept.Responses.Encryption, err)
	}
	vals := running.SecretValues()
	for _, k := range []string{testResponsesKey, testResponsesKey2, old} {
		if !slices.Contains(vals, k) {
			t.Errorf("SecretValues lacks a key of responses.encryption")
		}
	}
}

func TestResponsesBackground(t *testing.T) {
	c := mustParse(t, []byte(storeBase), nil)
	b := c.Responses.Background
	if !b.On() || b.MaxConcurrent != 16 || b.MaxQueued != 256 || b.Timeout != time.Hour || b.Lease != 30*time.Second || b.EventsRetention != 24*time.Hour {
		t.Errorf("defaults: %+v (on %v)", b, b.On())
	}
	c = mustParse(t, []byte(storeBase+"responses: {background: {enabled: false, max_concurrent: 2, max_queued: 0, timeout: 10m, lease: 5s}}\n"), nil)
	b = c.Responses.Background
	if b.On() || b.MaxConcurrent != 2 || b.MaxQueued != 256 || b.Timeout != 10*time.Minute || b.Lease != 5*time.Second {
		t.Errorf("set: %+v (on %v)", b, b.On())
	}
	for _, tc := range []struct{ yaml, want string }{
		{"{max_concurrent: 0}", ""}, // the default
		{"{max_concurrent: 5000}", "responses.background.max_concurrent: must be between 1 and 4096"},
		{"{max_queued: -1}", "responses.background.max_queued: must be between 0 and 100000"},
		{"{timeout: -1s}", "responses.background.timeout: must be > 0"},
		{"{lease: 1s}", "responses.background.lease: must be at least 3s"},
		{"{events_retention: 0s}", "responses.background.events_retention: must be > 0"},
		{"{workers: 3}", `unknown field "workers"`},
	} {
		_, err := Parse([]byte(storeBase+"responses: {background: "+tc.yaml+"}\n"), nil)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.yaml, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.yaml, err, tc.want)
		}
	}
}
