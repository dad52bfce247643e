package anthropic

import (
	"maps"
	"strings"
	"sync"
	"sync/atomic"

	"switchyard/llm"
)

// This file is the table of what each Claude model takes of a Messages
// request, by its id. The generation 5 models refuse with a 400 shapes
// that generation 4 took (thinking disabled or with a budget, sampling
// fields, a forced tool choice, a prefill), so FromLLM and the simulator
// read the model's row rather than guessing by version. Sources, read
// 2026-12-06 (docs/providers.md has the table in words):
//   - platform.claude.com/docs/en/models/opus-5-5/whats-new-opus-5-5
//   - …/models/sonnet-5-5/whats-new-sonnet-5-5 and …/sonnet-5-5/migration-guide
//   - …/models/fable-5-1/whats-new-fable-5-1, …/fable-5-2/whats-new-fable-5-2
//   - …/models/haiku-5-5/whats-new-haiku-5-5, …/sonnet-5/migration-guide
//   - …/models/opus-5/whats-new-opus-5
//   - …/manage-claude/data-residency (inference_geo: Opus 4.6, Sonnet 4.6
//     and later)

// Disable is how a model takes thinking {"type": "disabled"}.
type Disable uint8

// The ways a model takes thinking disabled.
const (
	// DisableAlways: disabled is taken at any effort.
	DisableAlways Disable = iota
	// DisableUpToHigh: disabled is taken at effort high or below, and
	// refused at xhigh and max (Opus 5, Haiku 5.5).
	DisableUpToHigh
	// DisableNever: thinking cannot be turned off (Opus 5.5, the Fable
	// and Mythos models); Sonnet 5.5 turns up-front thinking off with
	// between_tools instead.
	DisableNever
)

// Traits is what a Claude model takes of a Messages request. The zero
// value is a model older than extended thinking, which takes every
// sampling field, forced tool use and a prefill.
type Traits struct {
	// Family is opus, sonnet, haiku, fable or mythos; "" for an id that
	// is not a Claude model's.
	Family string
	// Version is major*100+minor: 405 for Sonnet 4.5, 500 for Opus 5.
	Version int
	// Thinks: the model has extended thinking.
	Thinks bool
	// Budget: thinking type enabled with budget_tokens is taken.
	Budget bool
	// Adaptive: thinking type adaptive is taken.
	Adaptive bool
	// BetweenTools: thinking type between_tools is taken, at effort
	// low, medium and high (Sonnet 5.5).
	BetweenTools bool
	// Disable is how thinking disabled is taken.
	Disable Disable
	// ThinksByDefault: a request without thinking thinks adaptively
	// (every model of generation 5); earlier ones then do not think.
	ThinksByDefault bool
	// NoSampling: a non-default temperature, top_p or top_k is refused
	// (Opus 4.7 and every model since).
	NoSampling bool
	// OneSampler: temperature and top_p together are refused ("`temperature`
	// and `top_p` cannot both be specified for this model. Please use only
	// one."): Opus 4.1, Sonnet and Haiku 4.5, Opus 4.5, Opus and Sonnet 4.6
	// (peers' issue threads: open-webui/pipelines#546, langfuse#9882,
	// ChatterUI#564, MCP-Universe#49); from Opus 4.7 NoSampling refuses
	// either.
	OneSampler bool
	// NoForcedTool: tool_choice any and tool are refused (Opus 5.5,
	// Sonnet 5.5, Fable and Mythos 5.1 and later).
	NoForcedTool bool
	// NoPrefill: a final assistant turn is refused (Sonnet 4.6 and the
	// models of generation 5).
	NoPrefill bool
	// Efforts are the output_config.effort levels taken, weakest first;
	// nil when the field is refused.
	Efforts []llm.Effort
	// DefaultEffort is the effort of a request that sets none; "" when
	// the model takes none.
	DefaultEffort llm.Effort
	// InferenceGeo: inference_geo (data residency) is taken on the
	// Claude API (Opus 4.6, Sonnet 4.6 and every later model); the older
	// models refuse it with a 400 (see TakesInferenceGeo).
	InferenceGeo bool
	// PerTurnEffort: a system message of messages may carry its own
	// output_config.effort under PerTurnControlBeta (per_turn.go): Haiku,
	// Sonnet and Opus 5.5, Fable 5.1 and 5.2, Mythos 5.2.
	PerTurnEffort bool
	// Fast is the multiplier of the model's fast mode (speed "fast") over
	// its standard prices; zero when it has none (fast.go has the models
	// and the sources).
	Fast float64
}

