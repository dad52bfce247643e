package openai

import (
	"strings"

	"switchyard/llm"
)

// Google's OpenAI compatibility endpoint (generativelanguage.googleapis.com
// /v1beta/openai, and Vertex AI's /endpoints/openapi) returns a Gemini
// thinking model's thought signature (its reasoning, encrypted; the
// native API's thoughtSignature) on the tool calls it makes, as
//
//	"tool_calls": [{"id": …, "type": "function", "function": {…},
//	  "extra_content": {"google": {"thought_signature": "<signature>"}}}]
//
// (on the first call of a step, complete and on the streamed call's first
// delta; ai.google.dev/gemini-api/docs/thought-signatures, "OpenAI
// compatibility"), and Gemini 3 refuses a later request whose current
// turn's call comes back without it: 400 [{"error": {"code": 400,
// "message": "Function call is missing a thought_signature in
// functionCall parts. …", "status": "INVALID_ARGUMENT"}}] (peers:
// securo-finance/securo#884, lbjlaq/Antigravity-Manager#1513,
// manthanabc/paws#103). Google documents the same sentinel as for its
// native API, "skip_thought_signature_validator", for a call whose
// signature is unknown (another model's, or one a client dropped).
//
// The codec reads the signature into llm.ToolCall.Signature (and
// ToolCallDelta.Signature) wherever a tool call is read: an upstream's
// answer and stream, and a client's assistant message (a client written
// for Google's endpoint sends it back). It writes it back to a client on
// every call that has one (OpenAI's SDKs ignore a member they do not know
// and keep it in their raw JSON), and to an upstream only when asked
// (ChatOptions.ThoughtSignatures): OpenAI's API refuses members it does
// not know. A client's copy carries beside it the model that made it
// (llm.ToolCall.SignatureModel) as extra_content.switchyard
// .signature_model, read back from the client's assistant message: the
// signature stays bound to its model (llm.ToolCall.SignatureFor) as the
// router's own are. The mark only narrows where the signature goes, so a
// client that alters it harms no one but its own request; an upstream is
// never sent it.

// The members that carry a thought signature.
const (
	keyExtraContent     = "extra_content"
	keyGoogle           = "google"
	keyThoughtSignature = "thought_signature"
	// The router's mark of the model that made a signature it wrote to a
	// client: extra_content.switchyard.signature_model.
	keySwitchyard     = "switchyard"
	keySignatureModel = "signature_model"
)

// readExtraContent reads a tool call's extra_content, keeping
// google.thought_signature in sig and, when model is not nil, the
// router's switchyard.signature_model mark in model; other members, and
// values that are not the shapes expected, are skipped.
func readExtraContent(s *scanner, sig, model *string) error {
	if s.peek() != '{' {
		return s.skip()
	}
	return s.object(func(key []byte) error {
		var want, into = keyThoughtSignature, sig
		switch {
		case string(key) == keySwitchyard && model != nil:
			want, into = keySignatureModel, model
		case string(key) != keyGoogle:
			return s.skip()
		}
		if s.peek() != '{' {
			return s.skip()
		}
		return s.object(func(key []byte) error {
			if string(key) != want || s.peek() != '"' {
				return s.skip()
			}
			v, err := s.str()
			if into == model {
				v = llm.SignatureModelID(v) // as SignatureFor compares it
			}
			*into = v
			return err
		})
	})
}

// appendExtraContent writes a tool call's extra_content member holding
// sig as its google.thought_signature and, when model is not "", the
// mark of the model that made it (a client's copy: signatureMark).
func appendExtraContent(dst []byte, sig, model string) []byte {
	dst = append(dst, `,"extra_content":{"google":{"thought_signature":`...)
	dst = appendString(dst, sig)
	dst = append(dst, '}')
	if model != "" {
		dst = append(dst, `,"switchyard":{"signature_model":`...)
		dst = appendString(dst, model)
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// signatureMark is the model a call's signature is marked with where
// sigs writes it: its SignatureModel for a client (sigs.model "", so that
// the signature comes back bound to its model), none for an upstream.
func signatureMark(c *llm.ToolCall, sigs callSignatures) string {
	if sigs.model != "" {
		return ""
	}
	return c.SignatureModel
}

// GeminiSignsCalls reports whether model (with or without a host's
// "vendor/" or "models/" prefix, in any case) is a Gemini model from
// Gemini 3 on, which refuses a current-turn function call without its
// thought signature.
func GeminiSignsCalls(model string) bool {
	m, ok := strings.CutPrefix(modelID(model), "gemini-")
	if !ok || m == "" || m[0] < '0' || m[0] > '9' {
		return false
	}
	major, _, _ := strings.Cut(m, "-")
	major, _, _ = strings.Cut(major, ".")
	return len(major) > 1 || major[0] >= '3'
}

// signatureMode is what appendToolCalls writes of the calls' thought
// signatures.
type signatureMode uint8

const (
	// modeNone writes none (an upstream that does not take them).
	modeNone signatureMode = iota
	// modeKept writes each call's own, when it has one (a client; an
	// upstream that takes them but does not require them).
	modeKept
	// modeRequired writes each call's own, and the sentinel on the
	// first call of a message when it has none (Gemini 3 and later).
	modeRequired
)

// callSignatures is what appendToolCalls writes of the calls' thought
// signatures, and for which model: a call's signature another model
// made (llm.ToolCall.SignatureFor) is written as none.
type callSignatures struct {
	mode  signatureMode
	model string // "": any model's (a client is sent each call's own)
}

var signaturesKept = callSignatures{mode: modeKept}

// signaturesFor returns what a request for model is sent of its calls'
// signatures when o asks for them.
func signaturesFor(model string, o ChatOptions) callSignatures {
	switch {
	case !o.ThoughtSignatures:
		return callSignatures{}
	case GeminiSignsCalls(model):
		return callSignatures{modeRequired, model}
	}
	return callSignatures{modeKept, model}
}

// signatureOf returns the signature call j of a message is written with
// under sigs, "" for none.
func signatureOf(c *llm.ToolCall, j int, sigs callSignatures) string {
	sig := c.Signature
	if sigs.model != "" {
		sig = c.SignatureFor(sigs.model)
	}
	switch {
	case sigs.mode == modeNone:
		return ""
	case sig != "":
		return sig
	case sigs.mode == modeRequired && j == 0:
		return llm.SkipThoughtSignature
	}
	return ""
}
