package offline

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func fastReplay() ReplayOptions {
	o := DefaultReplayOptions()
	o.Train = fastOptions()
	o.Tune = false
	o.KNN = 10
	return o
}

// checkReport checks the JSON shape of a replay and its sanity: the
// oracle is at least as good as every model, and the curve never gets
// more expensive as λ grows.
func checkReport(t *testing.T, rep *Report) {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"points", "baselines", "random", "oracle", "summary", "routers", "data"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("no %q in the report", key)
		}
	}
	var summary map[string]any
	json.Unmarshal(doc["summary"], &summary)
	for _, key := range []string{"reference", "quality_at_25pct_cost", "quality_at_50pct_cost",
		"cost_share_at_95pct_quality", "cost_share_at_100pct_quality"} {
		if _, ok := summary[key]; !ok {
			t.Errorf("no %q in the summary", key)
		}
	}
	var points []map[string]float64
	json.Unmarshal(doc["points"], &points)
	if len(points) == 0 || len(points[0]) != 3 {
		t.Fatalf("points %v: want lambda, quality, cost_per_query", points)
	}
	for name, b := range rep.Baselines {
		if rep.Oracle.Quality < b.Quality {
			t.Errorf("oracle %.3f below %s %.3f", rep.Oracle.Quality, name, b.Quality)
		}
	}
	for _, curve := range append([][]Point{rep.Points}, rep.Routers["knn"].Points, rep.Routers["per_task"].Points) {
		for i := 1; i < len(curve); i++ {
			if curve[i].Lambda <= curve[i-1].Lambda || curve[i].CostPerQuery > curve[i-1].CostPerQuery+1e-12 {
				t.Fatalf("point %d: λ %v → %v, cost %v → %v", i, curve[i-1].Lambda, curve[i].Lambda,
					curve[i-1].CostPerQuery, curve[i].CostPerQuery)
			}
		}
	}
}

func TestReplaySynthetic(t *testing.T) {
	ds := synthDataset(t, 300)
	tr, te, _ := SplitIndexes(ds, "train", "test")
	rep, err := Replay(ds.Subset(tr), ds.Subset(te), "split train/test", fastReplay())
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep)
	if rep.Data.TrainPrompts != 240 || rep.Data.TestPrompts != 60 {
		t.Errorf("data %+v", rep.Data)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rep); err != nil || !strings.Contains(buf.String(), "per_task") {
		t.Errorf("table: %v\n%s", err, buf.String())
	}
	buf.Reset()
	if err := WriteSVG(&buf, rep); err != nil || !strings.HasPrefix(buf.String(), "<svg") || !strings.Contains(buf.String(), "polyline") {
		t.Errorf("svg: %v", err)
	}
}

// On a sample of the RouterBench slice (when present), a fit on part of
// the prompts replays on the rest with a sane report.
func TestReplayRouterBenchSample(t *testing.T) {
	ds := routerBench(t)
	_, sample := HoldoutIndexes(ds, 0.25, 99)
	small := ds.Subset(sample)
	tr, te := HoldoutIndexes(small, 0.3, 1)
	rep, err := Replay(small.Subset(tr), small.Subset(te), "sample", fastReplay())
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep)
	if rep.Summary.Reference != "gpt-4-1106-preview" {
		t.Errorf("reference %s", rep.Summary.Reference)
	}
	if len(rep.Baselines) != 11 {
		t.Errorf("%d models", len(rep.Baselines))
	}
}

func TestEvaluations(t *testing.T) {
	ds := synthDataset(t, 200)
	ev, err := RepeatHoldout(ds, 0.3, 1, 2, fastReplay())
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Runs) != 2 || ev.Runs[0].Data.Split == ev.Runs[1].Data.Split {
		t.Fatalf("runs %d", len(ev.Runs))
	}
	st := ev.Aggregate["learned"][MetricQ25]
	if st.Runs != 2 || st.Reached != 2 || st.Mean <= 0 {
		t.Errorf("aggregate %+v", st)
	}
	ev, err = LeaveOneOut(ds, "task", fastReplay())
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Runs) != 2 || !strings.Contains(ev.Runs[0].Data.Split, "task=code") {
		t.Errorf("leave-one-out runs: %d, %q", len(ev.Runs), ev.Runs[0].Data.Split)
	}
	var buf bytes.Buffer
	if err := WriteEvaluationTable(&buf, ev); err != nil || !strings.Contains(buf.String(), MetricC95) {
		t.Errorf("table: %v", err)
	}
	if _, err := LeaveOneOut(ds, "split", fastReplay()); err == nil {
		t.Error("leave-one-out by split accepted")
	}
}

func TestTune(t *testing.T) {
	ds := synthDataset(t, 160)
	g := Grid{Clusters: []int{1, 2}, Residuals: []Residual{{Name: "none"}, {Name: "shape", Epochs: 3, ShapeOnly: true, ShapeL2: 1e-2}}}
	res, err := Tune(ds, fastOptions(), g, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tried) != 4 {
		t.Fatalf("%d trials, want 4", len(res.Tried))
	}
	for _, tr := range res.Tried {
		if tr.Score > res.BestScore || tr.Score <= 0 || tr.LogLoss <= 0 {
			t.Errorf("trial %+v, best %v", tr, res.BestScore)
		}
	}
	// Two kinds separate code from quizzes; one kind with no correction
	// cannot, and routes worse.
	if res.Best.Clusters != 2 && res.Best.Epochs == 0 {
		t.Errorf("chose %+v", res.Best)
	}
	if res.Best.CalibrationFolds != fastOptions().CalibrationFolds {
		t.Error("tuning changed the calibration folds")
	}
	if _, err := Tune(ds, fastOptions(), g, 1); err == nil {
		t.Error("one fold accepted")
	}
}
