package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/route"
	"switchyard/semantic"
)

const routeUsage = `usage:
  switchyard route explain (--config FILE | --demo) [flags] "prompt"   where a prompt would go, and why
  switchyard route explain (--config FILE | --demo) [flags] --request FILE   where a request would go
  (the prompt "-", or --request -, reads it from stdin)

flags:
  --model NAME         route or deployment asked for (default auto; with
                       --request, the body's model unless given)
  --api API            the API the request is sent on: chat (POST
                       /v1/chat/completions, the default), responses
                       (/v1/responses) or messages (/v1/messages)
  --request FILE       a request body of that API, decoded as the server
                       decodes it, in place of a prompt
  --effort LEVEL       the request's reasoning effort (reasoning_effort,
                       reasoning.effort, output_config.effort)
  --tools LIST         OpenAI's hosted tools the request declares, comma-
                       separated (web_search, file_search…; --api responses)
  --pin DEPLOYMENT     pin a deployment, as the x-switchyard-model header
  --category NAME      hint the category, as x-switchyard-category
  --max-cost USD       cap the estimated cost, as x-switchyard-max-cost-usd
  --latency-budget MS  cap the expected latency, as x-switchyard-latency-budget-ms
  --no-fallback        as x-switchyard-fallback: none
  --max-tokens N       the request's max_tokens (max_output_tokens)
  --service-tier TIER  the request's service_tier (auto, default, flex, scale,
                       priority, fast, ultrafast): the cost ceilings compare
                       each candidate's estimate at the tier it serves
  --turn N             earlier user turns in the conversation (0 = first turn)
  --json               print the JSON that POST /v1/route returns
  --no-embed           do not call the embeddings deployment of a route with
                       semantic categories (the classifier alone decides)
`

// explainFlags are the flags of `switchyard route explain`.
type explainFlags struct {
	cfgPath, model  string
	modelSet        bool // --model given
	demo, json      bool
	noEmbed         bool
	headers         http.Header
	maxTokens, turn int
	serviceTier     llm.ServiceTier
	prompt          string
	api             string
	requestPath     string
	effort          string
	tools           []string
}

// parseExplain parses the flags; it reports false after printing usage.
func parseExplain(args []string, stderr io.Writer) (*explainFlags, bool) {
	fs := newFlagSet("route explain")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, routeUsage) }
	f := &explainFlags{headers: http.Header{}}
	fs.StringVar(&f.cfgPath, "config", "", "path to switchyard.yaml")
	fs.BoolVar(&f.demo, "demo", false, "use the demo configuration")
	fs.StringVar(&f.model, "model", route.Auto, "route or deployment")
	hdr := map[string]*string{
		route.HeaderModel:         fs.String("pin", "", "pin a deployment"),
		route.HeaderCategory:      fs.String("category", "", "category hint"),
		route.HeaderMaxCost:       fs.String("max-cost", "", "cost cap in USD"),
		route.HeaderLatencyBudget: fs.String("latency-budget", "", "latency cap in ms"),
	}
	noFallback := fs.Bool("no-fallback", false, "disable fallback")
	fs.IntVar(&f.maxTokens, "max-tokens", 0, "max_tokens")
	fs.IntVar(&f.turn, "turn", 0, "earlier user turns")
	tier := fs.String("service-tier", "", "the request's service_tier")
	fs.BoolVar(&f.json, "json", false, "print JSON")
	fs.BoolVar(&f.noEmbed, "no-embed", false, "skip semantic matching")
	fs.StringVar(&f.api, "api", apiChat, "the API the request is sent on: chat, responses or messages")
	fs.StringVar(&f.requestPath, "request", "", "a request body of that API, in place of a prompt")
	fs.StringVar(&f.effort, "effort", "", "the request's reasoning effort")
	tools := fs.String("tools", "", "OpenAI's hosted tools the request declares (--api responses)")
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	if f.demo == (f.cfgPath != "") {
		fmt.Fprint(stderr, "switchyard route explain: give exactly one of --demo or --config FILE, and a prompt\n\n"+routeUsage)
		return nil, false
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	f.modelSet, f.tools = set["model"], splitList(*tools)
	if msg := checkRequestFlags(f, set, fs.NArg()); msg != "" {
		fmt.Fprintf(stderr, "switchyard route explain: %s\n\n%s", msg, routeUsage)
		return nil, false
	}
	if f.serviceTier = llm.ServiceTier(*tier); *tier != "" && !slices.Contains(llm.ResponsesTiers, f.serviceTier) {
		fmt.Fprintf(stderr, "switchyard route explain: unknown --service-tier %q (one of %v)\n", *tier, llm.ResponsesTiers)
		return nil, false
	}
	for name, v := range hdr {
		f.headers.Set(name, *v)
	}
	if *noFallback {
		f.headers.Set(route.HeaderFallback, "none")
	}
	f.prompt = strings.Join(fs.Args(), " ")
	return f, true
}

