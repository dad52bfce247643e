package offline

import (
	"fmt"
	"slices"
)

// Splits. A held-out share is chosen by a hash of the prompt id (the text
// when there is none), so that one prompt never lands on both sides, and
// the choice does not depend on the file's row order.

// HoldoutIndexes splits ds into training and test prompts: a prompt is
// held out when the hash of its id, salted by seed, falls in the first
// share of the hash range.
func HoldoutIndexes(ds *Dataset, share float64, seed uint64) (train, test []int) {
	limit := uint64(share * (1 << 32))
	for i := range ds.Prompts {
		if promptHash(&ds.Prompts[i], seed)>>32 < limit {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test
}

// promptHash is FNV-1a (64-bit) of the prompt's id or text, mixed with the
// seed by a splitmix64 finalizer.
func promptHash(p *Prompt, seed uint64) uint64 {
	key := p.ID
	if key == "" {
		key = p.Text
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	r := rng{state: h ^ seed*0x9E3779B97F4A7C15}
	return r.next()
}

// SplitIndexes returns the prompts whose split column is train, and those
// whose split column is test. It returns an error if either is empty.
func SplitIndexes(ds *Dataset, trainSplit, testSplit string) (train, test []int, err error) {
	for i := range ds.Prompts {
		switch ds.Prompts[i].Split {
		case trainSplit:
			train = append(train, i)
		case testSplit:
			test = append(test, i)
		}
	}
	if len(train) == 0 || len(test) == 0 {
		return nil, nil, fmt.Errorf("offline: %d prompts in split %q, %d in split %q (splits present: %v)",
			len(train), trainSplit, len(test), testSplit, ds.Splits())
	}
	return train, test, nil
}

// Splits returns the distinct split values of ds's prompts, sorted.
func (ds *Dataset) Splits() []string {
	var out []string
	for i := range ds.Prompts {
		if s := ds.Prompts[i].Split; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// Groups returns the distinct values of the column ("task" or "source")
// over ds's prompts, sorted; it returns an error for another column.
func (ds *Dataset) Groups(column string) ([]string, error) {
	var out []string
	for i := range ds.Prompts {
		g, err := ds.Prompts[i].group(column)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (p *Prompt) group(column string) (string, error) {
	switch column {
	case "task":
		return p.Task, nil
	case "source":
		return p.Source, nil
	}
	return "", fmt.Errorf("offline: cannot group by %q (task or source)", column)
}

// GroupIndexes returns the prompts outside group and those inside it.
func GroupIndexes(ds *Dataset, column, group string) (train, test []int, err error) {
	for i := range ds.Prompts {
		g, err := ds.Prompts[i].group(column)
		if err != nil {
			return nil, nil, err
		}
		if g == group {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test, nil
}
