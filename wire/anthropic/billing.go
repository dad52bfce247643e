package anthropic

import "switchyard/llm"

// Billing a user profile: billing_policy {"type":"billing_policy",
// "bill_to":"self"|"user_profile"} says who pays for a request. "self",
// the default, bills the caller's organization as if billing_policy were
// absent; "user_profile" bills the customer behind the user profile the
// anthropic-user-profile-id header names, and the API refuses it without
// that header (CodeUserProfileRequired), or when that customer has not
// allowed it, rather than bill the caller.
//
// The router never bills its operator for a request its client asked to
// bill to a customer: a request billed to a user profile goes only to a
// Claude API deployment (a route need), which is sent the billing policy
// and the header; bill_to "self" is sent to a Claude API deployment as
// written and left out, silently, for any other (it is the default).
// Only a Claude deployment is sent the header (FromLLM builds requests
// for no other; provider/anthropic writes it).

// BillingBeta is the beta of billing a user profile.
const BillingBeta = "user-profiles-billing-2026-10-01"

// HeaderUserProfileID names the user profile a request is attributed,
// and may be billed, to.
const HeaderUserProfileID = "anthropic-user-profile-id"

// CodeUserProfileRequired is the error code (error.details.error_code) of
// a request billed to a user profile that names none.
const CodeUserProfileRequired = "user_profile_required"

// The billing_policy.bill_to values.
const (
	BillToSelf        = "self"
	BillToUserProfile = llm.BillToUserProfile
)

// BillingPolicy is the request's billing_policy.
type BillingPolicy struct {
	Type string `json:"type"`
	// BillTo is BillToSelf or BillToUserProfile; "" (absent) is self.
	BillTo string `json:"bill_to,omitempty"`
}

// maxUserProfileID bounds the header's length; a user profile id is
// "uprof_" and a few dozen characters.
const maxUserProfileID = 256

// checkBilling checks billing_policy and the user profile header as the
// API does.
func checkBilling(req *MessagesRequest) *llm.Error {
	if len(req.UserProfileID) > maxUserProfileID {
		return rejectf("%s: the header is longer than %d characters", HeaderUserProfileID, maxUserProfileID)
	}
	bp := req.BillingPolicy
	if bp == nil {
		return nil
	}
	switch {
	case bp.Type != "billing_policy":
		return rejectf("billing_policy.type: Input should be 'billing_policy'")
	case bp.BillTo != "" && bp.BillTo != BillToSelf && bp.BillTo != BillToUserProfile:
		return rejectf("billing_policy.bill_to: Input should be 'self' or 'user_profile'")
	case bp.BillTo == BillToUserProfile && req.UserProfileID == "":
		e := rejectf("billing_policy.bill_to is 'user_profile', but the request names no user profile: name the profile to bill in the %s header", HeaderUserProfileID)
		e.Code, e.Param = CodeUserProfileRequired, "billing_policy.bill_to"
		return e
	}
	return nil
}

// billingToLLM is the request's billing policy and user profile header
// (valid: checkBilling); nil when it has neither.
func billingToLLM(req *MessagesRequest) *llm.AnthropicBilling {
	if req.BillingPolicy == nil && req.UserProfileID == "" {
		return nil
	}
	b := &llm.AnthropicBilling{UserProfile: req.UserProfileID}
	if bp := req.BillingPolicy; bp != nil {
		b.BillTo = bp.BillTo
		if b.BillTo == "" {
			b.BillTo = BillToSelf
		}
	}
	return b
}

// setBilling sends req's billing policy and user profile, as the client
// sent them, to a Claude API deployment (FromLLM builds requests for no
// other).
func setBilling(out *MessagesRequest, req *llm.Request) {
	b := req.AnthropicBilling
	if b == nil {
		return
	}
	if b.BillTo != "" {
		out.BillingPolicy = &BillingPolicy{Type: "billing_policy", BillTo: b.BillTo}
	}
	out.UserProfileID = b.UserProfile
}