// routeCmd runs `switchyard route …` and returns the exit code.
func routeCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "explain" {
		fmt.Fprint(stderr, routeUsage)
		return 2
	}
	f, ok := parseExplain(args[1:], stderr)
	if !ok {
		return 2
	}
	cfg, err := loadRouteConfig(f.cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	req, err := explainReq(f)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard route explain: %v\n", err)
		return 1
	}
	ov, err := route.ParseOverrides(f.headers.Get)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard route explain: %v\n", llm.AsError(err).Message)
		return 2
	}
	ov.Allowed = route.AllowAll
	plan, err := explainWithGateway(cfg, req, &ov, !f.noEmbed, stderr)
	if err != nil {
		e := llm.AsError(err)
		if e.Param == route.HeaderCategory { // --category names no category of the route
			fmt.Fprintf(stderr, "switchyard route explain: %s\n", e.Message)
			return 2
		}
		fmt.Fprintf(stderr, "no plan: %d %s: %s\n", e.HTTPStatus(), e.Kind, e.Message)
		return 1
	}
	unknown := responsesRouteUnknown(cfg, plan)
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(plan)
		noteResponsesRouteUnknown(stderr, unknown)
	} else {
		err = plan.WriteText(stdout)
		noteResponsesRouteUnknown(stdout, unknown)
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	return 0
}

// explainTimeout bounds the embedding calls of explaining a request to a
// route with semantic categories.
const explainTimeout = 30 * time.Second

// explainWithGateway decides as the server's dry run does (POST
// /v1/route): the classifier, the learned models' predictions, the
// policy, and what each candidate's attempt would be sent on and leave
// out. For a route asked for with semantic categories, with embed, it
// embeds the examples and the prompt (calling the embeddings
// deployment), waiting for the prompt's embedding up to explainTimeout
// rather than the route's timeout, so the score is shown; without, and
// for the other routes, semantic matching is left out.
func explainWithGateway(cfg *config.Config, req *llm.Request, ov *route.Overrides, embed bool, stderr io.Writer) (*route.Plan, error) {
	asked := req.Model
	if name, _, ok := route.New(cfg, route.Options{}).Resolve(asked); ok {
		asked = name
	}
	for name, r := range cfg.Routes {
		switch {
		case r.Semantic == nil:
		case embed && name == asked:
			r.Semantic.Timeout = semantic.FillTimeout
		default:
			r.Semantic = nil
		}
	}
	g, err := gateway.New(cfg, gateway.Options{})
	if err != nil {
		return nil, err
	}
	defer g.Close()
	ctx, cancel := context.WithTimeout(context.Background(), explainTimeout)
	defer cancel()
	if err := g.WaitSemantic(ctx); err != nil {
		fmt.Fprintf(stderr, "switchyard route explain: %v\n", err)
	}
	return g.Route(ctx, req, ov)
}

func loadRouteConfig(path string) (*config.Config, error) {
	if path != "" {
		return config.Load(path)
	}
	cfg := demo.Config("127.0.0.1:9", "") // never called: explain makes no requests
	return cfg, cfg.Validate()
}

func promptArg(text string) (string, error) {
	if text != "-" {
		return text, nil
	}
	b, err := io.ReadAll(os.Stdin)
	return string(b), err
}
