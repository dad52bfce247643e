package openai

import (
	"encoding/json"
	"net/http"
	"net/textproto"

	"switchyard/llm"
	"switchyard/route"
)

// overrideHeaders are the override header names in canonical form, so
// looking them up does not allocate.
var overrideHeaders = func() map[string]string {
	m := map[string]string{}
	for _, h := range []string{route.HeaderModel, route.HeaderCategory, route.HeaderMaxCost, route.HeaderLatencyBudget, route.HeaderFallback, route.HeaderTimeout} {
		m[h] = textproto.CanonicalMIMEHeaderKey(h)
	}
	return m
}()

// overrides reads the routing override headers; nil when none is set. A
// bad value is a 400 naming the header.
func overrides(h http.Header) (*route.Overrides, error) {
	set := false
	for _, k := range overrideHeaders {
		if len(h[k]) > 0 {
			set = true
			break
		}
	}
	if !set {
		return nil, nil
	}
	ov, err := route.ParseOverrides(func(name string) string { return h.Get(overrideHeaders[name]) })
	if err != nil {
		return nil, err
	}
	return &ov, nil
}

// route answers POST /v1/route: the body of a chat completion, decided but
// not sent. The JSON holds the category and confidence at the top level,
// the plan's tiers and the full explanation.
func (h *Handler) route(w http.ResponseWriter, r *http.Request) {
	req, ov, ok := h.decodeChat(w, r)
	if !ok {
		return
	}
	plan, err := h.Backend.Route(r.Context(), req, ov)
	if err != nil {
		WriteError(w, err)
		return
	}
	body, err := json.Marshal(plan)
	if err != nil {
		WriteError(w, llm.Wrap(llm.KindInternal, err, "could not encode the routing plan"))
		return
	}
	w.Header().Set(HeaderRoute, plan.Summary(0, plan.First(), 0))
	writeJSON(w, body)
}
