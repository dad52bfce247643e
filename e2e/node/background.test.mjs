// Background responses with the npm `openai` package, unchanged: created,
// polled with retrieve until done; one cancelled while it runs; a
// streamed one dropped and resumed with starting_after. Run by
// e2e/node_test.go (TestNodeBackground) with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

// poll retrieves the response id until it leaves queued and in_progress.
async function poll(id) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const r = await client.responses.retrieve(id);
    if (r.status !== 'queued' && r.status !== 'in_progress') return r;
    if (Date.now() > deadline) throw new Error(`${id} still ${r.status} after 15s`);
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

test('background: created queued, polled to completed', async () => {
  const created = await client.responses.create({ model: 'gpt-4o-mini', input: 'What is the capital of France?', background: true });
  assert.equal(created.status, 'queued');
  assert.equal(created.background, true);
  assert.match(created.id, /^resp_/);
  const done = await poll(created.id);
  assert.equal(done.status, 'completed');
  assert.ok(done.output_text.length > 0);
  assert.ok(done.usage.total_tokens > 0);
});

test('background: cancelled while it runs', async () => {
  const created = await client.responses.create({ model: 'gpt-4o-mini', input: 'A long story. [[sim:stall=20s]]', background: true });
  const cancelled = await client.responses.cancel(created.id);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal((await client.responses.retrieve(created.id)).status, 'cancelled');
  assert.equal((await client.responses.cancel(created.id)).status, 'cancelled');
});

test('background: a stream dropped, resumed with starting_after', async () => {
  const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'Tell me about rivers. [[sim:stall=500ms]]', background: true, stream: true });
  let id = null, cursor = -1;
  for await (const event of stream) {
    id ??= event.response?.id;
    cursor = event.sequence_number;
    if (event.type === 'response.in_progress') break; // leaves the stream
  }
  assert.ok(id);
  const rest = await client.responses.retrieve(id, { stream: true, starting_after: cursor });
  let text = '', last = null;
  for await (const event of rest) {
    assert.equal(event.sequence_number, ++cursor);
    if (event.type === 'response.output_text.delta') text += event.delta;
    last = event;
  }
  assert.equal(last.type, 'response.completed');
  assert.equal(text, last.response.output_text ?? last.response.output[0].content[0].text);
});
