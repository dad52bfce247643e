package llm

// BillToUserProfile is AnthropicBilling.BillTo of a request billed to the
// customer behind an Anthropic user profile.
const BillToUserProfile = "user_profile"

// AnthropicBilling is who an Anthropic client asks to be billed for a
// request (the Messages API's billing_policy) and the user profile it
// names (its anthropic-user-profile-id header). Only a Claude API
// deployment can bill a user profile: the router sends such a request
// to no other (see BillsUserProfile), and the profile id to that
// deployment alone.
type AnthropicBilling struct {
	// BillTo is billing_policy.bill_to as sent: "self" (the default: the
	// operator's organization) or BillToUserProfile; "" when the request
	// has no billing_policy.
	BillTo string
	// UserProfile is the anthropic-user-profile-id header, "" when not
	// sent. It names an end customer, not a secret, but is not logged.
	UserProfile string
}

// BillsUserProfile reports whether r asks to be billed to the customer
// behind a user profile (billing_policy bill_to user_profile), which
// only a Claude API deployment can do.
func (r *Request) BillsUserProfile() bool {
	return r.AnthropicBilling != nil && r.AnthropicBilling.BillTo == BillToUserProfile
}

// ToolChanges returns a system message's mid-conversation tool changes:
// Anthropic's tool_addition and tool_removal blocks as the client wrote
// them (Block.Raw), each at its place among the message's text (Block.At,
// a byte offset into its text). A Claude API deployment is sent them in
// place; every other deployment is offered the tool set they leave in
// effect (Request.AnthropicTools) and not sent them. Nil for none.
func (m *Message) ToolChanges() []Block {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.ToolChanges
}

// SetToolChanges sets a system message's tool changes (m keeps changes,
// not a copy); see setExtra.
func (m *Message) SetToolChanges(changes []Block) {
	m.setExtra(func(e *MessageExtra) { e.ToolChanges = changes })
}

// TurnEffort returns a system message's own effort, Anthropic's per-turn
// output_config.effort: the effort from that turn on. A Claude model that
// takes it is sent it in place; every other deployment answers at the
// last one (Request.TurnEffort). "" for none.
func (m *Message) TurnEffort() Effort {
	if m.Extra == nil {
		return ""
	}
	return m.Extra.TurnEffort
}

// SetTurnEffort sets a system message's own effort; see setExtra.
func (m *Message) SetTurnEffort(e Effort) {
	m.setExtra(func(x *MessageExtra) { x.TurnEffort = e })
}

// ControlOnly reports whether m is a system message with no content, only
// Anthropic controls (tool changes, a turn effort): a Claude deployment
// is sent it, and every other deployment nothing for it (the tools in
// effect, Request.TurnEffort carry it).
func (m *Message) ControlOnly() bool {
	return len(m.Content) == 0 && (m.Role == RoleSystem || m.Role == RoleDeveloper) && (len(m.ToolChanges()) > 0 || m.TurnEffort() != "")
}
