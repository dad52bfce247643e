package main

import "flag"

// onFlagSet, when not nil, is told every command's flag set as it is
// made (a test lists the commands' flags with it). Set it only while no
// command runs.
var onFlagSet func(fs *flag.FlagSet)

// newFlagSet returns a command's flag set, which returns its parse errors.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if onFlagSet != nil {
		onFlagSet(fs)
	}
	return fs
}
