package route

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
)

// maxListed bounds the rejections one error message lists.
const maxListed = 8

// UnknownModel is the 404 for a model name that is neither a route nor a
// deployment; it lists what exists.
func (p *Policy) UnknownModel(model string) *llm.Error {
	e := llm.Errorf(llm.KindNotFound, "The model `%s` does not exist or you do not have access to it. Available models: %s (GET /v1/models lists them all).",
		llm.Clip(model), p.nameList(true))
	e.Param, e.Code = "model", "model_not_found"
	return e
}

// nameList lists routes (when withRoutes) then deployments, at most 12.
func (p *Policy) nameList(withRoutes bool) string {
	var names []string
	if withRoutes {
		for _, m := range p.models {
			names = append(names, m.Name)
		}
	}
	for _, d := range p.deps {
		names = append(names, d.Name)
	}
	if len(names) > 12 {
		return strings.Join(names[:12], ", ") + ", …"
	}
	return strings.Join(names, ", ")
}

func (p *Policy) unknownPin(name string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "The %s header names no deployment: %q. Deployments: %s.",
		HeaderModel, llm.Clip(name), p.nameList(false))
	e.Param, e.Code = HeaderModel, "invalid_header"
	return e
}

// pinError explains why the pinned deployment cannot take the request.
func (d *decision) pinError(pin *Deployment, r *Rejection) *llm.Error {
	switch {
	case byRequest(r.By):
		e := llm.Errorf(llm.KindInvalidRequest, "deployment %s %s; pick a model that does (GET /v1/models)", pin.Name, r.Detail())
		e.Param = rejectionParam(r)
		switch r.Reason {
		case ReasonContextWindow:
			tooLong(e, r.Got, r.Limit)
		case ReasonParam:
			e.Code = "unsupported_parameter"
		}
		return e
	case r.Reason == ReasonPriceUnknown && strings.HasPrefix(r.By, "budget "):
		e := llm.Errorf(llm.KindUnprocessable, "pinned deployment %s: %s; ask for a model with a known price", pin.Name, r.Detail())
		e.Code = "no_candidate"
		return e
	case strings.HasPrefix(r.By, "budget "):
		e := llm.Errorf(llm.KindUnprocessable, "pinned deployment %s: %s; ask for a cheaper model until the budget resets", pin.Name, r.Detail())
		e.Code = "no_candidate"
		return e
	case strings.HasPrefix(r.By, "x-"):
		e := llm.Errorf(llm.KindUnprocessable, "pinned deployment %s: %s; raise or remove the header", pin.Name, r.Detail())
		e.Param, e.Code = r.By, "no_candidate"
		return e
	}
	e := llm.Errorf(llm.KindUnprocessable, "pinned deployment %s is not allowed by route %s: %s", pin.Name, d.r.name, r.Detail())
	e.Code = "no_candidate"
	return e
}

// byRequest reports whether a rejection by by is for what the request
// asks of the deployment's model: by the request against what the
// deployment is configured with, or against what its own refusal said
// (ByRefusal). The client gets a 400 on the request's param, as the
// upstream would answer.
func byRequest(by string) bool { return by == "request" || by == ByRefusal }

