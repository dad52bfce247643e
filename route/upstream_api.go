package route

import (
	"strings"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/openai"
)

// Which API an OpenAI-wire deployment is called on, and which of
// OpenAI's hosted tools a deployment serves.

// hostedKinds are the OpenAI hosted tools d on p serves (see
// Deployment.hosted); d's API resolved (UpstreamAPI).
func hostedKinds(p *config.Provider, d *llm.Deployment) llm.HostedKinds {
	if p.Kind == config.KindAnthropic || p.Kind == config.KindGemini { // as Claude's web search server tool, Gemini's googleSearch
		return llm.HostedWebSearch
	}
	if d.API != llm.APIResponses && !d.APIByModel {
		return 0
	}
	switch {
	case p.Kind == config.KindOpenAI:
		return llm.AllHosted
	case p.Kind == config.KindAzure && hasResponsesRoute(p): // its v1 API
		return openai.AzureHostedTools
	}
	return 0
}

// UpstreamAPI is the API the openai adapter calls for d on p (as
// provider/openai's Client.UsesResponses decides it): for kinds openai
// and azure, the one d's api names, or by the model id (auto: the
// Responses API for the models OpenAI serves only there, unless p is
// Azure on its deployment routes, which have none); APIAuto for the other
// kinds.
func UpstreamAPI(p *config.Provider, d *llm.Deployment) llm.UpstreamAPI {
	if p.Kind != config.KindOpenAI && p.Kind != config.KindAzure || d.API != llm.APIAuto {
		return d.API
	}
	if hasResponsesRoute(p) && openai.ResponsesOnly(d.ModelID()) {
		return llm.APIResponses
	}
	return llm.APIChatCompletions
}

// hasResponsesRoute reports whether the adapter of p can call the
// Responses API: kind openai (api.openai.com, a compatible host), or
// azure on its /openai/v1 routes (not its deployment routes, which have
// none).
func hasResponsesRoute(p *config.Provider) bool {
	switch p.Kind {
	case config.KindOpenAI:
		return true
	case config.KindAzure:
		return strings.HasSuffix(strings.TrimRight(p.BaseURL, "/"), "/openai/v1")
	}
	return false
}

// unservedHosted are the hosted tools the request asks for (all of them
// when Features.HostedTools does not say which) that dep does not serve:
// a Gemini model before 3 searches the web only without function tools
// (gemini.RefusesSearchWithTools), a Claude model without the web search
// tool not at all (anthropic.HasWebSearch).
func unservedHosted(dep *Deployment, f *Features) llm.HostedKinds {
	want := f.HostedTools
	if want == 0 {
		want = llm.AllHosted
	}
	served := dep.hosted
	if dep.geminiPre3 && f.Needs&NeedTools != 0 || dep.noWebSearch { // the request's function tools, not the classifier's HasTools
		served &^= llm.HostedWebSearch
	}
	return want &^ served
}
