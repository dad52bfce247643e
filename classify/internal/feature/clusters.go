package feature

import (
	"errors"
	"fmt"
	"math/bits"
)

// Word clusters: every word of a large general vocabulary has a place in a
// binary tree of clusters, built from pretrained word vectors by
// splitting the vocabulary in two again and again (classify/train). Words
// close in meaning share a long path prefix. Each word of the main text
// found in the table adds one feature per chosen tree depth — the node it
// falls in at that depth — so a word the training prompts never used
// ("limerick", "puppeteer") still gets the weights its cluster learned
// from the words that were used. Cluster features form a namespace of
// their own, normalized like the others.

// MaxClusterDepth is the deepest tree a Clusters table may hold (paths are
// uint16, the top bit a flag).
const MaxClusterDepth = 15

// ClusterCommon marks a path whose word adds no cluster features: a word
// the training data used in several sources has learned weights of its
// own.
const ClusterCommon = 1 << 15

// Clusters maps word keys (see WordKey) to their path in the cluster
// tree: bit i (from the top, i < depth) says which side the word took at
// depth i+1. It is immutable and safe for concurrent use.
type Clusters struct {
	bits   uint
	keys   []uint32 // open addressing, linear probing; 0 = empty
	paths  []uint16
	depth  int
	levels uint32 // bit d set: depth d's node is a feature (1 <= d <= depth)
	edge   bool   // only the words of the first and last lines
}

// ErrBadClusters is returned (wrapped) by NewClusters for a table it
// cannot use.
var ErrBadClusters = errors.New("feature: bad cluster table")

// NewClusters returns the table of words keys[i] with paths[i] in a tree
// of the given depth, whose nodes at the depths set in levels (bit d for
// depth d) are features: of every word of the main text read, or with
// edge of the words of its first and last lines only. Keys must be
// nonzero and distinct; a path may carry ClusterCommon.
func NewClusters(keys []uint32, paths []uint16, depth int, levels uint32, edge bool) (*Clusters, error) {
	switch {
	case len(keys) == 0 || len(keys) != len(paths) || len(keys) > 1<<22:
		return nil, fmt.Errorf("%w: %d keys, %d paths", ErrBadClusters, len(keys), len(paths))
	case depth < 1 || depth > MaxClusterDepth:
		return nil, fmt.Errorf("%w: depth %d", ErrBadClusters, depth)
	case levels == 0 || levels&^(1<<(depth+1)-2) != 0:
		return nil, fmt.Errorf("%w: levels %#x for depth %d", ErrBadClusters, levels, depth)
	}
	c := &Clusters{bits: uint(bits.Len(uint(len(keys)))) + 1, depth: depth, levels: levels, edge: edge}
	c.keys = make([]uint32, 1<<c.bits)
	c.paths = make([]uint16, 1<<c.bits)
	for i, k := range keys {
		if k == 0 || paths[i]&^ClusterCommon>>depth != 0 {
			return nil, fmt.Errorf("%w: key %#x, path %#x", ErrBadClusters, k, paths[i])
		}
		s := c.slot(k)
		for c.keys[s] != 0 {
			if c.keys[s] == k {
				return nil, fmt.Errorf("%w: key %#x twice", ErrBadClusters, k)
			}
			s = (s + 1) & (1<<c.bits - 1)
		}
		c.keys[s], c.paths[s] = k, paths[i]
	}
	return c, nil
}

// Depth returns the depth of the tree.
func (c *Clusters) Depth() int { return c.depth }

// Edge reports whether only the words of the first and last lines add
// cluster features.
func (c *Clusters) Edge() bool { return c.edge }

// Levels returns the depths used as features, bit d for depth d.
func (c *Clusters) Levels() uint32 { return c.levels }

// slot returns the home slot of a key.
func (c *Clusters) slot(key uint32) uint32 { return key * mixConst >> (32 - c.bits) }

// Lookup returns the path of a word key, and whether the word is known.
func (c *Clusters) Lookup(key uint32) (uint16, bool) {
	if key == 0 {
		return 0, false
	}
	s := c.slot(key)
	for {
		switch c.keys[s] {
		case key:
			return c.paths[s], true
		case 0:
			return 0, false
		}
		s = (s + 1) & (1<<c.bits - 1)
	}
}

// clusterWords adds the cluster features of the recorded words (of the
// edge lines only if c.edge): per word found and not ClusterCommon, its
// node at every chosen depth.
func (x *Extractor) clusterWords() {
	c := x.clus
	if c == nil {
		return
	}
	for i, k := range x.words[:x.nw] {
		if c.edge {
			end := int(x.ends[i])
			inFirst := end <= x.first && i < edgeWords
			inLast := end > x.last && x.last > x.first
			if !inFirst && !inLast {
				continue
			}
		}
		p, ok := c.Lookup(k)
		if !ok || p&ClusterCommon != 0 {
			continue
		}
		for l := c.levels; l != 0; l &= l - 1 {
			d := bits.TrailingZeros32(l)
			node := uint32(p)>>(c.depth-d) | 1<<d // the leading 1 keeps depths apart
			x.push(nsClus, combine(nsSeed[nsClus], node))
		}
	}
}
