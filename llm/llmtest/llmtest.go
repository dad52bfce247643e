// Package llmtest holds test helpers shared by the packages that use the
// llm contract: Complete runs a streamed call to its end as the gateway
// does; Provider is the one scripted upstream and Stream the one scripted
// stream every package's tests use (chunks, errors, gates and delays on an
// injectable clock, call counting, request capture).
package llmtest

import (
	"context"
	"io"

	"switchyard/llm"
)

// Complete streams req from p and accumulates the chunks into a complete
// response (llm.Accumulator), closing the stream. It returns the error of
// Stream or the stream's first error other than io.EOF, unchanged.
func Complete(ctx context.Context, p llm.ChatProvider, req *llm.Request) (*llm.Response, error) {
	s, err := p.Stream(ctx, req)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var acc llm.Accumulator
	for {
		c, err := s.Next()
		if err == io.EOF {
			return acc.Response(), nil
		}
		if err != nil {
			return nil, err
		}
		acc.Add(c)
	}
}
