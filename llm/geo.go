package llm

// InferenceGeo is a geography where a model's inference runs: what a
// request requires (Request.InferenceGeo, Anthropic's inference_geo) and
// what a deployment is configured to keep to (Deployment.InferenceGeo).
// The empty value means unset: anywhere, as GeoGlobal.
type InferenceGeo string

// The inference geographies, in Anthropic's words.
const (
	// GeoGlobal lets inference run in any geography (Anthropic's
	// default).
	GeoGlobal InferenceGeo = "global"
	// GeoUS keeps inference on US infrastructure only.
	GeoUS InferenceGeo = "us"
)

// USInferenceMultiplier is what US-only inference multiplies every token
// price of a Claude API deployment by (input, output, cache writes and
// cache reads): Anthropic's data-residency pricing, 1.1x, on Claude Opus
// 4.6, Sonnet 4.6 and later models (the only ones that take
// inference_geo).
const USInferenceMultiplier = 1.1

// GeoFactor is what d's token prices are multiplied by for inference in
// geography g: USInferenceFactor for GeoUS when d has one, else 1.
func (d *Deployment) GeoFactor(g InferenceGeo) float64 {
	if g == GeoUS && d.USInferenceFactor > 0 {
		return d.USInferenceFactor
	}
	return 1
}
