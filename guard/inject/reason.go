package inject

import "strings"

// Reason is a set of reasons a text scored as an attack. The zero value
// is no reason.
type Reason uint16

// The reasons. Each names a family of signals; String lists them.
const (
	// ReasonOverride: an order to ignore or replace earlier instructions
	// ("ignore previous instructions", "from now on your rules are…").
	ReasonOverride Reason = 1 << iota
	// ReasonJailbreak: a persona or mode without rules (DAN, developer
	// mode, "stay in character", "no restrictions").
	ReasonJailbreak
	// ReasonExtraction: a request for the system prompt or the
	// instructions ("repeat the text above", "what were you told").
	ReasonExtraction
	// ReasonSecret: a request for a secret, or for what the system prompt
	// says must not be shared or discussed.
	ReasonSecret
	// ReasonObfuscation: attack words disguised (base64, hex, rot13,
	// leetspeak, look-alike letters, invisible characters, spaced
	// letters) or a request to encode or decode.
	ReasonObfuscation
	// ReasonDataInstruction: instructions addressed to the model inside
	// data (a tool result): "in your response…", an imperative or a
	// question where a document should only inform.
	ReasonDataInstruction
	// ReasonRoleTag: fake conversation markup ("System:", "<|im_start|>",
	// "[INST]", a scripted Q:/A: dialogue).
	ReasonRoleTag
	// ReasonAuthority: a claimed authority ("I am your developer",
	// "security audit", "maintenance mode").
	ReasonAuthority
	// ReasonRepetition: a word or phrase repeated to derail the model.
	ReasonRepetition
	// ReasonExfiltration: a Markdown image or link to an outside URL in a
	// prompt (the model is asked to render it).
	ReasonExfiltration
	// ReasonLearned: the learned model's word patterns, with no
	// hand-written signal strong enough to name.
	ReasonLearned
)

var reasonNames = []string{
	"instruction_override", "jailbreak", "system_prompt_extraction", "secret_request", "obfuscation",
	"instruction_in_data", "role_tag", "authority_claim", "repetition", "exfiltration_link", "learned_pattern",
}

// String lists the reasons, comma-separated, in the order of the
// constants ("" for none).
func (r Reason) String() string {
	if r == 0 {
		return ""
	}
	var b strings.Builder
	for i, n := range reasonNames {
		if r&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(n)
		}
	}
	return b.String()
}

// Names returns the names of the reasons, in the order of the constants.
func (r Reason) Names() []string {
	var out []string
	for i, n := range reasonNames {
		if r&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}
