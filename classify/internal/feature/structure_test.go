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

func TestCountArithmetic(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"what is 17 * 23", 1},
		{"3+4*5", 2},
		{"compute 10 - 2 and 8 / 4", 2},
		{"12 × 7 = ?", 1},
		{"born 2024-03-14, paid 3/4 of it", 0},
		{"version 1.2 of the API", 0},
		{"call me at 555 - 1234", 1}, // a phone number spaced like subtraction: the price of a simple rule
		{"10 -2", 0},
	}
	for _, tt := range tests {
		if got := countArithmetic(tt.text); got != tt.want {
			t.Errorf("countArithmetic(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}
