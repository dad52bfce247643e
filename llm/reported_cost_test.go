package llm

import "testing"

// TestReportedCost checks that a cost the upstream stated is the cost,
// whatever the deployment's price, and that a sum keeps it.
func TestReportedCost(t *testing.T) {
	priced := &Deployment{InputPricePerM: 1, OutputPricePerM: 2}
	unknown := &Deployment{PriceUnknown: true}
	u := Usage{PromptTokens: 1000, CompletionTokens: 500, TotalTokens: 1500}
	if got := priced.Cost(u); got != 0.002 {
		t.Fatalf("catalog cost = %v, want 0.002", got)
	}
	if !unknown.CostUnknown(u) || priced.CostUnknown(u) {
		t.Fatal("CostUnknown: want it on the unpriced deployment only")
	}
	r := u
	r.CostReported, r.ReportedCostUSD = true, 0.0031
	for _, d := range []*Deployment{priced, unknown} {
		if got := d.Cost(r); got != 0.0031 {
			t.Errorf("reported cost = %v, want 0.0031", got)
		}
		if d.CostUnknown(r) {
			t.Errorf("a stated cost is known")
		}
	}
	free := Usage{PromptTokens: 10, CostReported: true}
	if got := priced.Cost(free); got != 0 || unknown.CostUnknown(free) {
		t.Errorf("a stated $0 = %v (unknown %v), want a known 0", got, unknown.CostUnknown(free))
	}
	sum := Usage{PromptTokens: 10}
	sum.Add(r)
	if !sum.CostReported || sum.ReportedCostUSD != 0.0031 {
		t.Errorf("sum = %+v, want the stated cost", sum)
	}
	sum.Sub(r)
	if sum.ReportedCostUSD != 0 || sum.PromptTokens != 10 {
		t.Errorf("difference = %+v", sum)
	}
}
