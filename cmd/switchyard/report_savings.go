package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/learn"
	"switchyard/route"
)

// This file is the savings part of `switchyard report`: the policy a
// store source prices them with, and the table that shows them.

// savingsPolicy returns what the report's savings read of the config
// file at path, and its refusal signal's weight.
func savingsPolicy(path string) (*learn.SavingsPolicy, *float64, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, nil, err
	}
	return admin.SavingsPolicyOf(route.New(cfg, route.Options{}), cfg), new(cfg.Learn.Signals[config.SignalRefusal]), nil
}

// printSavings prints the savings: a row per route and the total, then
// per route its reference and why, the quality verdict and the requests
// left out.
func printSavings(w io.Writer, sv *admin.SavingsView) {
	fmt.Fprintln(w)
	if sv == nil {
		fmt.Fprintln(w, "Savings: not computed — they need the configuration (its routes and prices): give --config FILE.")
		return
	}
	if len(sv.Routes) == 0 {
		fmt.Fprintln(w, "Savings: no chat requests in the range.")
		return
	}
	fmt.Fprintln(w, "Savings against each route's reference deployment.")
	fmt.Fprintf(w, "%s\n\n", learn.SavingsEstimate)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROUTE\tREFERENCE\tREQUESTS\tCOUNTED\tACTUAL\tAT REFERENCE\tSAVED\tQUALITY")
	for _, r := range sv.Routes {
		ref, verdict := "-", "-"
		if r.Reference != nil {
			ref = *r.Reference + " (" + r.ReferenceSource + ")"
		}
		if r.Quality != nil {
			verdict = r.Quality.Verdict
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Route, ref, accountCells(&r.SavingsAccountView), verdict)
	}
	fmt.Fprintf(tw, "TOTAL\t\t%s\t\n", accountCells(&sv.Total))
	tw.Flush()
	if sv.NoReference > 0 {
		fmt.Fprintf(w, "The total leaves out %d requests of routes without a priced reference.\n", sv.NoReference)
	}
	if sv.NoRoute > 0 {
		fmt.Fprintf(w, "%d requests went through no route (a deployment named in model, or refused before routing): routing chose nothing for them, so they are in no account.\n", sv.NoRoute)
	}
	for _, r := range sv.Routes {
		fmt.Fprintf(w, "• %s: reference %s\n", r.Route, r.ReferenceWhy)
		if r.Quality != nil {
			fmt.Fprintf(w, "    quality: %s\n", r.Quality.Text)
		}
		if left := leftOut(&r.SavingsAccountView); left != "" {
			fmt.Fprintf(w, "    %s\n", left)
		}
	}
}

// accountCells are the REQUESTS to SAVED cells of an account.
func accountCells(a *admin.SavingsAccountView) string {
	ref, saved := "-", "-"
	if a.ReferenceUSD != nil {
		ref, saved = signedUSD(*a.ReferenceUSD), signedUSD(*a.SavedUSD)
		if a.SavedPercent != nil {
			saved += fmt.Sprintf(" (%.1f%%)", *a.SavedPercent)
		}
	}
	return fmt.Sprintf("%d\t%d\t%s\t%s\t%s", a.Requests, a.Counted, signedUSD(a.ActualUSD), ref, saved)
}

// signedUSD writes dollars as cost.USD does, the sign before the $.
func signedUSD(v float64) string { return cost.USD(v) }

// leftOut says which requests the sums leave out, and how many counted
// ones had estimated tokens; empty when none.
func leftOut(a *admin.SavingsAccountView) string {
	var parts []string
	for _, p := range []struct {
		n    int64
		what string
	}{
		{a.Excluded.Pinned, "pinned by the caller"},
		{a.Excluded.CostUnknown, "with an attempt of unknown price"},
		{a.Excluded.NoTokens, "without token counts"},
	} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	s := ""
	if len(parts) > 0 {
		s = "left out: " + strings.Join(parts, ", ")
	}
	if a.EstimatedTokens > 0 {
		s = strings.TrimPrefix(s+fmt.Sprintf("; %d counted with estimated tokens", a.EstimatedTokens), "; ")
	}
	return s
}
