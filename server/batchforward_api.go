package server

import (
	"switchyard/api/openai/batch"
	"switchyard/dispatch"
	wireopenai "switchyard/wire/openai"
)

// groupKey is the key of the provider batch group of line l on the
// deployment dep: dep itself, except that a chat line its api auto
// deployment sends to the Responses API (wireopenai.CallsResponses:
// function tools at a reasoning effort Chat Completions refuses, …) has
// a group of its own, as a provider batch has one endpoint. (On an
// upstream without a Responses API the two groups go to the same one.)
func groupKey(g *generation, endpoint, dep string, l *batch.Line) string {
	t := g.gw.Target(dep)
	if t == nil || !t.Deployment.APIByModel {
		return dep
	}
	req, ok := decodeLine(endpoint, l.Body)
	if !ok || req.chat == nil || !wireopenai.CallsResponses(dispatch.Upstream(req.chat, &t.Deployment)) {
		return dep
	}
	return dep + "\x00responses"
}
