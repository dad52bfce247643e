package main

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The current-prices file (cost/catalog_current.tsv) is written by hand
// from the vendors' pricing and model pages: the models the LiteLLM-format
// price file predates, and the prices it has wrong since. One model a
// line, tab-separated, under a header naming currentColumns; prices in
// USD per 1M tokens, "-" where the page lists none (the price file's
// value, if any, then stands). Every line names its source.
//
// A line may hold a price in force for a time only: "from" is its first
// day, "until" its last (YYYY-MM-DD, UTC; "-" for open). A model may
// then have several lines, one per period (a promotional price and the
// list price that follows it).

// currentColumns are the current-prices file's columns, in order.
var currentColumns = []string{
	"vendor", "model", "mode", "input", "cached_input", "cache_write", "output", "context",
	"band_above", "band_input", "band_cached_input", "band_cache_write", "band_output", "from", "until", "source",
}

// current is one line of the current-prices file.
type current struct {
	vendor, model, mode string
	prices              [4]*float64 // input, cached_input, cache_write, output; per token
	context             int
	long                band
	from, until         string
	line                int
}

// readCurrent reads the current-prices file at path. Unlike the LiteLLM
// file, it is the project's own: any malformed line is an error.
func readCurrent(path string) ([]current, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []current
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if n == 1 {
			if text != strings.Join(currentColumns, "\t") {
				return nil, fmt.Errorf("%s:1: the header must be %q", path, strings.Join(currentColumns, "\t"))
			}
			continue
		}
		if text == "" || text[0] == '#' {
			continue
		}
		c, err := parseCurrent(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		c.line = n
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := checkPeriods(out); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// parseCurrent reads one line of the current-prices file.
func parseCurrent(text string) (current, error) {
	f := strings.Split(text, "\t")
	if len(f) != len(currentColumns) {
		return current{}, fmt.Errorf("%d columns, want %d", len(f), len(currentColumns))
	}
	c := current{vendor: f[0], model: f[1], mode: f[2], from: dash(f[13]), until: dash(f[14])}
	if !slices.Contains(knownVendors(), c.vendor) || c.model == "" || c.mode != "chat" && c.mode != "embedding" {
		return c, fmt.Errorf("vendor %q, model %q, mode %q: want a known vendor, a model and chat or embedding", f[0], f[1], f[2])
	}
	if strings.TrimSpace(f[15]) == "" {
		return c, fmt.Errorf("%s: no source", c.model)
	}
	var err error
	for i, col := range []int{3, 4, 5, 6} {
		if c.prices[i], err = perToken(f[col]); err != nil {
			return c, fmt.Errorf("%s: %s: %w", c.model, currentColumns[col], err)
		}
	}
	if c.prices[0] == nil || c.prices[3] == nil {
		return c, fmt.Errorf("%s: an input and an output price are required", c.model)
	}
	if c.context, err = count(f[7]); err != nil {
		return c, fmt.Errorf("%s: context: %w", c.model, err)
	}
	if c.long, err = currentBand(f[8:13]); err != nil {
		return c, fmt.Errorf("%s: %w", c.model, err)
	}
	for _, d := range []string{c.from, c.until} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return c, fmt.Errorf("%s: date %q: want YYYY-MM-DD", c.model, d)
		}
	}
	if c.from != "" && c.until != "" && c.until < c.from {
		return c, fmt.Errorf("%s: until %s is before from %s", c.model, c.until, c.from)
	}
	return c, nil
}

// currentBand reads the band columns: the threshold, then the input,
// cached input, cache write and output prices.
func currentBand(f []string) (band, error) {
	if f[0] == "-" {
		if strings.Join(f[1:], "") != "----" {
			return band{}, fmt.Errorf("band prices without band_above")
		}
		return band{}, nil
	}
	n, err := count(f[0])
	if err != nil || n == 0 {
		return band{}, fmt.Errorf("band_above %q: want a token count", f[0])
	}
	b := band{above: n}
	for i := range b.prices {
		if b.prices[i], err = perToken(f[1+i]); err != nil {
			return band{}, fmt.Errorf("%s: %w", currentColumns[9+i], err)
		}
	}
	if b.prices[0] == nil || b.prices[3] == nil {
		return band{}, fmt.Errorf("a band needs an input and an output price")
	}
	return b, nil
}

// checkPeriods reports a model listed twice for overlapping periods.
func checkPeriods(cs []current) error {
	for i, a := range cs {
		for _, b := range cs[i+1:] {
			if a.vendor != b.vendor || !strings.EqualFold(a.model, b.model) {
				continue
			}
			if (a.until == "" || b.from == "" || b.from <= a.until) && (b.until == "" || a.from == "" || a.from <= b.until) {
				return fmt.Errorf("lines %d and %d: %s %s is priced twice for the same days", a.line, b.line, a.vendor, a.model)
			}
		}
	}
	return nil
}

// overlay lays the current prices over rows (the LiteLLM file's): a line
// replaces the fields it lists of the model's row, or adds the model;
// a dated line from a later day is a row of its own.
func overlay(rows map[rowKey]row, cs []current) {
	seed := maps.Clone(rows)
	for _, c := range cs {
		base := seed[rowKey{c.vendor, strings.ToLower(c.model), ""}]
		r := base
		r.vendor, r.model, r.mode, r.from, r.until = c.vendor, c.model, c.mode, c.from, c.until
		for i, p := range c.prices { // input, cached_input, cache_write, output: row.prices' first four
			if p != nil {
				r.prices[i] = p
			}
		}
		if c.context > 0 {
			r.context = c.context
		}
		if c.long.above > 0 {
			r.long = c.long
		}
		rows[rowKey{c.vendor, strings.ToLower(c.model), c.from}] = r
	}
}

// knownVendors are the catalog's vendors: every vendor the LiteLLM file's
// providers map to.
func knownVendors() []string {
	var out []string
	for _, v := range vendors {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// perToken reads a price per 1M tokens as a price per token; nil for "-".
func perToken(s string) (*float64, error) {
	if s == "-" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1e6 {
		return nil, fmt.Errorf("price %q: want a number ≥ 0", s)
	}
	v /= 1e6
	return &v, nil
}

// count reads a token count; 0 for "-".
func count(s string) (int, error) {
	if s == "-" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q: want a positive whole number", s)
	}
	return n, nil
}
