package dispatch

import (
	"io"
	"time"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// script says how a fake upstream answers one call.
type script struct {
	err      error         // fail at once with this
	delay    time.Duration // before the first chunk
	chunks   int           // content chunks to send (default 3)
	cutAfter int           // fail after this many chunks (0 = never)
	stall    time.Duration // pause after the first chunk
	roleOnly bool          // send a role-only chunk first
	cutFirst bool          // fail right after the role-only chunk
	cutErr   error         // the error of a cut (a retryable upstream error by default)
	// refuse answers with a refusal: "start" (a role-only chunk, then
	// finish_reason content_filter), "mid" (one content chunk first) or
	// "text" (OpenAI's refusal text, finish stop).
	refuse string
	// soFar is the usage the upstream reports on the way, on its first
	// chunk (llm.Chunk.UsageSoFar); nil for none.
	soFar *llm.Usage
}

// fake is a scriptable upstream (the shared llmtest.Provider): calls take
// scripts in order, the last one repeating.
type fake struct {
	llmtest.Provider
	name string
}

func newFake(name string, s ...script) *fake {
	f := &fake{name: name}
	for _, sc := range s {
		f.Scripts = append(f.Scripts, sc.compile(name))
	}
	return f
}

// compile turns the script into the shared provider's events.
func (sc script) compile(name string) llmtest.Script {
	if sc.err != nil {
		return llmtest.Script{Err: sc.err}
	}
	if sc.refuse != "" {
		return sc.refusal(name)
	}
	if sc.chunks == 0 {
		sc.chunks = 3
	}
	var ev []llmtest.Event
	if sc.roleOnly {
		ev = append(ev, llmtest.Event{Chunk: &llm.Chunk{ID: name, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}}})
	}
	first := len(ev) // the first content chunk
	cut := sc.cutErr
	if cut == nil {
		cut = &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "cut"}
	}
	for i := 0; ; i++ {
		if sc.cutFirst {
			ev = append(ev, llmtest.Event{Err: &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "garbage"}})
			break
		}
		if sc.cutAfter > 0 && i == sc.cutAfter {
			ev = append(ev, llmtest.Event{Err: cut})
			break
		}
		if i == sc.chunks {
			ev = append(ev, llmtest.Event{Err: io.EOF})
			break
		}
		ev = append(ev, llmtest.Event{Chunk: &llm.Chunk{ID: name, Model: name, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "x"}}}}})
	}
	ev[0].Delay = sc.delay
	if ev[0].Chunk != nil && sc.soFar != nil {
		u := *sc.soFar
		ev[0].Chunk.UsageSoFar = &u
	}
	if sc.stall > 0 && first+1 < len(ev) && !sc.cutFirst {
		ev[first+1].Delay = sc.stall
	}
	return llmtest.Script{Events: ev}
}

func target(f *fake) *Target {
	return &Target{Deployment: llm.Deployment{Name: f.name, Provider: "p-" + f.name, Model: f.name}, Provider: f}
}

func planOf(ttft time.Duration, fs ...*fake) *Plan {
	p := &Plan{}
	for _, f := range fs {
		p.Tiers = append(p.Tiers, Tier{Targets: []*Target{target(f)}, TTFTTimeout: ttft})
	}
	return p
}

var errRate = &llm.Error{Kind: llm.KindRateLimit, Retryable: true, Message: "429", RetryAfter: 10 * time.Millisecond}
var err500 = &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "500"}
var err400 = &llm.Error{Kind: llm.KindInvalidRequest, Message: "bad"}

func drain(s llm.Stream) (n int, err error) {
	defer s.Close()
	for {
		_, err := s.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// refusal compiles a refusing script (sc.refuse).
func (sc script) refusal(name string) llmtest.Script {
	chunk := func(d llm.Delta, f llm.FinishReason) llmtest.Event {
		return llmtest.Event{Chunk: &llm.Chunk{ID: name, Model: name, Choices: []llm.ChunkChoice{{Delta: d, FinishReason: f}}}}
	}
	ev := []llmtest.Event{chunk(llm.Delta{Role: llm.RoleAssistant}, "")}
	switch sc.refuse {
	case "mid":
		ev = append(ev, chunk(llm.Delta{Content: "Hello.."}, ""), chunk(llm.Delta{}, llm.FinishContentFilter))
	case "text":
		ev = append(ev, chunk(llm.Delta{Refusal: "I can't help with that."}, ""), chunk(llm.Delta{}, llm.FinishStop))
	default:
		ev = append(ev, chunk(llm.Delta{}, llm.FinishContentFilter))
	}
	ev = append(ev, llmtest.Event{Err: io.EOF})
	ev[0].Delay = sc.delay
	return llmtest.Script{Events: ev}
}
