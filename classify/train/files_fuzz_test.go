package train

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// FuzzReadJSONL: any training data file is refused or read to examples
// with a text and a known label that survive a round trip through JSONL.
func FuzzReadJSONL(f *testing.F) {
	for _, s := range []string{
		`{"text":"what can you do?","label":"chat","source":"written-here:chat:about"}` + "\n",
		`{"text": "Natalia sold clips to 48 of her friends in April.", "label": "reasoning", "source": "gsm8k-train (openai/grade-school-math)", "license": "MIT"}` + "\n\n",
		`{"text":"a","label":"code","history":["b"],"system":"s","wants_json":true,"tools":true,"orig_label":"x"}`,
		`{"text":"a","label":"code","history":[]}` + "\r\n" + `{"text":"\ud800","label":"chat"}`,
		`{"text":"","label":"chat"}`, `{"text":"a","label":"poetry"}`, `{"text":"a"} x`, `[`, "\n \n", "\u00a0\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, err := ReadJSONL(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "train: line ") {
				t.Fatalf("error %q does not name the line", err)
			}
			return
		}
		var again bytes.Buffer
		for i := range ex {
			if ex[i].Text == "" || !llm.Category(ex[i].Label).Valid() {
				t.Fatalf("example %d: %+v", i, ex[i])
			}
			b, err := json.Marshal(ex[i])
			if err != nil {
				t.Fatal(err)
			}
			again.Write(append(b, '\n'))
			if len(ex[i].History) == 0 {
				ex[i].History = nil // omitted when empty
			}
		}
		back, err := ReadJSONL(&again)
		if err != nil || len(back) != len(ex) || len(ex) > 0 && !reflect.DeepEqual(back, ex) {
			t.Fatalf("round trip of %+v: %+v, %v", ex, back, err)
		}
	})
}

// FuzzReadRouterDC: any RouterDC prompt file (the CSV, gzipped here) is
// refused or read to factual examples of a kept task, each prompt id
// once, without the template's surrounding spaces.
func FuzzReadRouterDC(f *testing.F) {
	f.Add(routerDCCSV)
	f.Add("source,task,split,prompt_id,prompt,model,score,raw_score,cost_usd,output_chars\n" +
		"shuhao02/RouterDC,cmmlu,train,cmmlu_train/0,\"运行中变压器温度最高的部分是\nA. 绕组\nB. 变压器油\nC. 引线\nD. 铁芯\n答案：\",mistralai/Mistral-7B-v0.1,1,1,,\n")
	f.Add("task,prompt_id,prompt\nmmlu,1,\"a \"\"quoted\"\" question\"\nmmlu,1,again\narc_easy,2,Question:\nAnswer:\n")
	f.Add("task,prompt\nmmlu,x\n")
	f.Add("task,prompt_id,prompt\nmmlu,1\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, csv string) {
		ex, err := ReadRouterDC(bytes.NewReader(gzipped(t, csv)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "train: routerdc: ") {
				t.Fatalf("error %q does not say what it read", err)
			}
			return
		}
		for _, e := range ex {
			src, kept := routerDCTasks[e.OrigLabel]
			if !kept || e.Source != src || e.Label != "factual" || e.Text == "" || e.Text != strings.TrimSpace(e.Text) {
				t.Fatalf("example %+v", e)
			}
		}
		if len(ex) > strings.Count(csv, "\n")+1 {
			t.Fatalf("%d examples of %d lines", len(ex), strings.Count(csv, "\n")+1)
		}
	})
}

// FuzzReadFiles: a labeled JSONL file and a RouterDC file read together
// are the JSONL file's examples, then RouterDC's that they do not hold;
// an error names the file at fault.
func FuzzReadFiles(f *testing.F) {
	f.Add([]byte(`{"text":"Which organ secretes insulin?\nA. Liver\nB. Pancreas\nC. Heart\nD. Lung","label":"factual","source":"natural-instructions/task1"}`+"\n"), routerDCCSV)
	f.Add([]byte(`{"text":"what can you do?","label":"chat"}`), "")
	f.Add([]byte(""), "task,prompt_id,prompt\n")
	f.Add([]byte("{"), routerDCCSV)
	dir := f.TempDir()
	jsonPath, csvPath := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "r.csv.gz")
	f.Fuzz(func(t *testing.T, jsonl []byte, csv string) {
		if err := os.WriteFile(jsonPath, jsonl, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(csvPath, gzipped(t, csv), 0o644); err != nil {
			t.Fatal(err)
		}
		ex, err := ReadFiles([]string{csvPath, jsonPath})
		base, errJSONL := ReadJSONL(bytes.NewReader(jsonl))
		add, errDC := ReadRouterDC(bytes.NewReader(gzipped(t, csv)))
		switch {
		case errDC != nil || errJSONL != nil:
			if err == nil || !strings.Contains(err.Error(), csvPath) && !strings.Contains(err.Error(), jsonPath) {
				t.Fatalf("error %v does not name a file (%v, %v)", err, errDC, errJSONL)
			}
			return
		case len(base)+len(add) == 0:
			if err == nil {
				t.Fatal("no examples and no error")
			}
			return
		case err != nil:
			t.Fatalf("ReadFiles: %v", err)
		}
		add, _ = DedupAgainst(add, base)
		if want := append(base, add...); !reflect.DeepEqual(ex, want) {
			t.Fatalf("ReadFiles = %+v, want %+v", ex, want)
		}
	})
}
