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
	"strings"
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
// Bounds on outside data: a cost above maxCostUSD (no request costs a
// million dollars) is a mistake, and would overflow the sums of costs;
// a row longer than maxRowBytes (an unclosed quote, or not a CSV) is
// refused once read that far instead of held in memory whole.
const (
	maxCostUSD  = 1e6
	maxRowBytes = 16 << 20
)

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
// model. A gzip stream is detected and decompressed; a UTF-8 byte order
// mark before the header is skipped. Rows of the same prompt are grouped
// by prompt_id and text (one id may hold several texts). An empty score
// means no outcome: the prompt is dropped (counted in Dropped); an empty
// cost is zero. It returns an error naming the line for a malformed row,
// a row longer than 16 MiB, a score outside [0, 1], a cost outside
// [0, 1e6] USD or a prompt rated twice by one model.
func Read(r io.Reader) (*Dataset, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("offline: gzip: %w", err)
		}
		defer gz.Close()
		return readCSV(bufio.NewReaderSize(gzipErrors{gz}, 1<<16))
	}
	return readCSV(br)
}

// gzipErrors says that a read error came from the gzip stream, and that
// a stream ending early was likely cut short.
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("gzip: %w (truncated?)", err)
	case err != nil && err != io.EOF:
		err = fmt.Errorf("gzip: %w", err)
	}
	return n, err
}

// rowBound fails a read once more than maxRowBytes were read past the
// end of the last row (start), so that the CSV reader never holds more
// of one row.
type rowBound struct {
	r           io.Reader
	read, start int64
}

var errRowTooLong = fmt.Errorf("a row longer than %d MiB (a quote left open?)", maxRowBytes>>20)

func (b *rowBound) Read(p []byte) (int, error) {
	if b.read-b.start > maxRowBytes {
		return 0, errRowTooLong
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

// row is one parsed long-format row.
type row struct {
	key, id, text, task, source, split, model string
	score, cost                               float64
}

func readCSV(br *bufio.Reader) (*Dataset, error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	bound := &rowBound{r: br}
	cr := csv.NewReader(bound)
	cr.ReuseRecord = true
	col, err := readHeader(cr)
	if err != nil {
		return nil, err
	}
	b := newBuilder()
	lastLine := 1 // the last line of the last row read
	for {
		bound.start = cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errRowTooLong) {
			return nil, fmt.Errorf("offline: line %d: %w", lastLine+1, err)
		}
		if err != nil {
			return nil, fmt.Errorf("offline: %w", err)
		}
		line, _ := cr.FieldPos(0)
		lastField, _ := cr.FieldPos(len(rec) - 1)
		lastLine = lastField + strings.Count(rec[len(rec)-1], "\n")
		rw, err := parseRow(rec, col)
		if err == nil {
			err = b.add(rw)
		}
		if err != nil {
			return nil, fmt.Errorf("offline: line %d: %w", line, err)
		}
	}
	return b.build()
}

// readHeader reads the header and returns each column's index.
func readHeader(cr *csv.Reader) (map[string]int, error) {
	header, err := cr.Read()
	if errors.Is(err, errRowTooLong) {
		return nil, fmt.Errorf("offline: line 1: %w", err)
	}
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
	return col, nil
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
		if err != nil || !(v >= 0 && v <= 1) {
			return rw, fmt.Errorf("score %q not in [0, 1]", s)
		}
		rw.score = v
	}
	if s := field(rec, col, "cost_usd"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v >= 0 && v <= maxCostUSD) {
			return rw, fmt.Errorf("cost_usd %q is not a number from 0 to 1e6 (USD)", s)
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
		return fmt.Errorf("prompt %q rated twice by %q", promptName(rw), rw.model)
	}
	b.score[p][m], b.cost[p][m] = rw.score, rw.cost
	b.hasCost = b.hasCost || rw.cost > 0
	return nil
}

// promptName is the row's prompt_id, else the start of its text.
func promptName(rw row) string {
	if rw.id != "" {
		return rw.id
	}
	if len(rw.text) > 60 {
		return strings.ToValidUTF8(rw.text[:60], "") + "…"
	}
	return rw.text
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
