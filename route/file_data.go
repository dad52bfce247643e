package route

// takesFileData reports whether dep takes a file other than a PDF by its
// bytes (NeedFileData): OpenAI's Responses API reads text, code,
// documents and spreadsheets (docs "File inputs"), Azure's documents PDFs
// alone; Chat Completions (OpenAI's, Azure's, a compatible host's
// called so) reads PDFs alone ("Expected a base64-encoded data URL with
// an application/pdf MIME type"); Gemini's adapter maps it.
func takesFileData(dep *Deployment, resp bool) bool {
	if resp {
		return dep.responsesFiles
	}
	return dep.otherParts && !dep.openAI
}

// otherPartsParam is the parameter a content_parts rejection is about:
// "file_data" when a file other than a PDF by its bytes is why (no other
// part is refused before it, as carriedCheck orders them), else "".
func otherPartsParam(dep *Deployment, f *Features) string {
	if f.Needs&NeedOtherParts != 0 && (!dep.otherParts || callsResponses(dep, f)) {
		return ""
	}
	return "file_data"
}
