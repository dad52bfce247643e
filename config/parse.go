package config

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"switchyard/llm"
)

// Parse decodes a switchyard.yaml document, expands ${VAR} and
// ${VAR:-default} in scalar values using getenv (nil means no variable is
// set), applies defaults and validates the result.
//
// On any mistake it returns a nil Config and an Errors listing every
// mistake found, each with its field path, line and column. Top-level keys
// starting with "x-" are ignored, to hold YAML anchors.
func Parse(data []byte, getenv func(string) (string, bool)) (*Config, error) {
	c, _, err := ParseText(data, ParseOptions{Getenv: getenv})
	return c, err
}

// ParseOptions tune ParseText. The zero value is Parse's.
type ParseOptions struct {
	// Path is the file the text is, or stands for (a configuration sent to
	// the admin API stands for the file the router runs): errors name it,
	// and learned model paths are relative to its directory. Empty means
	// neither.
	Path string
	// Getenv expands ${VAR}; nil means no variable is set.
	Getenv func(string) (string, bool)
	// Keep holds the secrets a masked value (Mask) stands for, by place:
	// the running configuration's (the Secrets ParseText returned for
	// it). Nil means a masked value is an error.
	Keep Secrets
	// Security, when not nil, is the security section in force — the one
	// of the file the router runs — for a text that does not come from
	// that file: the base URLs are checked against it, and it replaces
	// the section the text holds (which WrittenSecurity returns). Nil
	// means the text's own section applies.
	Security *Security
}

// ParseText is Parse with options. It also returns the secrets of the
// text as written (a masked one as the value it kept), which a later
// text's masks may keep.
func ParseText(data []byte, opts ParseOptions) (*Config, Secrets, error) {
	c, secrets, err := parseText(data, opts)
	if errs, ok := err.(Errors); ok && opts.Path != "" {
		for _, e := range errs {
			e.File = opts.Path
		}
	}
	if c != nil && opts.Path != "" {
		c.file = opts.Path
		c.resolveLearned(filepath.Dir(opts.Path))
		c.resolveDrift(filepath.Dir(opts.Path))
	}
	return c, secrets, err
}

func parseText(data []byte, opts ParseOptions) (*Config, Secrets, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	f, serr := parseYAML(data)
	if serr != nil {
		return nil, nil, Errors{serr}
	}
	d := newDecoder(getenv)
	d.keep = opts.Keep
	c := &Config{}
	if body := d.body(f); body != nil {
		d.collectAnchors(body)
		d.root(body, c)
	}
	errs := d.errs
	if c.securitySet {
		w := Security{UpstreamHosts: slices.Clone(c.Security.UpstreamHosts)}
		w.applyDefaults()
		c.written = &w
	}
	if opts.Security != nil {
		c.Security = Security{UpstreamHosts: slices.Clone(opts.Security.UpstreamHosts)}
	}
	if verr := c.Validate(); verr != nil {
		for _, e := range verr.(Errors) {
			if d.covered(e.Path) {
				continue
			}
			p := d.locate(e.Path)
			e.Line, e.Column = p.line, p.col
			d.redact(e)
			errs = append(errs, e)
		}
	}
	if err := dedupe(errs).orNil(); err != nil {
		return nil, nil, err
	}
	c.pos = d.pos
	secrets := make(Secrets, len(d.secrets))
	for _, r := range d.secrets {
		secrets[r.key] = r.raw
	}
	return c, secrets, nil
}

