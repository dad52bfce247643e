// The setup shared by agents.test.mjs and agents_more.test.mjs: OpenAI's
// Agents SDK for JavaScript (npm @openai/agents) with its default client
// pointed at the router (setDefaultOpenAIClient), tracing off (no
// network), and the SDK's three ways to a model: the Responses API (its
// default), the Responses API over a websocket (what
// setOpenAIResponsesTransport('websocket') selects) and Chat Completions
// (what setOpenAIAPI('chat_completions') selects), each an OpenAIProvider
// given to a Runner here so that all run at once.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { OpenAIProvider, Runner, run, setDefaultOpenAIClient, setTracingDisabled, tool } from '@openai/agents';
import { z } from 'zod';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
export const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });
setDefaultOpenAIClient(client);
setTracingDisabled(true);

// runnerOf returns a run function on a provider made with options, closed
// after the tests (a websocket's connection with it).
export function runnerOf(options) {
  const provider = new OpenAIProvider({ openAIClient: client, ...options });
  after(() => provider.close());
  const runner = new Runner({ modelProvider: provider });
  return (agent, input, opts) => runner.run(agent, input, opts);
}
export const runners = {
  responses: (agent, input, opts) => run(agent, input, opts),
  responses_websocket: runnerOf({ useResponses: true, useResponsesWebSocket: true }),
  chat_completions: runnerOf({ useResponses: false }),
};
// One model of each upstream wire format: OpenAI Chat, OpenAI Responses
// (served only there), Anthropic, Gemini; and their reasoning models.
export const models = ['gpt-4o-mini', 'gpt-5.3-codex', 'claude-haiku-4-5', 'gemini-2.5-flash'];
export const thinkers = ['o3-mini', 'gpt-5.3-codex', 'claude-sonnet-4-5', 'gemini-2.5-pro'];

export const weather = tool({
  name: 'get_weather',
  description: 'Get the weather in a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});
export const time = tool({
  name: 'get_time',
  description: 'Get the local time in a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, time: '09:30' }),
});
export const Person = z.object({ name: z.string(), age: z.number().int() });

// The checks run a few at a time: each waits on the router most of its
// time, and the whole file stays within the Go test's deadline.
const checks = [];
export function check(name, fn) { checks.push([name, fn]); }
export function runChecks(title) {
  describe(title, { concurrency: 8 }, () => {
    for (const [name, fn] of checks) test(name, fn);
  });
}

// usageOK checks the run's usage totals: requests and tokens counted.
export function usageOK(result, requests, what) {
  const u = result.runContext.usage;
  assert.equal(u.requests, requests, `${what}: requests ${JSON.stringify(u)}`);
  assert.ok(u.inputTokens > 0 && u.outputTokens > 0, `${what}: ${JSON.stringify(u)}`);
  assert.equal(u.totalTokens, u.inputTokens + u.outputTokens, `${what}: ${JSON.stringify(u)}`);
}

// callsOf returns the names of the tool calls among a run's new items.
export const callsOf = (result) => result.newItems.filter((i) => i.type === 'tool_call_item').map((i) => i.rawItem.name);
