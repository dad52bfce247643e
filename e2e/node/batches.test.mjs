// The Files and Batch APIs with the npm `openai` package, unchanged: an
// input uploaded with toFile, a batch created, polled until completed,
// its output and error files downloaded and read, batches listed with the
// SDK's cursor pagination, a finished batch refused a cancel, files
// deleted. Run by e2e/node_test.go (TestNodeBatches) with SWITCHYARD_URL
// set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { toFile } from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

const line = (id, body) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body });
const ask = (content) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

async function poll(id, statuses) {
  for (let i = 0; i < 500; i++) {
    const b = await client.batches.retrieve(id);
    if (statuses.includes(b.status)) return b;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`batch ${id} never reached ${statuses}`);
}

async function lines(fileID) {
  const text = await (await client.files.content(fileID)).text();
  return Object.fromEntries(text.trim().split('\n').map((l) => JSON.parse(l)).map((l) => [l.custom_id, l]));
}

test('files and batches: upload, create, poll, download, list, cancel refused, delete', async () => {
  const input = [line('peru', ask('Capital of Peru?')), line('chile', ask('Capital of Chile?')),
    line('streamed', { ...ask('hi'), stream: true })].join('\n') + '\n';
  const file = await client.files.create({ file: await toFile(Buffer.from(input), 'input.jsonl'), purpose: 'batch' });
  assert.match(file.id, /^file-/);
  assert.equal(file.bytes, Buffer.byteLength(input));
  assert.equal(file.purpose, 'batch');

  const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions',
    completion_window: '24h', metadata: { run: 'node' } });
  assert.match(created.id, /^batch_/);
  assert.equal(created.status, 'validating');
  assert.deepEqual(created.metadata, { run: 'node' });

  const done = await poll(created.id, ['completed', 'failed']);
  assert.equal(done.status, 'completed');
  assert.deepEqual(done.request_counts, { total: 3, completed: 2, failed: 1 });
  assert.ok(done.usage.total_tokens > 0);

  const out = await lines(done.output_file_id);
  assert.deepEqual(Object.keys(out).sort(), ['chile', 'peru']);
  for (const l of Object.values(out)) {
    assert.match(l.id, /^batch_req_/);
    assert.equal(l.response.status_code, 200);
    assert.equal(l.response.body.object, 'chat.completion');
    assert.ok(l.response.body.choices[0].message.content.length > 0);
    assert.equal(l.error, null);
  }
  const errs = await lines(done.error_file_id);
  assert.equal(errs.streamed.error.code, 'stream_not_supported');
  assert.equal(errs.streamed.response, null);

  const listed = [];
  for await (const b of client.batches.list({ limit: 1 })) listed.push(b.id);
  assert.ok(listed.includes(created.id));

  await assert.rejects(client.batches.cancel(created.id), (err) => err.status === 400 && err.code === 'batch_not_cancellable');
  await assert.rejects(client.batches.retrieve('batch_nope'), (err) => err.status === 404);

  const deleted = await client.files.delete(file.id);
  assert.equal(deleted.deleted, true);
  await assert.rejects(client.files.retrieve(file.id), (err) => err.status === 404);
});
