package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"switchyard/admin"
)

// describeKey says in one line what a key is: its name, tenant or role,
// limits and expiry. It never holds the key.
func describeKey(v *admin.KeyView) string {
	var parts []string
	if v.Name != "" {
		parts = append(parts, "name "+v.Name)
	}
	if v.Role != "" {
		parts = append(parts, "admin key, role "+v.Role)
	}
	if v.Tenant != "" {
		parts = append(parts, "tenant "+v.Tenant)
	} else if v.Role != "" {
		parts = append(parts, "every tenant")
	}
	if l := limitsText(v); l != "-" {
		parts = append(parts, l)
	}
	if v.Routes != nil {
		parts = append(parts, "routes "+listText(v.Routes))
	}
	if v.Deployments != nil {
		parts = append(parts, "deployments "+listText(v.Deployments))
	}
	if v.Overrides != nil {
		parts = append(parts, "overrides "+listText(v.Overrides))
	}
	if v.Expires != nil {
		parts = append(parts, "expires "+v.Expires.UTC().Format(time.RFC3339))
	}
	return strings.Join(parts, ", ")
}

func limitsText(v *admin.KeyView) string {
	var parts []string
	for _, l := range []struct {
		name string
		n    int64
	}{{"rpm", v.RPM}, {"tpm", v.TPM}, {"max_concurrent", v.MaxConcurrent}} {
		if l.n > 0 {
			parts = append(parts, l.name+" "+strconv.FormatInt(l.n, 10))
		}
	}
	if parts == nil {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// listText shows an allow list: "none" when empty, "all" when nil.
func listText(l []string) string {
	switch {
	case l == nil:
		return "all"
	case len(l) == 0:
		return "none"
	}
	return strings.Join(l, ",")
}

// printKeyTable prints the keys as a table.
func printKeyTable(w io.Writer, keys []admin.KeyView) {
	if len(keys) == 0 {
		fmt.Fprintln(w, "no managed keys (switchyard keys create --tenant T makes one)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKEY\tNAME\tTENANT\tROLE\tSTATE\tLIMITS\tROUTES\tDEPLOYMENTS\tEXPIRES")
	for i := range keys {
		k := &keys[i]
		exp := "never"
		if k.Expires != nil {
			exp = k.Expires.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, dash(k.Name), dash(k.Tenant), dash(k.Role),
			k.State, limitsText(k), listText(k.Routes), listText(k.Deployments), exp)
	}
	tw.Flush()
}
