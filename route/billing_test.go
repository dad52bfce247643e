package route

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// A request billed to a user profile needs a Claude API deployment;
// billed to self (the default) it needs nothing.
func TestUserProfileBillingNeeds(t *testing.T) {
	for _, tt := range []struct {
		billing *llm.AnthropicBilling
		want    string
	}{
		{nil, ""},
		{&llm.AnthropicBilling{BillTo: "self", UserProfile: "uprof_1"}, ""},
		{&llm.AnthropicBilling{BillTo: llm.BillToUserProfile, UserProfile: "uprof_1"}, "user_profile_billing"},
	} {
		if got := NeedsOf(&llm.Request{AnthropicBilling: tt.billing}).String(); got != tt.want {
			t.Errorf("%+v: needs %q, want %q", tt.billing, got, tt.want)
		}
	}
}

// It lands on Claude alone, the others skipped with the reason, and a
// route (or a model) with no Claude deployment answers 400: the router
// never bills its own account instead.
func TestUserProfileBillingRoutes(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	billed := func(in *Input) { in.Features.Needs = NeedUserProfileBilling }
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, billed))
	if got := order(plan); got != "claude" {
		t.Errorf("plan %s, want claude", got)
	}
	for _, name := range []string{"gpt", "flash"} {
		if r := findRejection(plan, name); r == nil || r.Reason != ReasonUserProfileBilling || !strings.Contains(r.Detail(), "only Claude API deployments bill a user profile") {
			t.Errorf("%s rejection %+v", name, r)
		}
	}
	_, err = p.Plan(req("gpt", llm.CategoryChat, billed))
	wantErr(t, err, llm.KindInvalidRequest, "cannot bill the user profile")
}
