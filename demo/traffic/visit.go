package traffic

import (
	"context"

	"switchyard/sim/workload"
)

// visit runs v: its requests and ratings, one after the other as a user
// sends them. It makes no new call once ctx is done; its calls run under
// calls. A failure ends the visit, and is counted and logged unless the
// traffic was stopping.
func (g *Generator) visit(ctx, calls context.Context, v *Visit) {
	fail := func(err error) {
		if ctx.Err() == nil && calls.Err() == nil {
			g.stats.failed.Add(1)
			g.log.failed(err)
		}
	}
	if v.Embed {
		if err := g.client.embed(calls, v.Model, v.Item.Prompt); err != nil {
			fail(err)
			return
		}
		g.stats.requests.Add(1)
		g.stats.embeddings.Add(1)
		return
	}
	msgs := []message{{Role: "user", Content: v.Item.Prompt}}
	a, err := g.ask(ctx, calls, v, msgs, v.Item)
	if err != nil {
		fail(err)
		return
	}
	next, item := g.reaction(v, msgs, a)
	if next == nil || ctx.Err() != nil {
		return
	}
	if _, err := g.ask(ctx, calls, v, next, item); err != nil {
		fail(err)
	}
}

// reaction returns the conversation the user sends after answer a to
// msgs, and the question it asks (nil: none): the follow-up after a right
// answer, the same question again after a wrong one.
func (g *Generator) reaction(v *Visit, msgs []message, a answer) ([]message, *workload.Item) {
	right := workload.Right(a.Text, v.Item.Expected)
	switch {
	case right && v.FollowUp != nil:
		g.stats.followUps.Add(1)
		return append(msgs, message{Role: "assistant", Content: a.Text}, message{Role: "user", Content: v.FollowUp.Prompt}), v.FollowUp
	case !right && v.Retry && v.AskAgain:
		g.stats.retries.Add(1)
		return append(msgs, message{Role: "assistant", Content: a.Text}, message{Role: "user", Content: v.Item.Prompt}), v.Item
	case !right && v.Retry:
		g.stats.retries.Add(1)
		return msgs, v.Item
	}
	return nil, nil
}

// ask sends msgs, whose last message asks item, and rates the answer when
// v's user rates (unless ctx is done by then).
func (g *Generator) ask(ctx, calls context.Context, v *Visit, msgs []message, item *workload.Item) (answer, error) {
	a, err := g.client.chat(calls, v.Model, v.User, msgs, v.Stream)
	if err != nil {
		return answer{}, err
	}
	g.stats.requests.Add(1)
	if v.Stream {
		g.stats.streamed.Add(1)
	}
	if !v.Rate || a.ID == "" || ctx.Err() != nil {
		return a, nil
	}
	if err := g.client.feedback(calls, g.rater.Rate(a.Text, item.Expected).Body(a.ID)); err != nil {
		return a, err
	}
	g.stats.ratings.Add(1)
	return a, nil
}
