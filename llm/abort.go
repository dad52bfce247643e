package llm

// Aborter is implemented by streams that whoever relays them can end
// before their end with a reason of its own (the router's limit on an
// answer passed): the stream is closed as Close does, and err is what
// its request is recorded as having failed with, instead of a client
// that left. A stream that wraps another must implement it too,
// forwarding it, or the reason is lost.
type Aborter interface {
	Abort(err error) error
}

// Abort closes s, telling it err as the reason when it is an Aborter;
// another stream is only closed.
func Abort(s Stream, err error) error {
	if a, ok := s.(Aborter); ok {
		return a.Abort(err)
	}
	return s.Close()
}