// parseYAML parses data to an AST, turning a syntax error (or a parser
// panic) into a FieldError. Only the parser's message is kept: its
// formatted form quotes source lines, which may hold secrets.
func parseYAML(data []byte) (f *ast.File, ferr *FieldError) {
	defer func() {
		if r := recover(); r != nil {
			f, ferr = nil, &FieldError{Problem: fmt.Sprintf("invalid YAML: parser failed: %v", r)}
		}
	}()
	data = trimBOM(data)
	if ferr := checkShape(data); ferr != nil {
		return nil, ferr
	}
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err == nil {
		return f, nil
	}
	ferr = &FieldError{Problem: "invalid YAML", Hint: "check the indentation, quoting and colons around this position"}
	if se, ok := err.(interface {
		GetMessage() string
		GetToken() *token.Token
	}); ok {
		ferr.Problem = "invalid YAML: " + strings.NewReplacer("\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(se.GetMessage())
		if tk := se.GetToken(); tk != nil && tk.Position != nil {
			ferr.Line, ferr.Column = tk.Position.Line, tk.Position.Column
		}
	}
	if flowVariable(data, ferr.Line) {
		ferr.Hint = `a ${VAR} inside a { … } or [ … ] must be quoted ("${VAR}"): its braces end the mapping; or write the mapping in block style, one key per line`
	}
	return nil, ferr
}

// flowVariable reports whether line (1-based) of data holds an unquoted
// ${ inside a flow mapping or sequence, whose braces YAML reads as the
// mapping's own: the likely cause of a syntax error there.
func flowVariable(data []byte, line int) bool {
	if line < 1 {
		return false
	}
	lines := bytes.Split(data, []byte("\n"))
	if line > len(lines) {
		return false
	}
	l := lines[line-1]
	i := bytes.Index(l, []byte("${"))
	return i > 0 && bytes.ContainsAny(l[:i], "{[") && !bytes.ContainsAny(l[i-1:i], `"'`)
}

// body returns the one document's content; nil for an empty file.
func (d *decoder) body(f *ast.File) ast.Node {
	var body ast.Node
	for _, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		switch doc.Body.(type) {
		case *ast.CommentNode, *ast.CommentGroupNode:
			continue
		}
		if body != nil {
			d.report("", doc.Body, "more than one YAML document in the file", "keep one; remove the --- separator")
			break
		}
		body = doc.Body
	}
	return body
}

// dedupe drops repeated errors at the same position, which anchors and merge
// keys can produce by decoding one node twice.
func dedupe(errs Errors) Errors {
	type key struct {
		line, col int
		problem   string
	}
	seen := map[key]bool{}
	out := errs[:0]
	for _, e := range errs {
		k := key{e.Line, e.Column, e.Problem}
		if e.Line > 0 && seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
}

func (d *decoder) root(n ast.Node, c *Config) {
	fields := []field{
		{"server", func(e entry) { d.server(e, &c.Server) }},
		{"auth", func(e entry) { d.auth(e, &c.Auth) }},
		{"providers", func(e entry) { d.providers(e, c) }},
		{"deployments", func(e entry) { d.deployments(e, c) }},
		{"routes", func(e entry) { d.routes(e, c) }},
		{"resilience", func(e entry) { d.resilience(e, &c.Resilience) }},
		{"store", func(e entry) { d.store(e, &c.Store) }},
		{"state", func(e entry) { d.state(e, &c.State) }},
		{"budgets", func(e entry) { c.Budgets = d.budgets(e) }},
		{"telemetry", func(e entry) { d.telemetry(e, &c.Telemetry) }},
		{"learn", func(e entry) { d.learn(e, &c.Learn) }},
		{"security", func(e entry) { c.securitySet = true; d.security(e, &c.Security) }},
		{"drift", func(e entry) { d.drift(e, &c.Drift) }},
		{"tenants", func(e entry) { d.tenants(e, c) }},
		{"audit", func(e entry) { d.audit(e, &c.Audit) }},
		{"notify", func(e entry) { d.notify(e, &c.Notify) }},
		{"responses", func(e entry) { d.responses(e, &c.Responses) }},
		{"batches", func(e entry) { d.batches(e, &c.Batches) }},
		{"cost", func(e entry) { d.cost(e, &c.Cost) }},
		{"thinking", func(e entry) { d.thinking(e, &c.Thinking) }},
		{"guard", func(e entry) {
			if g := d.guard(e); g != nil {
				c.Guard = *g
			}
		}},
	}
	d.saw("", fields)
	entries, ok := d.mapping(n, "")
	if !ok {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.key, "x-") {
			continue
		}
		if i := indexField(fields, e.key); i >= 0 {
			fields[i].set(e)
		} else {
			d.unknown("", e, fields)
		}
	}
}