// noCandidates is the error when nothing survived: 503 when health
// excluded a deployment that would otherwise serve, else 422 when the
// caller's own cap excluded one, else 400 when only what the request
// carries excluded them, else 422 (the route's ceilings).
func (d *decision) noCandidates(pin *Deployment) *llm.Error {
	rejected := d.plan.Explanation.Rejected
	var health, caller, request int
	for i := range rejected {
		switch by := rejected[i].By; {
		case by == "health":
			health++
		case strings.HasPrefix(by, "x-"):
			caller++
		case byRequest(by):
			request++
		}
	}
	var b strings.Builder
	switch {
	case pin != nil && d.in.Overrides.NoFallback:
		b.WriteString("pinned deployment " + pin.Name + " cannot serve this request and fallback is disabled (" + HeaderFallback + ": none): ")
	case d.r != nil:
		b.WriteString("no deployment of route " + d.r.name + " can serve this request")
		if d.plan.Explanation.Category != "" {
			b.WriteString(" (category " + string(d.plan.Explanation.Category) + ", policy " + d.ps.name + ")")
		}
		b.WriteString(": ")
	default:
		b.WriteString("no deployment can serve this request: ")
	}
	for i := range rejected {
		if i == maxListed {
			b.WriteString("; and " + strconv.Itoa(len(rejected)-maxListed) + " more (POST /v1/route explains all)")
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(rejected[i].Deployment + " " + rejected[i].Detail())
	}
	var e *llm.Error
	switch {
	case health > 0:
		e = llm.Errorf(llm.KindUnavailable, "%s", b.String())
		e.RetryAfter = soonestBack(rejected)
	case caller > 0:
		e = llm.Errorf(llm.KindUnprocessable, "%s; raise or remove the header", b.String())
		for i := range rejected {
			if strings.HasPrefix(rejected[i].By, "x-") {
				e.Param = rejected[i].By
				break
			}
		}
	case request == len(rejected):
		e = llm.Errorf(llm.KindInvalidRequest, "%s; pick a model that does (GET /v1/models)", b.String())
		e.Param = sharedParam(rejected)
	default:
		e = llm.Errorf(llm.KindUnprocessable, "%s", b.String())
	}
	e.Code = "no_candidate"
	if largest, ok := largestWindow(rejected); ok {
		tooLong(e, rejected[0].Got, largest)
	}
	return e
}

// soonestBack is the shortest known wait before a deployment rejected by
// health takes traffic again, zero when none is known: the Retry-After
// of the 503, which the SDKs wait before they retry.
func soonestBack(rejected []Rejection) time.Duration {
	var soonest time.Duration
	for i := range rejected {
		if w := rejected[i].RetryIn; rejected[i].By == "health" && w > 0 && (soonest == 0 || w < soonest) {
			soonest = w
		}
	}
	return soonest
}

// capabilityParam is the request parameter that needs capability c, for
// the error's param, when one parameter alone asks for it: "logprobs"; ""
// for the others (tools, images and JSON modes are asked for in several
// places).
func capabilityParam(c llm.Capability) string {
	if c == llm.CapLogprobs {
		return "logprobs"
	}
	return ""
}

// rejectionParam is the request parameter a rejection for what the
// request carries is about: capabilityParam's, "stop" for too many stop
// sequences, "max_tokens" for more than a model writes, "n" for too many
// choices, "temperature" for one above the
// range, "modalities" for audio, "inference_geo" for US-only inference,
// "reasoning_effort" for function tools at an effort refused, "file_id"
// for a file by an id no deployment of that kind resolves, "file_data"
// for a file other than a PDF by its bytes none takes; "" when none
// alone is.
func rejectionParam(r *Rejection) string {
	switch r.Reason {
	case ReasonFileID:
		return "file_id"
	case ReasonStopSequences, ReasonBlankStop:
		return "stop"
	case ReasonMaxOutput:
		return "max_tokens"
	case ReasonChoices:
		return "n"
	case ReasonTemperature:
		return "temperature"
	case ReasonAudio:
		return "modalities"
	case ReasonInferenceGeo:
		return "inference_geo"
	case ReasonParam, ReasonHostedTools, ReasonWebSearchModel, ReasonToolsEffort, ReasonOtherParts:
		return r.Param
	}
	return capabilityParam(r.Capability)
}

// sharedParam is the rejectionParam of every rejection, when they all
// have the same; "" otherwise.
// largestWindow returns the largest context window of the candidates
// when every one was rejected because the prompt does not fit it.
func largestWindow(rejected []Rejection) (float64, bool) {
	largest := 0.0
	for i := range rejected {
		if rejected[i].Reason != ReasonContextWindow {
			return 0, false
		}
		largest = max(largest, rejected[i].Limit)
	}
	return largest, len(rejected) > 0
}

// tooLong makes e the error an upstream's own overflow is (dispatch's
// contextError): code context_length_exceeded on messages, the OpenAI
// SDKs' cue, and a message begun as Anthropic words it, "prompt is too
// long: N tokens > M maximum", which agents built on the Anthropic SDKs
// (Claude Code) parse to compact the conversation and retry.
func tooLong(e *llm.Error, prompt, window float64) {
	e.Code, e.Param = llm.CodeContextLength, "messages"
	e.Message = fmt.Sprintf("prompt is too long: %.0f tokens > %.0f maximum: %s", prompt, window, e.Message)
}

func sharedParam(rejected []Rejection) string {
	if len(rejected) == 0 {
		return ""
	}
	p := rejectionParam(&rejected[0])
	for i := range rejected {
		if rejectionParam(&rejected[i]) != p {
			return ""
		}
	}
	return p
}
