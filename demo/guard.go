package demo

import "switchyard/config"

// AddGuard turns the prompt-injection scanner on for every request of
// cfg in flag mode (docs/security.md): a suspicious prompt is still
// served, and the answer's x-switchyard-guard header, the request log and
// POST /v1/route show its score and reasons. Answers that repeat the
// system prompt are flagged too.
func AddGuard(cfg *config.Config) {
	cfg.Guard = config.Guard{
		Injection: &config.Injection{Action: config.InjectionFlag},
		Output:    &config.Output{Links: config.LinksKeep, SystemPromptLeak: config.LeakFlag},
	}
}
