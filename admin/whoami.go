package admin

import (
	"net/http"
)

// This file serves GET /admin/whoami: who the admin key presented is —
// its name, role, tenant and, for a managed key, its id — and which
// operational endpoints it may call, so that a client (the dashboard)
// shows only what the key may do. Never the key itself.

// WhoAmI is the answer of GET /admin/whoami.
type WhoAmI struct {
	// Name is the admin key's configured name (never the key), or "demo"
	// or "loopback" when no key was needed.
	Name string `json:"name"`
	// Role is the principal's role: viewer, operator or admin.
	Role string `json:"role"`
	// Tenant is the one tenant the principal may read; empty for all.
	Tenant string `json:"tenant"`
	// KeyID is a managed admin key's id; empty for a key of the
	// configuration file, or no key.
	KeyID string `json:"key_id"`
	// KeyRequired is false when the operational endpoints answered
	// without a key (demo mode, or a local client while no admin key
	// exists).
	KeyRequired bool `json:"key_required"`
	// Allowed are the endpoints of Rules the principal may call (their
	// patterns, "METHOD /path"), in the table's order.
	Allowed []string `json:"allowed"`
}

// WhoAmIOf returns the whoami answer of p under rules.
func WhoAmIOf(p Principal, rules []Rule) WhoAmI {
	out := WhoAmI{Name: p.Name, Role: roleName(p.Role), Tenant: p.Tenant, KeyID: p.KeyID, KeyRequired: !p.Keyless, Allowed: []string{}}
	for i := range rules {
		if ok, _ := rules[i].Allows(p); ok {
			out.Allowed = append(out.Allowed, rules[i].Pattern)
		}
	}
	return out
}

func (h *Handler) whoami(w http.ResponseWriter, r *http.Request) {
	p, ok := principal(w, r)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, WhoAmIOf(p, Rules))
}
