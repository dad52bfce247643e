package train

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// routerDCCSV is a small file in RouterDC's format: a prompt per model,
// quoted multi-line prompts, tasks kept and skipped.
const routerDCCSV = `source,task,split,prompt_id,prompt,model,score,raw_score,cost_usd,output_chars
shuhao02/RouterDC,arc_easy,train,arc_easy_train/0,"Question:Which is an example of asexual reproduction?
Answer:",m1,1,1,,
shuhao02/RouterDC,arc_easy,train,arc_easy_train/0,"Question:Which is an example of asexual reproduction?
Answer:",m2,0,0,,
shuhao02/RouterDC,mmlu,train,mmlu_train/7,"Which organ secretes insulin?
A. Liver
B. Pancreas
C. Heart
D. Lung",m1,1,1,,
shuhao02/RouterDC,cmmlu,train,cmmlu_train/3,"通种论是探讨（）的关系。
A. 理念和事物
B. 理念和理念
答案：",m1,1,1,,
shuhao02/RouterDC,gsm8k,train,gsm8k_train/1,"Tom has 3 apples and buys 4 more. How many does he have?",m1,1,1,,
shuhao02/RouterDC,arc_challenge,train,arc_challenge_train/2,"Question:Which change is the best example of a physical change?
Answer:",m1,1,1,,
`

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadRouterDCTakesEachPromptOnceWithoutTemplate(t *testing.T) {
	ex, err := ReadRouterDC(bytes.NewReader(gzipped(t, routerDCCSV)))
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{Text: "Which is an example of asexual reproduction?", Label: "factual", Source: "arc-easy (shuhao02/RouterDC)", OrigLabel: "arc_easy"},
		{Text: "Which organ secretes insulin?\nA. Liver\nB. Pancreas\nC. Heart\nD. Lung", Label: "factual", Source: "mmlu (shuhao02/RouterDC)", OrigLabel: "mmlu"},
		{Text: "通种论是探讨（）的关系。\nA. 理念和事物\nB. 理念和理念", Label: "factual", Source: "cmmlu (shuhao02/RouterDC)", OrigLabel: "cmmlu"},
		{Text: "Which change is the best example of a physical change?", Label: "factual", Source: "arc-challenge (shuhao02/RouterDC)", OrigLabel: "arc_challenge"},
	}
	if len(ex) != len(want) {
		t.Fatalf("got %d examples, want %d: %+v", len(ex), len(want), ex)
	}
	for i := range want {
		if ex[i].Text != want[i].Text || ex[i].Label != want[i].Label || ex[i].Source != want[i].Source || ex[i].OrigLabel != want[i].OrigLabel {
			t.Errorf("example %d = %+v, want %+v", i, ex[i], want[i])
		}
	}
	for i, g := range []string{"arc", "mmlu", "cmmlu", "arc"} {
		if got := SourceGroup(ex[i].Source); got != g {
			t.Errorf("SourceGroup(%q) = %q, want %q", ex[i].Source, got, g)
		}
	}
	if _, err := ReadRouterDC(strings.NewReader("not gzip")); err == nil {
		t.Error("no error for a file that is not gzipped")
	}
	if _, err := ReadRouterDC(bytes.NewReader(gzipped(t, "a,b\n1,2\n"))); err == nil {
		t.Error("no error for a file without the prompt columns")
	}
}

func TestIsComputation(t *testing.T) {
	for text, want := range map[string]bool{
		"Which organ secretes insulin?\nA. Liver\nB. Pancreas\nC. Heart\nD. Lung":                   false,
		"Mark has 22 stamps from Japan and 34 from Canada. How many?\nA. 53\nB. 56\nC. 73\nD. 83":   true,
		"Let $x^2 = 4$. Which is true?\nA. x is odd\nB. x is even\nC. x is prime\nD. none":          true,
		"In what year did the war end?\nA. 1914\nB. 1918\nC. 1939\nD. 1945":                         false,
		"As of 2016, about what share of adults were obese?\nA. 6%\nB. 13%\nC. 27%\nD. 46%":         false,
		"An astronaut weighs 800 N on Earth. How much on Mars?\nA. 200 N\nB. 400 N\nC. 8 N\nD. 1 N": true,
		"Congress enacts a $100 tax on handguns. Will it survive?\nA. Yes\nB. No":                   false,
		"His blood pressure is 165/95 mm Hg. What is the diagnosis?\nA. Gout\nB. Hypertension":      false,
		"The human hearing range is 20-20,000 hertz. Which describes the sound?":                    false,
		"What is 17 * 23?":                     true,
		"Which of these is a physical change?": false,
		"下列蛋白质中，属于乙烯受体的是\nA. ETR1\nB. TIR1\nC. GID1\nD. CRE1":                      false,
		"已知等差数列中，公差为2，则n等于\nA. 17\nB. 15\nC. 16\nD. 14":                            true,
		"某放射性元素经过11.4天有7/8的原子核发生了衰变，该元素的半衰期为\nA. 7.6天\nB. 11.4天\nC. 5.7天\nD. 3.8天": true,
	} {
		if got := isComputation(text); got != want {
			t.Errorf("isComputation(%q) = %t, want %t", text, got, want)
		}
	}
}

