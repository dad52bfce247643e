package record

import (
	"testing"

	"switchyard/route"
)

// A request billed to a user profile says so in its row's explanation
// (its cost is the customer's, not the operator's); any other says
// nothing.
func TestRowBillTo(t *testing.T) {
	p := &route.Plan{}
	p.Explanation.Features.Needs = route.NeedUserProfileBilling
	if e := Row(&Record{RequestID: "r", Plan: p}).Explanation; e.BillTo != "user_profile" {
		t.Errorf("bill_to %q, want user_profile", e.BillTo)
	}
	if e := Row(&Record{RequestID: "r", Plan: &route.Plan{}}).Explanation; e.BillTo != "" {
		t.Errorf("bill_to %q, want none", e.BillTo)
	}
}
