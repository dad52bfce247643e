package logreplay

import (
	"fmt"
	"strconv"
)

// Unrated says how a request without any feedback (no rating, no
// implicit signal) counts in the reward estimates. The zero value is
// UnratedSkip.
type Unrated struct {
	Mode UnratedMode
	// Value is the reward of UnratedValue, in [0, 1].
	Value float64
}

// UnratedMode is how Unrated counts a request without feedback.
type UnratedMode string

// The modes of Unrated.
const (
	// UnratedSkip leaves it out of the reward estimates (its cost still
	// counts), as the adaptive scorer learns nothing from it: it assumes
	// whether an answer gets feedback does not depend on the deployment.
	UnratedSkip UnratedMode = ""
	// UnratedImplicit gives it the reward the implicit signals' rule
	// gives an answer no signal spoke about, 0.5 + 0.5 × 0 = 0.5; and 0
	// to a request that failed (an error status, or a stream cut).
	UnratedImplicit UnratedMode = "implicit"
	// UnratedValue gives it Value.
	UnratedValue UnratedMode = "value"
)

// ParseUnrated parses "skip", "implicit" or a reward from 0 to 1.
func ParseUnrated(s string) (Unrated, error) {
	switch s {
	case "skip", "":
		return Unrated{}, nil
	case "implicit":
		return Unrated{Mode: UnratedImplicit}, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 0 && v <= 1) {
		return Unrated{}, fmt.Errorf("unrated %q: use skip, implicit, or a reward from 0 to 1", s)
	}
	return Unrated{Mode: UnratedValue, Value: v}, nil
}

// String returns the form ParseUnrated reads.
func (u Unrated) String() string {
	switch u.Mode {
	case UnratedImplicit:
		return "implicit"
	case UnratedValue:
		return strconv.FormatFloat(u.Value, 'g', -1, 64)
	}
	return "skip"
}

// MarshalText encodes u as String does.
func (u Unrated) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText decodes what MarshalText encodes, as ParseUnrated does.
func (u *Unrated) UnmarshalText(b []byte) error {
	v, err := ParseUnrated(string(b))
	if err == nil {
		*u = v
	}
	return err
}

// reward returns the reward of a request without feedback, and whether
// it counts.
func (u Unrated) reward(failed bool) (float64, bool) {
	switch u.Mode {
	case UnratedImplicit:
		if failed {
			return 0, true
		}
		return 0.5, true
	case UnratedValue:
		return u.Value, true
	}
	return 0, false
}
