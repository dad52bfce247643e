// The Responses API's newer input items with the npm `openai` package,
// unchanged: configuration_update (the effort a stored chain carries),
// additional_tools, a compaction_trigger (complete and streamed) and
// item_reference. Run by e2e/node_test.go (TestNodeResponsesItems) with
// SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

test('configuration_update: the latest effort holds for the chain', async () => {
  const first = await client.responses.create({
    model: 'o3-mini', reasoning: { effort: 'low' },
    input: [{ role: 'user', content: 'Is 91 prime?' }, { type: 'configuration_update', reasoning: { effort: 'high' } }],
  });
  assert.equal(first.reasoning.effort, 'high');
  const next = await client.responses.create({ model: 'o3-mini', reasoning: { effort: 'low' }, previous_response_id: first.id, input: 'And 97?' });
  assert.equal(next.reasoning.effort, 'high');
  const items = await client.responses.inputItems.list(next.id, { order: 'asc' });
  assert.ok(items.data.some((it) => it.type === 'configuration_update' && it.reasoning.effort === 'high'));
  await assert.rejects(client.responses.create({ model: 'o3-mini', input: [{ role: 'user', content: 'Hi' },
    { type: 'configuration_update', reasoning: { effort: 'low' } }, { type: 'configuration_update', reasoning: { effort: 'high' } }] }),
  (err) => err.status === 400 && err.param === 'input[2]');
});

test('additional_tools: the added tool is available', async () => {
  const resp = await client.responses.create({
    model: 'claude-haiku-4-5', tools: [{ type: 'function', name: 'search', parameters: { type: 'object' } }],
    input: [{ role: 'user', content: 'Find it.' },
      { type: 'additional_tools', role: 'developer', tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }] }],
  });
  assert.ok(resp.output.length > 0);
  assert.deepEqual(resp.tools.map((t) => t.name), ['search', 'lookup']);
});

test('compaction_trigger: one compaction item, complete and streamed', async () => {
  const input = [{ role: 'user', content: 'Fix parser_test.go.' }, { role: 'assistant', content: 'Fixed: a trailing newline.' }, { type: 'compaction_trigger' }];
  const resp = await client.responses.create({ model: 'gpt-4o-mini', input });
  assert.equal(resp.output.length, 1);
  assert.equal(resp.output[0].type, 'compaction');
  assert.match(resp.output[0].encrypted_content, /^swy1\./);
  const stream = await client.responses.create({ model: 'gpt-4o-mini', input, stream: true });
  let done = null;
  for await (const ev of stream) if (ev.type === 'response.completed') done = ev.response;
  assert.equal(done.output[0].type, 'compaction');
  await assert.rejects(client.responses.create({ model: 'gpt-4o-mini', input: [{ type: 'compaction_trigger' }, { role: 'user', content: 'x' }] }),
    (err) => err.status === 400 && /final input item/.test(err.message));
});

test('item_reference: a stored item in its place; an unknown one is a 404', async () => {
  const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'My name is Ada.' });
  const resp = await client.responses.create({
    model: 'gpt-4o-mini',
    input: [{ type: 'item_reference', id: first.output[0].id }, { role: 'user', content: 'What did you say?' }],
  });
  const items = await client.responses.inputItems.list(resp.id, { order: 'asc' });
  assert.equal(items.data[0].type, 'message');
  assert.equal(items.data[0].role, 'assistant');
  await assert.rejects(client.responses.create({ model: 'gpt-4o-mini', input: [{ type: 'item_reference', id: 'msg_nothere_i0' }] }),
    (err) => err.status === 404 && err.param === 'input[0].id');
});