// The rows of the table, one per model that changed what it takes; a
// model between two rows takes what the older one does.
var (
	legacy   = Traits{Thinks: true, Budget: true}                                                                          // 3.7 Sonnet, Claude 4
	legacy41 = Traits{Thinks: true, Budget: true, OneSampler: true}                                                        // Opus 4.1, Sonnet 4.5, Haiku 4.5
	opus45   = Traits{Thinks: true, Budget: true, OneSampler: true, Efforts: effortsOpus45, DefaultEffort: llm.EffortHigh} // Opus 4.5
	sonnet46 = Traits{Thinks: true, Budget: true, OneSampler: true, Adaptive: true, NoPrefill: true, Efforts: efforts46, DefaultEffort: llm.EffortHigh, InferenceGeo: true}
	opus46   = Traits{Thinks: true, Budget: true, OneSampler: true, Adaptive: true, Efforts: efforts46, DefaultEffort: llm.EffortHigh, InferenceGeo: true}
	opus47   = Traits{Thinks: true, Adaptive: true, NoSampling: true, Efforts: effortsAll, DefaultEffort: llm.EffortHigh, InferenceGeo: true} // Opus 4.7, 4.8
	// gen5 is what every model of generation 5 shares: adaptive thinking
	// on by default, no budget, no sampling fields, no prefill.
	gen5     = Traits{Thinks: true, Adaptive: true, ThinksByDefault: true, NoSampling: true, NoPrefill: true, Efforts: effortsAll, DefaultEffort: llm.EffortHigh, InferenceGeo: true}
	sonnet5  = gen5
	sonnet55 = with(gen5, func(t *Traits) {
		t.BetweenTools, t.Disable, t.NoForcedTool, t.PerTurnEffort = true, DisableNever, true, true
	})
	opus5  = with(gen5, func(t *Traits) { t.Disable = DisableUpToHigh })
	opus55 = with(gen5, func(t *Traits) {
		t.Disable, t.NoForcedTool, t.DefaultEffort, t.PerTurnEffort = DisableNever, true, llm.EffortMedium, true
	})
	haiku55  = with(gen5, func(t *Traits) { t.Disable, t.DefaultEffort, t.PerTurnEffort = DisableUpToHigh, llm.EffortMedium, true })
	fable5   = with(gen5, func(t *Traits) { t.Disable = DisableNever })
	fable51  = with(fable5, func(t *Traits) { t.NoForcedTool, t.PerTurnEffort = true, true }) // Fable 5.1 and 5.2
	mythos51 = with(fable5, func(t *Traits) { t.NoForcedTool = true })
)

func with(t Traits, f func(*Traits)) Traits {
	f(&t)
	return t
}

// modelRows lists each family's rows, oldest first.
var modelRows = map[string][]struct {
	v int
	t Traits
}{
	"opus":   {{400, legacy}, {401, legacy41}, {405, opus45}, {406, opus46}, {407, opus47}, {500, opus5}, {505, opus55}},
	"sonnet": {{307, legacy}, {400, legacy}, {405, legacy41}, {406, sonnet46}, {500, sonnet5}, {505, sonnet55}},
	"haiku":  {{405, legacy41}, {505, haiku55}},
	"fable":  {{500, fable5}, {501, fable51}},
	"mythos": {{500, fable5}, {501, mythos51}, {502, fable51}},
}

// ModelTraits returns what the Claude model of an id takes. Ids are read
// in Anthropic's styles (claude-opus-5-5, claude-fable-5-2,
// claude-sonnet-4-5-20250929, claude-3-7-sonnet-20250219), with Amazon
// Bedrock's prefix and suffix (us.anthropic.claude-opus-5-5-v1:0) and
// Google Cloud's version (claude-opus-4-5@20251101). A version newer than
// the family's newest row takes that row's traits (claude-opus-6 is taken
// for Opus 5.5: a new model is likelier to keep the newest constraints
// than to drop them); one older than its oldest row, and an id that is
// not a Claude model's, get the zero Traits (Family "").
//
// Lookups are memoized (traitsMemo): a request's adapter, route and cost
// ask for the same deployment's model several times.
func ModelTraits(model string) Traits {
	if m := traitsMemo.Load(); m != nil {
		if t, ok := (*m)[model]; ok {
			return t
		}
	}
	t := modelTraits(model)
	rememberTraits(model, t)
	return t
}

