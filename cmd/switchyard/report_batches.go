package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"switchyard/admin"
	"switchyard/cost"
)

// printBatches prints the report's batch lines per deployment, and their
// total: a breakdown of the traffic, whose chat lines are requests of the
// rows above too (IN ROWS), never to be added to them.
func printBatches(w io.Writer, rows []admin.BatchReportRow) {
	fmt.Fprintln(w)
	if len(rows) == 0 {
		fmt.Fprintln(w, "Batches: no batch line in the range.")
		return
	}
	fmt.Fprintln(w, "Batches (each line is one request of the log: its chat lines are also in the rows above, IN ROWS; forwarded lines at the batch price):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DEPLOYMENT\tBATCHES\tLINES\tFORWARDED\tON ROUTER\tIN ROWS\tCOST\tFORWARDED COST")
	var total admin.BatchReportRow
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", dash(r.Deployment), r.Batches, r.Lines, r.Forwarded, r.OnRouter, r.InRows,
			batchCost(r.CostUSD, r.CostUnknown), cost.USD(r.ForwardedCostUSD))
		total.Lines, total.Forwarded, total.OnRouter, total.InRows = total.Lines+r.Lines, total.Forwarded+r.Forwarded, total.OnRouter+r.OnRouter, total.InRows+r.InRows
		total.CostUSD, total.ForwardedCostUSD = total.CostUSD+r.CostUSD, total.ForwardedCostUSD+r.ForwardedCostUSD
		total.CostUnknown = total.CostUnknown || r.CostUnknown
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t%s\t%s\n", total.Lines, total.Forwarded, total.OnRouter, total.InRows,
		batchCost(total.CostUSD, total.CostUnknown), cost.USD(total.ForwardedCostUSD))
	tw.Flush()
}

// batchCost is usd as the report prints it, "≥" before a lower bound.
func batchCost(usd float64, unknown bool) string {
	if unknown {
		return "≥" + cost.USD(usd)
	}
	return cost.USD(usd)
}
