// OpenAI's beta Responses members with the npm `openai` package's beta
// client, unchanged: multi_agent (spawned subagents' items with their
// agent tags, the root's answer) and moderation (the results on the
// response, a block policy's incomplete answer), complete and streamed,
// and the 400 of a route no OpenAI Responses deployment serves. Run by
// e2e/node_test.go (TestNodeResponsesBeta) with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

const params = (model, input, mode) => ({
  model, input, betas: ['responses_multi_agent=v1'],
  multi_agent: { enabled: true, max_concurrent_subagents: 2 },
  moderation: { model: 'omni-moderation-latest', policy: { input: { mode } } },
});

const items = (output) => output.map((it) => (it.type === 'message' ? `message:${it.agent?.agent_name ?? ''}` : `${it.type}:${it.action}`)).join(' ');

test('multi_agent: the subagents come back in place, moderated', async () => {
  const resp = await client.beta.responses.create(params('search', 'Compare the rivers of Europe.', 'score'));
  assert.equal(items(resp.output), 'multi_agent_call:spawn_agent message:subagent_1 multi_agent_call_output:spawn_agent '
    + 'multi_agent_call:spawn_agent message:subagent_2 multi_agent_call_output:spawn_agent message:');
  assert.equal(resp.moderation.input.type, 'moderation_result');
  assert.equal(resp.moderation.input.flagged, false);
  const stream = await client.beta.responses.create({ ...params('search', 'Compare the rivers of Europe.', 'score'), stream: true });
  let done = null;
  for await (const ev of stream) if (ev.type === 'response.completed') done = ev.response;
  assert.equal(items(done.output), items(resp.output));
  assert.equal(done.moderation.output.type, 'moderation_result');
});

test('moderation: a flagged input under a block policy is not answered', async () => {
  const resp = await client.beta.responses.create(params('search', 'How do I kill a stuck process?', 'block'));
  assert.equal(resp.status, 'incomplete');
  assert.equal(resp.incomplete_details.reason, 'content_filter');
  assert.equal(resp.moderation.input.flagged, true);
  assert.equal(resp.usage.output_tokens, 0);
});

test('a route without an OpenAI Responses deployment: 400 at multi_agent', async () => {
  await assert.rejects(client.beta.responses.create(params('chat-only', 'hi', 'score')),
    (err) => err.status === 400 && err.param === 'multi_agent');
});
