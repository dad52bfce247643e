package batch

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"switchyard/store"
)

// fakeForwarder forwards the lines of even index to deployment "dep";
// its provider batches end after ends polls (never when 0), or once
// cancelled unless stuck, answering the lines whose index is in answer
// and leaving the others to the router.
type fakeForwarder struct {
	mu        sync.Mutex
	submitErr error
	ends      int
	stuck     bool
	// onSubmit, when set, runs as Submit starts; a Submit whose ctx is
	// done after it made the provider batch but lost its answer.
	onSubmit func()
	answer   map[int]bool
	// earlier is what a provider batch used on the lines it failed and
	// leaves to the router, by index (Line.Earlier).
	earlier   map[int]*Earlier
	split     [][]int // the indexes of each Split's lines
	submitted [][]int
	polls     map[string]int
	cancelled []string
	byKey     map[string]string // the provider batches' ids by key
	unproven  map[string]bool   // the keys whose batches Find finds unproven
	finds     int
	answered  []int // the lines Results answered, by index
	held      []int // the lines held again (Hold), by index
	released  []int // the lines whose holds were released (Release)
	owners    []Owner
}

func (f *fakeForwarder) Hold(_ context.Context, o Owner, _ string, fw store.BatchForward, lines []Line) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.owners = append(f.owners, o)
	for _, l := range lines {
		f.held = append(f.held, l.Index)
	}
}

func (f *fakeForwarder) Release(_ context.Context, o Owner, _ string, lines []Line) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.owners = append(f.owners, o)
	for _, l := range lines {
		f.released = append(f.released, l.Index)
	}
}

// holds returns the lines held again and released, each sorted.
func (f *fakeForwarder) holds() (held, released []int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	held, released = slices.Clone(f.held), slices.Clone(f.released)
	slices.Sort(held)
	slices.Sort(released)
	return held, released
}

func (f *fakeForwarder) Split(_ context.Context, o Owner, _ string, lines []Line) ([]Group, []Line) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.owners = append(f.owners, o)
	var idx []int
	g, local := Group{Deployment: "dep"}, []Line(nil)
	for _, l := range lines {
		idx = append(idx, l.Index)
		if l.Index%2 == 0 {
			g.Lines = append(g.Lines, l)
		} else {
			local = append(local, l)
		}
	}
	f.split = append(f.split, idx)
	if len(g.Lines) == 0 {
		return nil, local
	}
	return []Group{g}, local
}

func (f *fakeForwarder) Submit(ctx context.Context, _ Owner, _ string, g Group, key string) (string, error) {
	if f.onSubmit != nil {
		f.onSubmit()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.submitErr != nil {
		return "", f.submitErr
	}
	var idx []int
	for _, l := range g.Lines {
		idx = append(idx, l.Index)
	}
	f.submitted = append(f.submitted, idx)
	id := fmt.Sprint("pb_", len(f.submitted))
	f.byKey[key] = id
	return id, ctx.Err()
}

func (f *fakeForwarder) Find(_ context.Context, _ Owner, fw store.BatchForward) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finds++
	return f.byKey[fw.Key], !f.unproven[fw.Key], nil
}

func (f *fakeForwarder) Poll(_ context.Context, _ Owner, fw store.BatchForward) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.polls[fw.ID]++
	cancelled := slices.Contains(f.cancelled, fw.ID)
	return f.ends > 0 && f.polls[fw.ID] >= f.ends || cancelled && !f.stuck, nil
}

func (f *fakeForwarder) Results(_ context.Context, _ Owner, _ string, _ store.BatchForward, lines []Line) ([]Outcome, []Line, error) {
	var (
		done  []Outcome
		retry []Line
	)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range lines {
		if f.answer[lines[i].Index] {
			f.answered = append(f.answered, lines[i].Index)
			done = append(done, Outcome{Line: &lines[i], Result: Result{Status: 200, RequestID: "req_fwd", CostUSD: 0.5, Body: []byte(`{"usage":{"prompt_tokens":1,"completion_tokens":1}}`)}})
		} else {
			l := lines[i]
			l.Earlier = f.earlier[l.Index]
			retry = append(retry, l)
		}
	}
	return done, retry, nil
}

func (f *fakeForwarder) Cancel(_ context.Context, _ Owner, fw store.BatchForward) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cancelled = append(f.cancelled, fw.ID)
	return nil
}
