package drift

import (
	_ "embed"
	"errors"
	"slices"
	"sync"
)

//go:embed starter.yaml
var starterYAML []byte

// StarterName is the name of the starter set, which config may use
// without a file.
const StarterName = "starter"

var starter = sync.OnceValues(func() (*Set, error) { return ParseSet(starterYAML, "drift/starter.yaml") })

// Starter returns the starter set embedded in the binary (see
// docs/drift.md for its sources). The set is shared: do not change it.
func Starter() *Set {
	s, err := starter()
	if err != nil {
		panic(errors.Join(errors.New("drift: the embedded starter set does not decode"), err))
	}
	return s
}

// StarterYAML returns the starter set's file, for users to copy and edit.
func StarterYAML() []byte { return slices.Clone(starterYAML) }
