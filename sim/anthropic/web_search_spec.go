package anthropic

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	wire "switchyard/wire/anthropic"
)

// webSearchMembers are the members of a web search tool's declaration
// (https://docs.claude.com/en/docs/agents-and-tools/tool-use/web-search-tool):
// any other is refused, as the API's schema refuses extra inputs.
var webSearchMembers = []string{"type", "name", "max_uses", "allowed_domains", "blocked_domains", "user_location", "cache_control", "defer_loading", "allowed_callers", "strict"}

// userLocationMembers are those of its user_location.
var userLocationMembers = []string{"type", "city", "region", "country", "timezone"}

// checkWebSearchTools refuses a malformed web search tool declaration in
// the API's words, at tools.N.<type>: a member it does not take ("Extra
// inputs are not permitted"), an empty domain list ("Empty list of
// domains is ambiguous. Provide at least one domain or null.", as
// CherryHQ/cherry-studio#10374 quotes it), both allowed_domains and
// blocked_domains (which the API refuses, microsoft/vscode#314275), a
// max_uses below 1, a user_location whose type is not approximate or
// that has other members; and the tool on a model without it
// (wire.HasWebSearch: Claude 3, the first 3.5 Sonnet) as the API words
// it, "tool type 'web_search_20250305' is not supported for this model"
// (quoted by router-for-me/CLIProxyAPI's claude executor tests and by
// users' logs of Anthropic-compatible upstreams; Bedrock's
// ValidationException carries the same sentence).
func checkWebSearchTools(req *wire.MessagesRequest, model string) *apiError {
	for i, t := range req.Tools {
		if !strings.HasPrefix(t.Type, "web_search_") || len(t.Raw) == 0 {
			continue
		}
		if !wire.HasWebSearch(model) {
			return invalid("tool type '%s' is not supported for this model", t.Type)
		}
		var decl map[string]json.RawMessage
		if json.Unmarshal(t.Raw, &decl) != nil {
			continue
		}
		at := "tools." + strconv.Itoa(i) + "." + t.Type
		if e := extraMember(decl, webSearchMembers, at); e != nil {
			return e
		}
		for _, k := range []string{"allowed_domains", "blocked_domains"} {
			if v := bytes.TrimSpace(decl[k]); len(v) > 0 && string(v) != "null" {
				var list []string
				if json.Unmarshal(v, &list) == nil && len(list) == 0 {
					return invalid("%s.%s: Empty list of domains is ambiguous. Provide at least one domain or null.", at, k)
				}
			}
		}
		if notNull(decl["allowed_domains"]) && notNull(decl["blocked_domains"]) {
			return invalid("%s: Cannot specify both allowed_domains and blocked_domains in the same request", at)
		}
		if v := decl["max_uses"]; notNull(v) {
			var n int
			if json.Unmarshal(v, &n) != nil || n < 1 {
				return invalid("%s.max_uses: Input should be greater than 0", at)
			}
		}
		if v := decl["user_location"]; notNull(v) {
			var loc map[string]json.RawMessage
			if json.Unmarshal(v, &loc) != nil {
				return invalid("%s.user_location: Input should be a valid dictionary or object to extract fields from", at)
			}
			if string(loc["type"]) != `"approximate"` {
				return invalid("%s.user_location.type: Input should be 'approximate'", at)
			}
			if e := extraMember(loc, userLocationMembers, at+".user_location"); e != nil {
				return e
			}
		}
	}
	return nil
}

// extraMember refuses the first member of obj, in key order, that known
// does not list.
func extraMember(obj map[string]json.RawMessage, known []string, at string) *apiError {
	var extra []string
	for k := range obj {
		if !slices.Contains(known, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	first := extra[0]
	for _, k := range extra[1:] {
		first = min(first, k)
	}
	return invalid("%s.%s: Extra inputs are not permitted", at, first)
}

func notNull(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && string(v) != "null"
}