func TestCurateAndRelabelRouterDCComputations(t *testing.T) {
	ex := []Example{
		{Text: "Which organ secretes insulin?\nA. Liver\nB. Pancreas", Label: "factual", Source: "mmlu (shuhao02/RouterDC)", OrigLabel: "mmlu"},
		{Text: "What is 3 + 4?\nA. 6\nB. 7", Label: "factual", Source: "mmlu (shuhao02/RouterDC)", OrigLabel: "mmlu"},
		{Text: "What is 3 + 4?", Label: "factual", Source: "nq-open-dev", OrigLabel: ""},
	}
	kept, dropped := Curate(ex)
	if len(kept) != 2 || kept[0].Text != ex[0].Text || kept[1].Source != "nq-open-dev" || dropped["mmlu/mmlu"] != 1 {
		t.Errorf("kept %+v, dropped %v", kept, dropped)
	}
	if n := RelabelComputations(ex); n != 1 || ex[1].Label != "reasoning" || ex[1].OrigLabel != "mmlu/computation" || ex[2].Label != "factual" {
		t.Errorf("relabeled %d: %+v", n, ex)
	}
	if kept, _ := Curate(ex); len(kept) != 3 {
		t.Errorf("relabeled computation dropped: %+v", kept)
	}
}

func TestDedupAgainstDropsCopiesNotTemplates(t *testing.T) {
	base := []Example{
		{Text: "Tom has 3 apples  and buys 4 more. How many does he have?"},
		{Text: "You are given a question on global facts. Answer with the letter.\n\nWhat share of adults in the United States voted in 2016?\n(A) 40% (B) 60%"},
		{Text: "Answer the question. For which of these two scenarios does the main character (who uses I/me/my) do something clearly morally wrong? Scenario 1 | I fed the cat."},
	}
	add := []Example{
		{Text: "Tom has 3 apples and buys 4 more. How many does he have?"},
		{Text: "What share of adults in the United States voted in 2016?\nA. 40%\nB. 60%"},
		{Text: "For which of these two scenarios does the main character (who uses I/me/my) do something clearly morally wrong? Scenario 1 | I took a nap. Scenario 2 | I stole a car from my neighbor in broad daylight."},
		{Text: "Which organ secretes insulin?"},
	}
	kept, n := DedupAgainst(add, base)
	if n != 2 || len(kept) != 2 || kept[0].Text != add[2].Text || kept[1].Text != add[3].Text {
		t.Errorf("dropped %d, kept %+v", n, kept)
	}
}

func TestReadFilesDedupsRouterDCAgainstTheOthers(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "r.csv.gz")
	if err := os.WriteFile(csvPath, gzipped(t, routerDCCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonl := `{"text":"Which organ secretes insulin?\nA. Liver\nB. Pancreas\nC. Heart\nD. Lung","label":"factual","source":"natural-instructions/task1"}` + "\n"
	jsonPath := filepath.Join(dir, "a.jsonl")
	if err := os.WriteFile(jsonPath, []byte(jsonl), 0o644); err != nil {
		t.Fatal(err)
	}
	ex, err := ReadFiles([]string{csvPath, jsonPath})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 4 || ex[0].Source != "natural-instructions/task1" {
		t.Errorf("got %d examples (want the JSONL one first, then 3 of RouterDC's 4): %+v", len(ex), ex)
	}
}

func TestWithoutGroups(t *testing.T) {
	ex := []Example{
		{Text: "a", Source: "cmmlu (shuhao02/RouterDC)"},
		{Text: "b", Source: "mmlu (shuhao02/RouterDC)"},
		{Text: "c", Source: "nq-open-dev"},
	}
	got := WithoutGroups(ex, []string{"cmmlu", "nq"})
	if len(got) != 1 || got[0].Text != "b" {
		t.Errorf("WithoutGroups = %+v, want only the mmlu example", got)
	}
}
