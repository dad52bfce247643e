package cost

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"switchyard/config"
	"switchyard/llm"
)

// priorityTSV is OpenAI's priority processing price list, written by
// hand from its pricing pages (a source on every line): vendor, model,
// then the input, cached input and output prices per 1M tokens ("-"
// where unlisted), then the source.
//
//go:embed priority.tsv
var priorityTSV string

// priorityColumns are priority.tsv's columns, in order.
var priorityColumns = []string{"vendor", "model", "input", "cached_input", "output", "source"}

// priorityEntry is a model's price on its vendor's priority tier, in USD
// per 1M tokens.
type priorityEntry struct {
	Vendor, Model string
	Input, Output float64
	// CachedInput is 0 when the list gives none: the standard cached
	// price, scaled as Input is.
	CachedInput float64
	// Source names the page the prices were read from.
	Source string
}

var (
	priorityOnce sync.Once
	priorityList map[[2]string]priorityEntry
)

// loadPriority parses the embedded list once. A malformed list is a
// build defect TestPriorityListIsWellFormed reports; it then prices
// nothing (the multiplier applies).
func loadPriority() map[[2]string]priorityEntry {
	priorityOnce.Do(func() { priorityList, _ = parsePriority(priorityTSV) })
	return priorityList
}

// parsePriority reads the list's text strictly: the header, then one
// model a line; "#" lines are comments.
func parsePriority(text string) (map[[2]string]priorityEntry, error) {
	out := map[[2]string]priorityEntry{}
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimRight(line, "\r\n")
		if n == 1 {
			if line != strings.Join(priorityColumns, "\t") {
				return nil, fmt.Errorf("priority.tsv:1: the header must be %q", strings.Join(priorityColumns, "\t"))
			}
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		e, err := parsePriorityLine(line)
		if err != nil {
			return nil, fmt.Errorf("priority.tsv:%d: %w", n, err)
		}
		k := [2]string{e.Vendor, strings.ToLower(e.Model)}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("priority.tsv:%d: %s/%s listed twice", n, e.Vendor, e.Model)
		}
		out[k] = e
	}
	return out, nil
}

// parsePriorityLine reads one model's line.
func parsePriorityLine(line string) (priorityEntry, error) {
	f := strings.Split(line, "\t")
	if len(f) != len(priorityColumns) {
		return priorityEntry{}, fmt.Errorf("%d columns, want %d", len(f), len(priorityColumns))
	}
	e := priorityEntry{Vendor: f[0], Model: f[1], Source: strings.TrimSpace(f[5])}
	if e.Vendor != "openai" || e.Model == "" || e.Source == "" {
		return e, fmt.Errorf("vendor %q, model %q: want openai, a model and a source", f[0], f[1])
	}
	for i, dst := range []*float64{&e.Input, &e.CachedInput, &e.Output} {
		if f[2+i] == "-" && i == 1 {
			continue
		}
		v, err := strconv.ParseFloat(f[2+i], 64)
		if err != nil || v <= 0 {
			return e, fmt.Errorf("%s: %s %q: want a price above 0", e.Model, priorityColumns[2+i], f[2+i])
		}
		*dst = v
	}
	return e, nil
}

// lookupPriority returns the priority price of model on vendor, matching
// names as Lookup does (a dated snapshot without a line of its own takes
// its undated name's). Only OpenAI's own API lists one: Azure's priority
// processing is priced by Microsoft.
func lookupPriority(vendor, model string) (priorityEntry, bool) {
	list := loadPriority()
	if vendor != "openai" {
		return priorityEntry{}, false
	}
	for _, undated := range []bool{false, true} {
		for _, k := range candidates(vendor, strings.ToLower(strings.TrimSpace(model))) {
			name := k[1]
			if undated {
				var ok bool
				if name, ok = stripSnapshot(name); !ok {
					continue
				}
			}
			if e, ok := list[[2]string{k[0], name}]; ok {
				return e, true
			}
		}
	}
	return priorityEntry{}, false
}

// listedPriority returns the priority price of d, the deployment cd of
// p, from OpenAI's list: the listed price when the configuration sets
// neither an input nor an output price, or sets the catalog's (source
// TierSourceCatalog); otherwise the list's ratios to the catalog's standard prices applied
// to d's (a negotiated price is taken to discount priority alike;
// TierSourceCatalogRatio). It reports false when the list does not have
// the model.
func listedPriority(p *config.Provider, cd *config.Deployment, d *llm.Deployment) (*llm.TierPrice, bool) {
	e, ok := lookupPriority(VendorOf(p), cd.ModelID())
	if !ok {
		return nil, false
	}
	listed := &llm.TierPrice{Input: e.Input, Output: e.Output, CachedInput: e.CachedInput, Source: TierSourceCatalog}
	if !cd.Price.Has(config.PriceInput) && !cd.Price.Has(config.PriceOutput) {
		return listed, true
	}
	std, ok := Lookup(VendorOf(p), cd.ModelID())
	if !ok || std.Price.Input == 0 || std.Price.Output == 0 {
		return nil, false
	}
	if d.InputPricePerM == std.Price.Input && d.OutputPricePerM == std.Price.Output &&
		(e.CachedInput == 0 || d.CachedInputPricePerM == std.Price.CachedInput) {
		return listed, true // the configuration repeats the list's standard price
	}
	tp := &llm.TierPrice{Input: asListed(d.InputPricePerM, e.Input, std.Price.Input), Output: asListed(d.OutputPricePerM, e.Output, std.Price.Output),
		Source: TierSourceCatalogRatio}
	if e.CachedInput > 0 {
		tp.CachedInput = asListed(orPrice(d.CachedInputPricePerM, d.InputPricePerM), e.CachedInput, orPrice(std.Price.CachedInput, std.Price.Input))
	}
	return tp, true
}

// asListed is price scaled as listed is to standard (scaled): listed
// itself when price is the standard price (no rounding error for a
// configured list price).
func asListed(price, listed, standard float64) float64 {
	if price == standard {
		return listed
	}
	return scaled(price, standard, listed)
}
