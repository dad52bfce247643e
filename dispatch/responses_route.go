package dispatch

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// A deployment of kind openai whose api is auto is called on the
// Responses API for what only that API serves (wire.CallsResponses). A
// compatible host without a /responses route (an older vLLM, LM Studio,
// llama.cpp's server, many proxies) answers that with a 404 the adapter
// names llm.CodeNoResponsesRoute. The dispatcher then marks the
// deployment on its host (NoResponsesRoutes: kept across configuration
// changes that leave its base_url and api as they were), logs it once, and
// sends the request again at once on Chat Completions when Chat can
// carry it (wire.ChatCarries); later requests to the deployment go
// straight to Chat. A request only the Responses API serves (a model
// served only there, OpenAI's hosted tools) is refused by the
// deployment as a model_unsupported misfit, which passes it over for
// the next candidate.

// open calls t's provider with up, the request as sent to t, on Chat
// Completions where t's host is known to have no /responses route and
// Chat can carry it; viaChat reports that it was. A 404 naming the route
// missing marks t and is answered so at once.
func (d *Dispatcher) open(ctx context.Context, t *Target, up *llm.Request) (s llm.Stream, viaChat bool, err error) {
	if viaChat, err = d.chatInstead(t, up); err != nil {
		return nil, false, err
	}
	s, err = t.Provider.Stream(ctx, up)
	if e := llm.AsError(err); err != nil && e.Code == llm.CodeNoResponsesRoute && up.API == llm.APIAuto && ctx.Err() == nil {
		d.markNoResponses(t, e)
		if viaChat, err = d.chatInstead(t, up); err != nil {
			return nil, false, err
		}
		s, err = t.Provider.Stream(ctx, up)
	}
	return s, viaChat, err
}

// chatInstead sets up to go on Chat Completions, and reports it did,
// when t's host has no /responses route and up would go there (its api
// auto and wire.CallsResponses); it returns the deployment's refusal
// when Chat cannot carry up.
func (d *Dispatcher) chatInstead(t *Target, up *llm.Request) (bool, error) {
	if up.API != llm.APIAuto || !d.lacksResponses(t) || !wire.CallsResponses(up) {
		return false, nil
	}
	if !wire.ChatCarries(up) {
		return false, &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeModelUnsupported, Message: fmt.Sprintf(
			"deployment %s cannot take this request: its host has no /responses route (it answered 404 there) and the request needs the Responses API (a model served only there, or OpenAI's hosted tools); configure api: chat_completions for it, or route such requests to a deployment on a host that has the route", t.Deployment.Name)}
	}
	up.API = llm.APIChatCompletions
	return true, nil
}

// OnHost reports how an attempt of req on t would go given what t's host
// is known to lack: viaChat when it goes on Chat Completions because the
// host has no /responses route (where it would otherwise go to the
// Responses API, and Chat can carry it), or the deployment's refusal when
// the request needs the Responses API there — what a dry run's
// explanation names, as the request's own attempt would.
func (d *Dispatcher) OnHost(t *Target, req *llm.Request) (viaChat bool, err error) {
	return d.chatInstead(t, Upstream(req, &t.Deployment))
}

// GoesOnChat reports whether an attempt of req on t goes on Chat
// Completions because t's host was found to have no /responses route
// (OnHost without the refusal).
func (d *Dispatcher) GoesOnChat(t *Target, req *llm.Request) bool {
	viaChat, err := d.OnHost(t, req)
	return viaChat && err == nil
}

// lacksResponses reports whether t's host was found to have no
// /responses route.
func (d *Dispatcher) lacksResponses(t *Target) bool {
	return d.noResponses.has(t.Deployment.Name, t.Host)
}

// markNoResponses marks t's host as having no /responses route, logging
// it the first time.
func (d *Dispatcher) markNoResponses(t *Target, e *llm.Error) {
	if !d.noResponses.mark(t.Deployment.Name, t.Host) {
		return
	}
	log := d.opts.Logger
	if log == nil {
		log = slog.Default()
	}
	log.Warn("dispatch: the deployment's host has no /responses route; its requests go on Chat Completions from now on, and those only the Responses API serves pass it over (set its api: chat_completions to say so in the config)",
		"deployment", t.Deployment.Name, "provider", t.Deployment.Provider, "upstream_said", e.Message)
}

// NoResponsesRoutes holds the deployments whose host answered that it
// has no /responses route, each with the host it answered from
// (Target.Host). A mark holds while the deployment's Host stays the same:
// the server hands one NoResponsesRoutes to the dispatcher of every
// configuration it runs, so a hot reload that leaves a deployment's
// base_url and api as they were keeps its mark, and one that changes
// them drops it (Retain). The zero value is empty; safe for concurrent
// use.
type NoResponsesRoutes struct {
	m sync.Map // deployment name → its Host when marked
}

// has reports whether the deployment name was marked on host.
func (n *NoResponsesRoutes) has(name, host string) bool {
	v, ok := n.m.Load(name)
	return ok && v.(string) == host
}

// mark marks the deployment name on host; it reports whether it was not
// so marked before.
func (n *NoResponsesRoutes) mark(name, host string) bool {
	for {
		v, loaded := n.m.LoadOrStore(name, host)
		if !loaded {
			return true
		}
		if v.(string) == host {
			return false
		}
		if n.m.CompareAndSwap(name, v, host) {
			return true
		}
	}
}

// Retain keeps the marks of the deployments hosts names on the host it
// gives them (a configuration's deployments: name → Target.Host), and
// drops the others: those of deployments gone, or moved to another
// base_url or api.
func (n *NoResponsesRoutes) Retain(hosts map[string]string) {
	n.m.Range(func(k, v any) bool {
		if h, ok := hosts[k.(string)]; !ok || h != v.(string) {
			n.m.CompareAndDelete(k, v)
		}
		return true
	})
}