func indexField(fields []field, name string) int {
	for i, f := range fields {
		if f.name == name {
			return i
		}
	}
	return -1
}

func (d *decoder) server(e entry, s *Server) {
	d.object(e.node, e.path, append([]field{
		{"addr", func(e entry) { d.str(e, &s.Addr) }},
		{"max_body_bytes", func(e entry) {
			d.integer(e, &s.MaxBodyBytes, true, "bytes, e.g. 10485760 for 10 MiB")
		}},
		{"request_timeout", func(e entry) { d.duration(e, &s.RequestTimeout, true) }},
		{"shutdown_timeout", func(e entry) { d.duration(e, &s.ShutdownTimeout, true) }},
		{"shutdown_delay", func(e entry) { d.duration(e, &s.ShutdownDelay, false) }},
		{"admin_listen", func(e entry) { d.str(e, &s.AdminListen) }},
		{"log_format", func(e entry) { d.str(e, &s.LogFormat) }},
		{"dashboard", func(e entry) { s.Dashboard = d.boolean(e) }},
		{"trusted_origins", func(e entry) { s.TrustedOrigins = d.origins(e) }},
		{"realtime", func(e entry) { d.object(e.node, e.path, d.realtimeFields(&s.Realtime)) }},
	}, d.serverLimitFields(s)...))
}

func (d *decoder) providers(e entry, c *Config) {
	entries, _ := d.mapping(e.node, e.path)
	c.Providers = make(map[string]*Provider, len(entries))
	for _, pe := range entries {
		p := &Provider{Name: pe.key}
		c.Providers[pe.key] = p
		d.object(pe.node, pe.path, []field{
			{"kind", func(e entry) { d.str(e, &p.Kind) }},
			{"base_url", func(e entry) { d.str(e, &p.BaseURL) }},
			{"api_key", func(e entry) { d.secretStr(e, "", &p.APIKey) }},
			{"api_version", func(e entry) { d.str(e, &p.APIVersion) }},
			{"headers", func(e entry) { p.Headers = d.secretMap(e) }},
			{"timeout", func(e entry) { d.duration(e, &p.Timeout, false) }},
			{"api_keys", func(e entry) { p.APIKeys = d.secretList(e, `["${OPENAI_API_KEY_2}", "${OPENAI_API_KEY_3}"]`) }},
			{"endpoints", func(e entry) { p.Endpoints = d.endpoints(e) }},
			{"balance", func(e entry) { d.str(e, &p.Balance) }},
			{"prompt_cache", func(e entry) { d.str(e, &p.PromptCache) }},
			{"service_tier", func(e entry) { d.str(e, &p.ServiceTier) }},
			{"thinking_switch", func(e entry) { d.str(e, &p.ThinkingSwitch) }},
		})
	}
}

