package feature

import "testing"

func TestHasCode(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"What is the capital of France?", false},
		{"Here:\n```\nprint(1)\n```", true},
		{"def add(a, b):\n    return a + b", true},
		{"for (int i = 0; i < n; i++) {\n  sum += a[i];\n}", true},
		{"SELECT name FROM users;\nDELETE FROM logs;", true},
		{"Summarize this:\n\nThe council voted 7 to 2 on Tuesday.\nConstruction begins in March.", false},
		{"Return JSON like:\n{\n  \"name\": \"x\"\n}", false},
		{"x = compute(y) is what I typed, then it failed", false},
	}
	for _, tt := range tests {
		st := scanStructure(tt.text)
		if got := st.hasCode(); got != tt.want {
			t.Errorf("hasCode(%q) = %v, want %v (code lines %d)", tt.text, got, tt.want, st.codeLines)
		}
	}
}
