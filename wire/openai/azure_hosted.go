package openai

import "switchyard/llm"

// AzureHostedTools are the hosted tools Azure OpenAI's v1 Responses API
// (/openai/v1/responses) serves, as Microsoft's Azure OpenAI documentation
// lists them: web search (web_search; web_search_preview "supported but
// not recommended"), file search over vector stores, the code
// interpreter, image generation, remote MCP servers, tool search and
// computer use with the computer-use-preview model. Not among them:
// the computer tool of later models (computer), and what only OpenAI's
// own platform keeps: stored prompts (prompt) and context_management
// with its compaction items (llm.HostedOpenAIOnly). Azure's deployment
// routes (/openai/deployments/…) have no Responses API, so none.
const AzureHostedTools = llm.HostedWebSearch | llm.HostedFileSearch | llm.HostedCodeInterpreter | llm.HostedImageGeneration |
	llm.HostedMCP | llm.HostedToolSearch | llm.HostedComputerPreview
