package train

import (
	"fmt"
	"testing"

	"switchyard/guard/inject"
)

func TestDumpWeights(t *testing.T) {
	ex, err := Load("/work/shared/datasets", "testdata")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(ex, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	names := inject.FeatureNames()
	for f, n := range names {
		fmt.Printf("%-28s prior %5.2f %5.2f  learned %6.2f %6.2f\n", n, inject.Prior(f, false), inject.Prior(f, true), m.DenseWeight(0, f), m.DenseWeight(1, f))
	}
	fmt.Println(m.Bias())
}
