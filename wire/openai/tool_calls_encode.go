package openai

import "switchyard/llm"

// appendToolCalls writes calls, with their thought signatures as sigs
// says (thought_signature.go).
func appendToolCalls(dst []byte, calls []llm.ToolCall, sigs callSignatures) []byte {
	dst = append(dst, '[')
	for i := range calls {
		c := &calls[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		if c.Type == llm.ToolCustom {
			dst = appendCustomCall(dst, c)
			continue
		}
		dst = append(dst, `{"id":`...)
		dst = appendString(dst, c.ID)
		dst = append(dst, `,"type":`...)
		dst = appendString(dst, orFunction(c.Type))
		dst = append(dst, `,"function":{"name":`...)
		dst = appendString(dst, c.Name)
		dst = append(dst, `,"arguments":`...)
		dst = appendString(dst, c.Arguments)
		dst = append(dst, '}')
		if sig := signatureOf(c, i, sigs); sig != "" {
			dst = appendExtraContent(dst, sig, signatureMark(c, sigs))
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

func orFunction(t string) string {
	if t == "" {
		return "function"
	}
	return t
}
