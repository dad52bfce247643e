package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"switchyard/config"
)

// showcaseBanner says, in demo mode, which budgets and golden sets the
// demo's configuration holds (demo.ShowcaseYAML) and where to see them.
func showcaseBanner(w io.Writer, cfg *config.Config, simBase string) {
	if len(cfg.Budgets) > 0 {
		parts := make([]string, len(cfg.Budgets))
		for i, b := range cfg.Budgets {
			parts[i] = fmt.Sprintf("%s (%s %s %s of %s %s)", b.Name, budgetLimit(&b), b.Period, budgetMode(&b), b.Scope, b.Match)
		}
		fmt.Fprintf(w, "Budgets:     %s; GET /admin/budgets or the dashboard's Budgets view (docs/budgets.md)\n", strings.Join(parts, ", "))
	}
	for _, s := range cfg.Drift.Sets {
		fmt.Fprintf(w, "Drift:       golden set %s (%d prompts a run) on %s, every %s: the dashboard's Drift view;\n"+
			"             make a model drift with POST %s/_sim/drift (docs/simulator.md#drift-on-demand)\n",
			s.Name, s.Prompts, strings.Join(s.Deployments, ", "), strings.TrimSuffix(s.Interval.String(), "0s"), strings.TrimSuffix(simBase, "/v1"))
	}
}

func budgetLimit(b *config.Budget) string {
	if b.LimitUSD > 0 {
		return "$" + strconv.FormatFloat(b.LimitUSD, 'f', -1, 64)
	}
	return strconv.FormatInt(b.LimitTokens, 10) + " tokens"
}

func budgetMode(b *config.Budget) string {
	if b.Mode == "" {
		return config.BudgetHard
	}
	return b.Mode
}
