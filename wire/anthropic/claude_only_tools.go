package anthropic

import (
	"encoding/json"
	"slices"

	"switchyard/llm"
)

// The advisor tool and the browser and computer toolsets: tools[] entries
// that only a Claude API deployment can serve.
//
// The advisor tool (advisor_20260301, named advisor) is a server tool:
// when the executor model calls it (a server_tool_use block named
// advisor), Anthropic runs the advisor model on its side and writes the
// advice into an advisor_tool_result block of the same answer, which the
// client sends back in later assistant turns. It is in ServerToolTypes,
// and its result block in ServerBlockTypes: kept as written, sent to
// Claude deployments only (a route need: a route without one answers a
// 400 that names it).
//
// The browser and computer toolsets (browser_toolset_20260801,
// computer_toolset_20260801) are one tools[] entry each, with no name,
// declaring a family of client-run tools: Claude calls a member (a
// tool_use block named after it) and the client performs the action and
// answers with a tool_result, as with computer use. The members and
// their inputs are Anthropic's, reshaped by the entry's configs, and no
// schema of them is published that another model could be given: there
// is no faithful translation, so a toolset is kept as written (Tool.Raw)
// and only Claude deployments are sent it, as a server tool is.
//
// mcp_tool_listing blocks (an MCP server's tool listing that Anthropic's
// MCP connector wrote into an answer, sent back unchanged in assistant
// turns) are in ServerBlockTypes for the same reason; one naming a
// server mcp_servers does not declare is refused (checkMCPListings).

// AdvisorToolType is the advisor tool's type; AdvisorBeta its beta.
const (
	AdvisorToolType = "advisor_20260301"
	AdvisorBeta     = "advisor-tool-2026-03-01"
)

// The blocks of the advisor tool and of the MCP connector.
const (
	BlockAdvisorToolResult = "advisor_tool_result"
	BlockMCPToolListing    = "mcp_tool_listing"
)

// ToolsetTypes are the types of the toolsets: tools[] entries with no
// name, kept as written (Tool.Raw) and sent to Claude deployments only.
var ToolsetTypes = []string{"browser_toolset_20260801", "computer_toolset_20260801"}

// keptWhole reports whether a tool of type typ is kept as the client
// wrote it (Tool.Raw): a server tool's or a toolset's.
func keptWhole(typ string) bool {
	return slices.Contains(ServerToolTypes, typ) || slices.Contains(ToolsetTypes, typ)
}

// checkToolset checks toolset t, tool i: it has no name. Its configs
// are Anthropic's to check.
func checkToolset(t *Tool, i int) *llm.Error {
	if t.Name != "" {
		return rejectf("tools.%d.%s.name: Extra inputs are not permitted", i, t.Type)
	}
	return nil
}

// DetailCodes are the error codes the API writes as
// error.details.error_code, which the SDKs read (shared.ErrorDetails).
var DetailCodes = []string{
	CodeThreadUnsupported, CodeThreadNotFound, CodeThreadFingerprintMismatch, CodeToolReferenceUnresolved, CodeToolNameConflict, CodeUserProfileRequired,
	CodeCompactionMisplaced, CodeCompactionNothingToSummarize, CodeCompactionIncompleteTurn,
}

// checkMCPListings refuses an mcp_tool_listing block naming an MCP server
// that mcp_servers does not declare, as the API does
// (CodeToolReferenceUnresolved). The router refuses mcp_servers itself
// (UnsupportedFields), so a listing reaches Claude only in a request the
// API would take and the router does not: the check answers the API's
// error, not ours, for a listing sent without its server.
func checkMCPListings(req *MessagesRequest) *llm.Error {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			if req.Messages[i].Content[j].Type == BlockMCPToolListing {
				return checkMCPListingsFrom(req, i, j) // most requests have none
			}
		}
	}
	return nil
}

// checkMCPListingsFrom is checkMCPListings from message i's block j, the
// first listing: mcp_servers is read only for a request that has one.
func checkMCPListingsFrom(req *MessagesRequest, i0, j0 int) *llm.Error {
	type server struct {
		Name string `json:"name"`
	}
	var servers []server
	json.Unmarshal(req.MCPServers, &servers) // absent or malformed: none
	for i := i0; i < len(req.Messages); i++ {
		for j, b := range req.Messages[i].Content {
			if b.Type != BlockMCPToolListing || i == i0 && j < j0 {
				continue
			}
			var l struct {
				Server string `json:"mcp_server_name"`
			}
			json.Unmarshal(b.Raw, &l)
			if !slices.ContainsFunc(servers, func(s server) bool { return s.Name == l.Server }) {
				e := rejectf("messages.%d.content.%d.mcp_tool_listing.mcp_server_name: MCP server '%s' is not defined in mcp_servers", i, j, llm.Clip(l.Server))
				e.Code = CodeToolReferenceUnresolved
				return e
			}
		}
	}
	return nil
}
