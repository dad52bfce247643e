package llm

// Token overheads of a chat request, after OpenAI's documented accounting
// (the cookbook's counting); every estimator of a prompt's size uses them
// through PromptTokens.
const (
	// TokensPerMessage is a message's role and separators.
	TokensPerMessage = 4
	// TokensReplyPriming is the assistant reply's priming.
	TokensReplyPriming = 3
	// TokensImageLow is an image at detail "low"; TokensImage one at
	// "auto" or "high" (a 1024×1024 image's tiles).
	TokensImageLow = 85
	TokensImage    = 765
	// TokensURLDocument is a document the upstream fetches by URL, unseen
	// here: one page, at the low end of Anthropic's 1,500–3,000 tokens a
	// page.
	TokensURLDocument = 1500
	// TokensPerTool is a tool definition's framing; TokensPerToolCall a
	// tool call's.
	TokensPerTool     = 8
	TokensPerToolCall = 3
)

// PromptTokens estimates the prompt tokens of req — every message's text,
// name and refusal, images, documents, tool calls and tool definitions,
// plus the chat format's overheads — counting each text with text: the
// classifier passes its byte-class estimate (no tokenizer on the hot
// path), package cost a real tokenizer. A part of a kind not modeled here,
// a provider block (Message.Blocks) and a server tool's declaration count
// as their raw bytes, a quarter of their length.
func PromptTokens(req *Request, text func(string) int) int {
	n := TokensReplyPriming
	for i := range req.Messages {
		m := &req.Messages[i]
		n += TokensPerMessage + text(m.Name()) + text(m.Refusal())
		for j := range m.Content {
			n += partTokens(&m.Content[j], text)
		}
		for _, tc := range m.ToolCalls() {
			n += TokensPerToolCall + text(tc.Name) + text(tc.Arguments)
		}
		for _, b := range m.Blocks() {
			n += (len(b.Raw) + 3) / 4
		}
		for _, b := range m.Hosted() {
			n += (len(b.Raw) + 3) / 4
		}
	}
	for _, t := range req.Tools {
		n += TokensPerTool + text(t.Name) + text(t.Description) + (len(t.Parameters)+3)/4
		if t.Anthropic != nil {
			n += (len(t.Anthropic.Server) + 3) / 4
		}
	}
	if h := req.OpenAIHosted; h != nil {
		for _, t := range h.Tools {
			n += TokensPerTool + (len(t)+3)/4
		}
	}
	return n
}

// partTokens estimates one content part (see PromptTokens).
func partTokens(p *Part, text func(string) int) int {
	switch p.Type {
	case PartText:
		return text(p.Text)
	case PartImage:
		if p.ImageDetail() == "low" {
			return TokensImageLow
		}
		return TokensImage
	case PartDocument:
		if d := p.Document(); d != nil {
			return documentTokens(d, text)
		}
	}
	return (len(p.Raw()) + 3) / 4
}

// documentTokens estimates a document: its title and context, its text,
// its content's text and images, its bytes as a quarter of their length
// (a base64 PDF's), or, fetched by URL, TokensURLDocument.
func documentTokens(d *Document, text func(string) int) int {
	n := text(d.Title) + text(d.Context) + text(d.Text) + (len(d.Data)+3)/4
	if d.URL != "" {
		n += TokensURLDocument
	}
	for i := range d.Content {
		n += partTokens(&d.Content[i], text)
	}
	return n
}
