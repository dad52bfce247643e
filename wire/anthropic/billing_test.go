package anthropic

import (
	"bytes"
	"errors"
	"testing"

	"switchyard/llm"
)

// billingBody is a request with billing_policy set to policy.
func billingBody(policy string) string {
	return `{"model":"m","max_tokens":5,"billing_policy":` + policy + `,"messages":[{"role":"user","content":"x"}]}`
}

func decodeBilling(t *testing.T, body, profile string) (*llm.Request, error) {
	t.Helper()
	req, err := DecodeMessagesRequest([]byte(body), false)
	if err != nil {
		return nil, err
	}
	req.UserProfileID = profile
	if err := Validate(req); err != nil {
		return nil, err
	}
	return RequestToLLM(req)
}

// bill_to user_profile needs the user profile header (the API's
// user_profile_required); the policy and the profile reach a Claude
// deployment as sent, the header out of the body.
func TestBillingPolicy(t *testing.T) {
	_, err := decodeBilling(t, billingBody(`{"type":"billing_policy","bill_to":"user_profile"}`), "")
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Code != CodeUserProfileRequired {
		t.Fatalf("user_profile without the header: %v, want %s", err, CodeUserProfileRequired)
	}
	req, err := decodeBilling(t, billingBody(`{"type":"billing_policy","bill_to":"user_profile"}`), "uprof_1")
	if err != nil {
		t.Fatal(err)
	}
	if !req.BillsUserProfile() || req.AnthropicBilling.UserProfile != "uprof_1" {
		t.Fatalf("billing %+v", req.AnthropicBilling)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := out.MarshalJSON()
	if out.UserProfileID != "uprof_1" || !bytes.Contains(body, []byte(`"billing_policy":{"type":"billing_policy","bill_to":"user_profile"}`)) || bytes.Contains(body, []byte("uprof_1")) {
		t.Errorf("Claude is sent %s with profile %q", body, out.UserProfileID)
	}
	self, err := decodeBilling(t, billingBody(`{"type":"billing_policy","bill_to":"self"}`), "")
	if err != nil || self.BillsUserProfile() || self.AnthropicBilling.BillTo != BillToSelf {
		t.Fatalf("self: %+v %v", self, err)
	}
	for _, bad := range []string{`{"type":"billing_policy","bill_to":"them"}`, `{"type":"policy"}`, `{"type":"billing_policy","bill_to":"self","x":1}`} {
		if _, err := decodeBilling(t, billingBody(bad), "uprof_1"); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
