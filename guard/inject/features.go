package inject

// The hand-written features: signals a person who knows the attack
// families would look for, each a count in a window of words (or a value
// of the whole segment). Their weights start from the prior below (the
// author's judgment, per channel) and training moves them only as far as
// the data asks (an L2 penalty pulls them back to the prior), so a signal
// no training family shows keeps its prior weight and still fires on an
// unseen family.

// feature indexes the hand-written features.
type feature uint8

const (
	fOverrideInstr  feature = iota // ignore/forget … instructions/rules/told
	fOverrideWeak                  // ignore/forget … previous/all/above
	fNewInstr                      // new instructions, from now on
	fExtract                       // show/repeat/what are … your/system … instructions/prompt
	fSysPrompt                     // "system prompt", "initial instructions" mentioned
	fSecretAsk                     // a secret asked for (what is the password)
	fPersona                       // DAN, jailbreak, unfiltered…
	fDoAnything                    // "do anything now", "can do anything"
	fMode                          // developer mode, maintenance mode
	fRoleplay                      // act as, pretend to be, stay in character, you are now
	fUnrestricted                  // no restrictions, without filters, free of rules
	fAuthority                     // I am your developer, security audit
	fRoleTag                       // <system>, [INST], <|im_start|>
	fDialogue                      // Q:/A:, "System:" or "Assistant:" at a line start
	fAddressOutput                 // your response / answer / reply / code (data only)
	fAIWord                        // AI, assistant, language model (data only)
	fImperative                    // a sentence opening with an imperative verb (data only)
	fQuestionSent                  // a question (data only)
	fEncodeReq                     // base64, rot13, decode, cipher…
	fObfuscatedWord                // an attack word disguised (rot13, leet, homoglyph…)
	fObfuscatedText                // invisible or tag characters, look-alike letters anywhere
	fDecodedPayload                // a readable payload decoded from base64, hex, %-escapes
	fDecodedHit                    // an attack signal inside a decoded payload
	fHypothetical                  // imagine, suppose, hypothetically
	fSecretWord                    // password, secret…
	fRepetition                    // a word repeated many times in a row
	fMarkdownImage                 // ![…](http…) in the input
	fSysSecret                     // the system prompt guards a secret the user mentions
	fSysOverlap                    // the user's words overlap what the system prompt forbids
	fOffTopic                      // a question or an order in data, about nothing else the data is about (data only)
	fMention                       // a strong signal inside quotation marks: an attack mentioned, or smuggled in quotes
	fTransform                     // a secret, the instructions or guarded data asked for in another form (reversed, spelled, as a poem…)
	numFeatures
)

// featureInfo is a feature's reason and prior weights (log-odds per count,
// prompt channel and data channel).
type featureInfo struct {
	name   string
	reason Reason
	prior  [numChannels]float32
	cap    float32 // counts above it count as it
	// fixed keeps the weight at its prior: the public attack sets use the
	// word far more than benign prompts do (most of them ask for a
	// password), so a learned weight would flag every question about
	// passwords; what makes such a question an attack is the context,
	// which fSysSecret weighs.
	fixed bool
}

var features = [numFeatures]featureInfo{
	fOverrideInstr:  {"override_instructions", ReasonOverride, [2]float32{4.0, 4.5}, 2, false},
	fOverrideWeak:   {"override_previous", ReasonOverride, [2]float32{1.5, 2.5}, 2, false},
	fNewInstr:       {"new_instructions", ReasonOverride, [2]float32{1.0, 2.0}, 2, false},
	fExtract:        {"extract_instructions", ReasonExtraction, [2]float32{3.5, 3.5}, 2, false},
	fSysPrompt:      {"system_prompt_mention", ReasonExtraction, [2]float32{1.0, 1.5}, 2, false},
	fSecretAsk:      {"secret_request", ReasonSecret, [2]float32{1.0, 1.5}, 2, false},
	fPersona:        {"jailbreak_persona", ReasonJailbreak, [2]float32{1.5, 2.0}, 3, false},
	fDoAnything:     {"do_anything", ReasonJailbreak, [2]float32{3.0, 3.0}, 1, false},
	fMode:           {"special_mode", ReasonJailbreak, [2]float32{2.0, 2.5}, 2, false},
	fRoleplay:       {"role_play", ReasonJailbreak, [2]float32{0.8, 1.5}, 2, true},
	fUnrestricted:   {"no_restrictions", ReasonJailbreak, [2]float32{2.0, 2.5}, 2, false},
	fAuthority:      {"authority_claim", ReasonAuthority, [2]float32{0.8, 1.5}, 2, true},
	fRoleTag:        {"role_tag", ReasonRoleTag, [2]float32{1.5, 2.5}, 2, false},
	fDialogue:       {"scripted_dialogue", ReasonRoleTag, [2]float32{0.3, 0.5}, 6, false},
	fAddressOutput:  {"addresses_output", ReasonDataInstruction, [2]float32{0, 3.0}, 2, false},
	fAIWord:         {"addresses_ai", ReasonDataInstruction, [2]float32{0, 1.5}, 2, false},
	fImperative:     {"imperative", ReasonDataInstruction, [2]float32{0.0, 0.8}, 2, true},
	fQuestionSent:   {"question", ReasonDataInstruction, [2]float32{0.0, 0.8}, 2, true},
	fEncodeReq:      {"encoding_request", ReasonObfuscation, [2]float32{0.3, 0.6}, 2, false},
	fObfuscatedWord: {"disguised_attack_word", ReasonObfuscation, [2]float32{2.5, 3.0}, 3, false},
	fObfuscatedText: {"invisible_or_lookalike", ReasonObfuscation, [2]float32{1.0, 1.5}, 1, false},
	fDecodedPayload: {"encoded_payload", ReasonObfuscation, [2]float32{0.8, 1.0}, 1, false},
	fDecodedHit:     {"attack_in_encoded_payload", ReasonObfuscation, [2]float32{3.0, 3.0}, 2, false},
	fHypothetical:   {"hypothetical_frame", ReasonJailbreak, [2]float32{0.3, 0.5}, 2, true},
	fSecretWord:     {"secret_word", ReasonSecret, [2]float32{0.3, 0.5}, 2, true},
	fRepetition:     {"repetition", ReasonRepetition, [2]float32{2.0, 2.0}, 1, false},
	fMarkdownImage:  {"markdown_image", ReasonExfiltration, [2]float32{1.0, 2.0}, 2, false},
	fSysSecret:      {"guarded_secret_asked", ReasonSecret, [2]float32{4.0, 2.5}, 1, false},
	fSysOverlap:     {"forbidden_topic", ReasonSecret, [2]float32{4.0, 2.0}, 1, false},
	fOffTopic:       {"off_topic_instruction", ReasonDataInstruction, [2]float32{0, 3.5}, 2, true},
	fMention:        {"quoted_attack_words", ReasonOverride, [2]float32{1.0, 2.0}, 2, false},
	fTransform:      {"transformed_secret", ReasonSecret, [2]float32{1.5, 1.5}, 2, false},
}

// FeatureNames lists the hand-written features' names, in index order
// (the trainer's report and the model file use them).
func FeatureNames() []string {
	out := make([]string, numFeatures)
	for i := range features {
		out[i] = features[i].name
	}
	return out
}

// event is a hand-written feature seen at a word.
type event struct {
	pos int32
	f   feature
}
