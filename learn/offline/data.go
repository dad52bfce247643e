package offline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
)

// Dataset is outcome data in wide form: one Prompt per prompt, with every
// model's score and cost. Models are sorted by name; Score[m] and Cost[m]
// of a prompt refer to Models[m].
type Dataset struct {
	Models  []string
	Prompts []Prompt
	// Dropped counts the prompts left out because some model had no score
	// for them (so that every comparison runs on the same prompts).
	Dropped int
	// HasCost reports whether any row carried a cost; without one every
	// cost is zero and routing only chases quality.
	HasCost bool
}

// Prompt is one prompt and every model's outcome on it.
type Prompt struct {
	ID, Text string
	// Task and Source come from the data; the router never sees them:
	// they serve grouped evaluation and the per-task baseline only.
	Task, Source, Split string
	// Score is each model's quality in [0, 1]; Cost its cost in USD.
	Score, Cost []float64
}

// The columns Read needs; others (raw_score, output_chars…) are ignored.
var requiredColumns = []string{"prompt", "model", "score"}

// ReadFile reads a dataset from a CSV file, gzip-compressed or not.
func ReadFile(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	defer f.Close()
	ds, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ds, nil
}

// Read reads outcome data in the long format of the routing datasets: a
// CSV header naming at least prompt, model and score, and optionally
// prompt_id, cost_usd, split, task and source; then one row per prompt ×
// model. A gzip stream is detected and decompressed. Rows of the same
// prompt are grouped by prompt_id and text (one id may hold several
// texts). An
// empty score means no outcome: the prompt is dropped (counted in
// Dropped); an empty cost is zero. It returns an error naming the line for
// a malformed row, a score outside [0, 1], a negative cost or a prompt
// rated twice by one model.
func Read(r io.Reader) (*Dataset, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("offline: gzip: %w", err)
		}
		defer gz.Close()
		return readCSV(gz)
	}
	return readCSV(br)
}

// row is one parsed long-format row.
type row struct {
	key, id, text, task, source, split, model string
	score, cost                               float64
}

func readCSV(r io.Reader) (*Dataset, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("offline: read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("offline: no %q column", c)
		}
	}
	b := newBuilder()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("offline: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rw, err := parseRow(rec, col)
		if err != nil {
			return nil, fmt.Errorf("offline: line %d: %w", line, err)
		}
		if err := b.add(rw); err != nil {
			return nil, fmt.Errorf("offline: line %d: %w", line, err)
		}
	}
	return b.build()
}

func field(rec []string, col map[string]int, name string) string {
	if i, ok := col[name]; ok && i < len(rec) {
		return rec[i]
	}
	return ""
}

func parseRow(rec []string, col map[string]int) (row, error) {
	rw := row{
		id: field(rec, col, "prompt_id"), text: field(rec, col, "prompt"), model: field(rec, col, "model"),
		task: field(rec, col, "task"), source: field(rec, col, "source"), split: field(rec, col, "split"),
		score: math.NaN(),
	}
	if rw.model == "" {
		return rw, errors.New("empty model")
	}
	rw.key = rw.id + "\x00" + rw.text // one id may name several prompt texts
	if s := field(rec, col, "score"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || v > 1 {
			return rw, fmt.Errorf("score %q not in [0, 1]", s)
		}
		rw.score = v
	}
	if s := field(rec, col, "cost_usd"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || math.IsInf(v, 0) {
			return rw, fmt.Errorf("cost_usd %q is not a non-negative number", s)
		}
		rw.cost = v
	}
	return rw, nil
}

// builder groups long rows by prompt.
type builder struct {
	models  map[string]int
	prompts map[string]int
	meta    []row
	score   []map[int]float64
	cost    []map[int]float64
	hasCost bool
}

func newBuilder() *builder {
	return &builder{models: map[string]int{}, prompts: map[string]int{}}
}

func (b *builder) add(rw row) error {
	m, ok := b.models[rw.model]
	if !ok {
		m = len(b.models)
		b.models[rw.model] = m
	}
	p, ok := b.prompts[rw.key]
	if !ok {
		p = len(b.meta)
		b.prompts[rw.key] = p
		b.meta = append(b.meta, rw)
		b.score = append(b.score, map[int]float64{})
		b.cost = append(b.cost, map[int]float64{})
	}
	if _, dup := b.score[p][m]; dup {
		return fmt.Errorf("prompt %q rated twice by %q", rw.id, rw.model)
	}
	b.score[p][m], b.cost[p][m] = rw.score, rw.cost
	b.hasCost = b.hasCost || rw.cost > 0
	return nil
}

// build sorts the models and keeps the prompts every model rated.
func (b *builder) build() (*Dataset, error) {
	if len(b.meta) == 0 {
		return nil, errors.New("offline: no rows")
	}
	names := make([]string, 0, len(b.models))
	for n := range b.models {
		names = append(names, n)
	}
	slices.Sort(names)
	ds := &Dataset{Models: names, HasCost: b.hasCost}
	for p, meta := range b.meta {
		pr := Prompt{ID: meta.id, Text: meta.text, Task: meta.task, Source: meta.source, Split: meta.split,
			Score: make([]float64, len(names)), Cost: make([]float64, len(names))}
		complete := true
		for m, name := range names {
			s, ok := b.score[p][b.models[name]]
			if !ok || math.IsNaN(s) {
				complete = false
				break
			}
			pr.Score[m], pr.Cost[m] = s, b.cost[p][b.models[name]]
		}
		if !complete {
			ds.Dropped++
			continue
		}
		ds.Prompts = append(ds.Prompts, pr)
	}
	if len(ds.Prompts) == 0 {
		return nil, errors.New("offline: no prompt has a score from every model")
	}
	return ds, nil
}

// Subset returns a dataset holding the prompts at idx (shared, not
// copied).
func (ds *Dataset) Subset(idx []int) *Dataset {
	out := &Dataset{Models: ds.Models, HasCost: ds.HasCost, Prompts: make([]Prompt, len(idx))}
	for i, j := range idx {
		out.Prompts[i] = ds.Prompts[j]
	}
	return out
}
