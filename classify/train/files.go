package train

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// DefaultData lists the shipped model's training data, relative to the
// repository root: the public prompt sets in the shared datasets folder
// beside the repository (never copied into it) and the written examples.
var DefaultData = []string{
	"../shared/datasets/prompts/task_prompts_train.jsonl",
	"../shared/datasets/prompts/task_prompts_real.jsonl",
	"classify/testdata/written",
}

// RouterDCData is RouterDC's prompt file in the shared datasets folder, an
// optional source of real questions (MMLU, CMMLU, ARC; see ReadRouterDC)
// that the shipped model does not use.
const RouterDCData = "../shared/datasets/routing/routerdc7_train.csv.gz"

// ReadFiles reads the examples of every file named, or of every *.jsonl in
// a directory named, in that order (a directory's files sorted by name). A
// RouterDC prompt file (*.csv.gz, see ReadRouterDC) is read after all the
// others, without the prompts they already hold (DedupAgainst). It returns
// an error naming the file for a missing or malformed file, and an error if
// there are no examples at all.
func ReadFiles(paths []string) ([]Example, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "*.jsonl"))
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		slices.Sort(m)
		files = append(files, m...)
	}
	var all, routerDC []Example
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		read := ReadJSONL
		if IsRouterDCFile(name) {
			read = ReadRouterDC
		}
		ex, err := read(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if IsRouterDCFile(name) {
			routerDC = append(routerDC, ex...)
		} else {
			all = append(all, ex...)
		}
	}
	if len(routerDC) > 0 {
		routerDC, _ = DedupAgainst(routerDC, all)
		all = append(all, routerDC...)
	}
	if len(all) == 0 {
		return nil, errors.New("train: no examples in " + strings.Join(paths, ", "))
	}
	return all, nil
}
