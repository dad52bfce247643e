package route

import (
	"testing"

	"switchyard/llm"
)

// The capability batch says nothing of what a request may carry: a
// deployment declaring it alone keeps the capabilities of one declaring
// none (tools, JSON, images, streaming), and adding it to declared ones
// changes nothing.
func TestBatchCapabilityIsNotADeclaration(t *testing.T) {
	if got := capsOf([]llm.Capability{llm.CapBatch}); got != requestCaps {
		t.Errorf("capsOf([batch]) = %b, want the undeclared %b", got, requestCaps)
	}
	declared := []llm.Capability{llm.CapTools, llm.CapReasoning}
	if with, without := capsOf(append(declared, llm.CapBatch)), capsOf(declared); with != without {
		t.Errorf("capsOf with batch = %b, without %b", with, without)
	}
}
