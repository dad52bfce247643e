package responses

import (
	"encoding/json"
	"strconv"
	"strings"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file holds namespace tools (NamespaceToolParam): function and
// custom tools grouped under a name, as the Codex CLI declares its
// sub-agent tools. No other API has them, so every upstream gets a
// namespace's tools as tools of their own, named namespacedName (the
// namespace's description before each tool's); a call of one goes back to
// the client with its namespace and its own name (Item.Namespace), and a
// call sent back with its namespace is the call of the tool the upstream
// knows.

// toolNamespace is the namespace tool's type, and marks one in
// decodeTool's answer.
const toolNamespace = "namespace"

// namespaceSep joins a namespace's name and its tool's.
const namespaceSep = "__"

// namespaceTool is a namespace tool.
type namespaceTool struct {
	Type        string            `json:"type"`
	Name        string            `json:"name"`
	Description *string           `json:"description"`
	Tools       []json.RawMessage `json:"tools"`
}

// qualifiedName is a namespace's tool as the client names it, with the
// namespace's description (prefixed to the tool's for the upstream).
type qualifiedName struct{ Namespace, Name, Description string }

// namespacedName is the name the upstream knows the tool name of the
// namespace ns by.
func namespacedName(ns, name string) string { return ns + namespaceSep + name }

// decodeNamespace adds the tools of the namespace tool raw, at path, to
// out's request, and their names to out.namespaced.
func decodeNamespace(raw json.RawMessage, path string, out *Request) error {
	var nt namespaceTool
	if err := decodeStrict(raw, path, &nt); err != nil {
		return err
	}
	switch {
	case nt.Name == "":
		return invalid(path+".name", "Missing required parameter: '%s.name'.", path)
	case !validName(nt.Name):
		return invalid(path+".name", "Invalid '%s.name': expected a name of 1 to 64 letters, digits, underscores and dashes, but got '%s'.", path, llm.Clip(nt.Name))
	case len(nt.Tools) == 0:
		return invalid(path+".tools", "Invalid '%s.tools': empty array. Expected an array with minimum length 1, but got an empty array instead.", path)
	}
	for j, traw := range nt.Tools {
		tpath := path + ".tools[" + strconv.Itoa(j) + "]"
		t, err := decodeTool(traw, tpath)
		if err != nil {
			return err
		}
		if t.Type != "function" && t.Type != llm.ToolCustom || t.OpenAIClient != nil {
			return invalid(tpath+".type", "Invalid value for '%s.type': a namespace holds tools of type 'function' and 'custom'.", tpath)
		}
		qualified := qualifiedName{Namespace: nt.Name, Name: t.Name, Description: deref(nt.Description)}
		if t.Name = namespacedName(nt.Name, t.Name); len(t.Name) > 64 {
			return invalid(tpath+".name", "Invalid '%s.name': the router sends a namespace's tools as functions named '<namespace>%s<name>', which must be at most 64 characters ('%s' is %d).", tpath, namespaceSep, llm.Clip(t.Name), len(t.Name))
		}
		if nt.Description != nil && *nt.Description != "" {
			t.Description = *nt.Description + "\n\n" + t.Description
		}
		if out.namespaced == nil {
			out.namespaced = make(map[string]qualifiedName)
		}
		out.namespaced[t.Name] = qualified
		out.Chat.Tools = append(out.Chat.Tools, t)
	}
	return nil
}

// qualify gives the call item it of a namespace's tool its namespace and
// its own name.
func (r *Request) qualify(it *Item) {
	if q, ok := r.namespaced[it.Name]; ok && it.Namespace == "" {
		it.Namespace, it.Name = q.Namespace, q.Name
	}
}

// appendNamespace appends a call item's namespace member, if it has one.
func appendNamespace(dst []byte, it *Item) []byte {
	if it.Namespace == "" {
		return dst
	}
	dst = append(dst, `,"namespace":`...)
	return jsonw.String(dst, it.Namespace)
}

// unqualified is the name the upstream knows the tool name of namespace
// ns by (name itself when ns is nil or "").
func unqualified(ns *string, name string) string {
	if ns == nil || *ns == "" {
		return name
	}
	return namespacedName(*ns, name)
}

// appendEchoTools appends req's tools as a response echoes them
// (appendAllTools), the tools of r's namespaces again under their
// namespace with their own names and descriptions, as the client declared
// them: each namespace after the other function tools, in the order its
// first tool came.
func appendEchoTools(dst []byte, r *Request, req *llm.Request) []byte {
	if r == nil || len(r.namespaced) == 0 {
		return appendAllTools(dst, req)
	}
	echo := *req
	echo.Tools = make([]llm.Tool, 0, len(req.Tools))
	var order []qualifiedName
	groups := make(map[string][]llm.Tool)
	for _, t := range req.Tools {
		q, ok := r.namespaced[t.Name]
		if !ok {
			echo.Tools = append(echo.Tools, t)
			continue
		}
		if _, seen := groups[q.Namespace]; !seen {
			order = append(order, q)
		}
		t.Name = q.Name
		if q.Description != "" {
			t.Description = strings.TrimPrefix(t.Description, q.Description+"\n\n")
		}
		groups[q.Namespace] = append(groups[q.Namespace], t)
	}
	dst = appendTools(dst, echo.Tools)
	dst = dst[:len(dst)-1] // reopen the array
	for i, q := range order {
		if i > 0 || len(echo.Tools) > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"type":"namespace","name":`...)
		dst = jsonw.String(dst, q.Namespace)
		dst = append(dst, `,"description":`...)
		dst = appendNullString(dst, q.Description)
		dst = appendTools(append(dst, `,"tools":`...), groups[q.Namespace])
		dst = append(dst, '}')
	}
	echo.Tools = nil // the hosted declarations alone
	hosted := appendAllTools(nil, &echo)
	if len(hosted) > 2 {
		dst = append(append(dst, ','), hosted[1:len(hosted)-1]...)
	}
	return append(dst, ']')
}