// traitsMemo holds the traits of the ids read so far, replaced whole
// (copy on write) when one is added: reads take no lock and allocate
// nothing. The ids read are deployments' models, a handful; at most
// maxMemoTraits are kept, so ids from elsewhere cannot grow it without
// bound.
var (
	traitsMemo   atomic.Pointer[map[string]Traits]
	traitsMemoMu sync.Mutex
)

const maxMemoTraits = 256

// rememberTraits adds model's traits t to traitsMemo, unless it is full.
func rememberTraits(model string, t Traits) {
	traitsMemoMu.Lock()
	defer traitsMemoMu.Unlock()
	m := map[string]Traits{}
	if old := traitsMemo.Load(); old != nil {
		if len(*old) >= maxMemoTraits {
			return
		}
		m = maps.Clone(*old)
	}
	m[strings.Clone(model)] = t
	traitsMemo.Store(&m)
}

// modelTraits reads model's traits from its id (ModelTraits, unmemoized).
func modelTraits(model string) Traits {
	family, major, minor, ok := parseClaude(model)
	if !ok {
		return Traits{}
	}
	v := major*100 + minor
	var t Traits
	for _, r := range modelRows[family] {
		if r.v <= v {
			t = r.t
		}
	}
	t.Family, t.Version = family, v
	t.Fast = fastModes[fastKey{family, v}]
	return t
}

// TakesEffort reports whether the model takes output_config.effort e
// with thinking of type th ("" for none sent): a level it has, and with
// between_tools or disabled on a model that limits them, high or below.
func (t *Traits) TakesEffort(e llm.Effort, th string) bool {
	low := e == "" || e == llm.EffortLow || e == llm.EffortMedium || e == llm.EffortHigh
	switch th {
	case ThinkingBetweenTools:
		return t.BetweenTools && low
	case ThinkingDisabled:
		return t.Disable == DisableAlways || t.Disable == DisableUpToHigh && low
	}
	return true
}

// parseClaude reads a Claude model id: claude-FAMILY-MAJOR[-MINOR][-DATE]
// or claude-MAJOR[-MINOR]-FAMILY[-DATE], FAMILY one of opus, sonnet,
// haiku, fable and mythos (other words are skipped), in any case, after a
// platform's prefix ending in a dot and before a suffix after '@' or ':'.
// It does not allocate: it runs for every request.
func parseClaude(model string) (family string, major, minor int, ok bool) {
	s := model
	for i := 1; i+len("claude-") <= len(s); i++ {
		if s[i-1] == '.' && strings.EqualFold(s[i:i+len("claude-")], "claude-") {
			s = s[i:]
			break
		}
	}
	if i := strings.IndexAny(s, "@:"); i >= 0 {
		s = s[:i]
	}
	head, rest, _ := strings.Cut(s, "-")
	if !strings.EqualFold(head, "claude") || strings.Count(rest, "-") < 1 {
		return "", 0, 0, false
	}
	nums := 0
	for rest != "" {
		var p string
		p, rest, _ = strings.Cut(rest, "-")
		if f := familyWord(p); f != "" {
			family = f
		} else if n, isNum := smallNumber(p); isNum && nums < 2 {
			if nums == 0 {
				major = n
			} else {
				minor = n
			}
			nums++
		}
	}
	if family == "" || nums == 0 {
		return "", 0, 0, false
	}
	return family, major, minor, true
}

// familyWord is the Claude family p names, in lower case; "" for none.
func familyWord(p string) string {
	if len(p) < 4 {
		return ""
	}
	var f string
	switch p[0] | 0x20 { // ASCII lower case
	case 'o':
		f = "opus"
	case 's':
		f = "sonnet"
	case 'h':
		f = "haiku"
	case 'f':
		f = "fable"
	case 'm':
		f = "mythos"
	default:
		return ""
	}
	if !strings.EqualFold(p, f) {
		return ""
	}
	return f
}

// smallNumber reads p as a number of one or two digits.
func smallNumber(p string) (int, bool) {
	if len(p) == 0 || len(p) > 2 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return 0, false
		}
		n = n*10 + int(p[i]-'0')
	}
	return n, true
}
