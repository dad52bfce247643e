package config

import (
	"fmt"
	"strings"

	"switchyard/llm"
)

// The values of a deployment's api.
const (
	APIAuto            = "auto"
	APIChatCompletions = string(llm.APIChatCompletions)
	APIResponses       = string(llm.APIResponses)
)

// upstreamAPI is the llm value of a deployment's api ("" and "auto" are
// llm.APIAuto).
func upstreamAPI(api string) llm.UpstreamAPI {
	if api == APIAuto {
		return llm.APIAuto
	}
	return llm.UpstreamAPI(api)
}

// upstreamAPI checks a deployment's api: auto, chat_completions or
// responses; responses only on a provider with a Responses API here
// (kind openai, and kind azure on its /openai/v1 routes), chat_completions
// only on kinds openai and azure.
func (v *validator) upstreamAPI(path string, d *Deployment) {
	switch d.API {
	case "", APIAuto:
		return
	case APIChatCompletions, APIResponses:
	default:
		v.add(path, fmt.Sprintf("unknown api %q", d.API),
			"chat_completions or responses; omit it (auto) to call the Responses API for the models OpenAI serves only there")
		return
	}
	p := v.c.Providers[d.Provider]
	if p == nil {
		return
	}
	switch p.Kind {
	case KindAnthropic, KindGemini:
		v.add(path, fmt.Sprintf("a provider of kind %s has no OpenAI API", p.Kind),
			"api applies to deployments of kind openai and azure; remove it")
	case KindAzure:
		if d.API == APIResponses && !azureV1(p) {
			v.add(path, "Azure OpenAI's Responses API is served on its v1 routes only",
				"set provider "+d.Provider+"'s base_url to https://RESOURCE.openai.azure.com/openai/v1, or remove api")
		}
	}
}

// azureV1 reports whether an azure provider (and every endpoint of its
// pool) uses the OpenAI-style v1 routes (a base_url ending in /openai/v1).
func azureV1(p *Provider) bool {
	v1 := func(u string) bool { return strings.HasSuffix(strings.TrimRight(u, "/"), "/openai/v1") }
	if !v1(p.BaseURL) {
		return false
	}
	for _, e := range p.Endpoints {
		if e.BaseURL != "" && !v1(e.BaseURL) {
			return false
		}
	}
	return true
}
