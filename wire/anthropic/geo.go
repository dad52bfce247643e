package anthropic

import (
	"switchyard/llm"
)

// The inference_geo values of a Messages request (data residency): where
// inference may run. Sources: platform.claude.com/docs/en/manage-claude/
// data-residency, docs.aws.amazon.com/claude-platform/latest/userguide/
// data-residency.html (read 2026-12-06).
const (
	GeoGlobal = "global" // the default: any geography
	GeoUS     = "us"     // US infrastructure only
)

// InferenceGeoToLLM is the canonical geography of a request's
// inference_geo: "" for none (null or absent), global or us. Another
// value is an *llm.Error of kind invalid_request naming inference_geo.
func InferenceGeoToLLM(geo string) (llm.InferenceGeo, error) {
	return enumToLLM("inference_geo", geo, enumValue[llm.InferenceGeo]{GeoGlobal, llm.GeoGlobal}, enumValue[llm.InferenceGeo]{GeoUS, llm.GeoUS})
}

// TakesInferenceGeo reports whether a Claude API deployment of the model
// id takes inference_geo: Claude Opus 4.6, Sonnet 4.6 and every later
// model (Traits.InferenceGeo); Anthropic refuses the field from the
// older ones with a 400. An id in Amazon Bedrock's or Google Cloud's
// style (a platform prefix ending in a dot, a version after '@' or ':')
// names a model on those platforms, where the endpoint's region decides
// and the field does not apply: false.
func TakesInferenceGeo(model string) bool {
	return onClaudeAPI(model) && ModelTraits(model).InferenceGeo
}