func (d *decoder) deployments(e entry, c *Config) {
	const tokensHint = "tokens; omit it when unknown"
	entries, _ := d.mapping(e.node, e.path)
	c.Deployments = make(map[string]*Deployment, len(entries))
	for _, de := range entries {
		dep := &Deployment{Name: de.key}
		c.Deployments[de.key] = dep
		d.object(de.node, de.path, []field{
			{"provider", func(e entry) { d.str(e, &dep.Provider) }},
			{"model", func(e entry) { d.str(e, &dep.Model) }},
			{"base_model", func(e entry) { d.str(e, &dep.BaseModel) }},
			{"price", func(e entry) { d.price(e, &dep.Price, &dep.MediaPrice) }},
			{"context_window", func(e entry) { d.intField(e, &dep.ContextWindow, tokensHint) }},
			{"max_output_tokens", func(e entry) { d.intField(e, &dep.MaxOutputTokens, tokensHint) }},
			{"capabilities", func(e entry) {
				for _, s := range d.strList(e, "[tools, vision, streaming]") {
					dep.Capabilities = append(dep.Capabilities, llm.Capability(s))
				}
			}},
			{"quality", func(e entry) { d.number(e, &dep.Quality, "a prior from 0 to 1, e.g. 0.8") }},
			{"latency", func(e entry) {
				d.object(e.node, e.path, []field{
					{"ttft", func(e entry) { d.duration(e, &dep.Latency.TTFT, false) }},
					{"tokens_per_second", func(e entry) { d.number(e, &dep.Latency.TokensPerSecond, "output tokens per second, e.g. 90") }},
					{"prefill_tokens_per_second", func(e entry) {
						d.number(e, &dep.Latency.PrefillTokensPerSecond, "prompt tokens read per second, e.g. 5000")
					}},
				})
			}},
			{"continuation", func(e entry) { d.str(e, &dep.Continuation) }},
			{"ttft_timeout", func(e entry) { d.duration(e, &dep.TTFTTimeout, false) }},
			{"first_byte_timeout", func(e entry) { d.firstByteTimeouts(e, &dep.FirstByte) }},
			{"structured_output", func(e entry) { d.str(e, &dep.StructuredOutput) }},
			{"reasoning_content", func(e entry) { d.str(e, &dep.ReasoningContent) }},
			{"thought_signatures", func(e entry) { d.str(e, &dep.ThoughtSignatures) }},
			{"reasoning_details", func(e entry) { d.str(e, &dep.ReasoningDetails) }},
			{"text_content", func(e entry) { d.str(e, &dep.TextContent) }},
			{"stream_options", func(e entry) { d.str(e, &dep.StreamOptions) }},
			{"think_tags", func(e entry) { d.str(e, &dep.ThinkTags) }},
			{"reasoning_efforts", func(e entry) { dep.ReasoningEfforts = d.efforts(e) }},
			{"api", func(e entry) { d.str(e, &dep.API) }},
			{"inference_geo", func(e entry) { d.str(e, &dep.InferenceGeo) }},
			{"aliases", func(e entry) { dep.Aliases = d.strList(e, "[gpt-4o, gpt-4o-2024-08-06]") }},
		})
	}
}

func (d *decoder) price(e entry, p *Price, m *MediaPrice) {
	const hint = "USD per 1M tokens, e.g. 0.15"
	d.object(e.node, e.path, append([]field{
		{"input", func(e entry) { d.number(e, &p.Input, hint); p.Set |= PriceInput }},
		{"output", func(e entry) { d.number(e, &p.Output, hint); p.Set |= PriceOutput }},
		{"cached_input", func(e entry) { d.number(e, &p.CachedInput, hint); p.Set |= PriceCachedInput }},
		{"cache_write", func(e entry) { d.number(e, &p.CacheWrite, hint); p.Set |= PriceCacheWrite }},
		{"reasoning", func(e entry) { d.number(e, &p.Reasoning, hint); p.Set |= PriceReasoning }},
		{"cache_write_1h", func(e entry) { d.number(e, &p.CacheWrite1h, hint); p.Set |= PriceCacheWrite1h }},
		{"chat_audio_input", func(e entry) { d.number(e, &p.ChatAudioInput, chatAudioHint); p.Set |= PriceChatAudioInput }},
		{"chat_audio_output", func(e entry) { d.number(e, &p.ChatAudioOutput, chatAudioHint); p.Set |= PriceChatAudioOutput }},
		{"priority_input", func(e entry) { d.number(e, &p.Priority.Input, hint) }},
		{"priority_output", func(e entry) { d.number(e, &p.Priority.Output, hint) }},
		{"priority_cached_input", func(e entry) { d.number(e, &p.Priority.CachedInput, hint) }},
		{"ultrafast_input", func(e entry) { d.number(e, &p.Ultrafast.Input, hint) }},
		{"ultrafast_output", func(e entry) { d.number(e, &p.Ultrafast.Output, hint) }},
		{"ultrafast_cached_input", func(e entry) { d.number(e, &p.Ultrafast.CachedInput, hint) }},
		{"long_prompt", func(e entry) { d.longPrompt(e, p) }},
		{"web_search", func(e entry) {
			var v float64
			d.number(e, &v, "USD per web search, e.g. 0.035 (Gemini 2.5's $35 per 1,000 grounded prompts), 0 for free")
			p.WebSearch = &v
		}},
	}, d.mediaPriceFields(m)...))
}
