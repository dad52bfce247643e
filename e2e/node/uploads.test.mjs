// The Uploads API with the npm `openai` package, unchanged: a batch input
// uploaded in three parts sent at once (the last started first), the
// upload completed in order with its md5, a batch run on the file it made;
// another upload cancelled and then refused a part; a size past the
// router's bound refused at creation. The installed version has no
// chunked-upload helper (uploads.create, parts.create, complete and
// cancel are all it has), so the test splits the file itself. Run by
// e2e/node_test.go (TestNodeUploads) with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import OpenAI, { toFile } from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

const line = (id, content) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions',
  body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] } });

async function poll(id) {
  for (let i = 0; i < 500; i++) {
    const b = await client.batches.retrieve(id);
    if (['completed', 'failed'].includes(b.status)) return b;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`batch ${id} never ended`);
}

test('uploads: parts in parallel, completed in order with md5, a batch run on the file', async () => {
  const input = Buffer.from([line('peru', 'Capital of Peru?'), line('chile', 'Capital of Chile?'),
    line('bolivia', 'Capital of Bolivia?')].join('\n') + '\n');
  const upload = await client.uploads.create({ bytes: input.length, filename: 'input.jsonl', mime_type: 'text/jsonl', purpose: 'batch' });
  assert.match(upload.id, /^upload_/);
  assert.equal(upload.status, 'pending');
  assert.equal(upload.expires_at - upload.created_at, 3600);

  const chunks = [input.subarray(0, 60), input.subarray(60, 150), input.subarray(150)];
  const sent = [2, 1, 0].map(async (i) => [i, await client.uploads.parts.create(upload.id, { data: await toFile(chunks[i], 'chunk') })]);
  const parts = new Array(3);
  for (const [i, part] of await Promise.all(sent)) {
    assert.match(part.id, /^part_/);
    assert.equal(part.object, 'upload.part');
    assert.equal(part.upload_id, upload.id);
    parts[i] = part.id;
  }

  const md5 = createHash('md5').update(input).digest('hex');
  const done = await client.uploads.complete(upload.id, { part_ids: parts, md5 });
  assert.equal(done.status, 'completed');
  assert.match(done.file.id, /^file-/);
  assert.equal(done.file.bytes, input.length);
  assert.equal(done.file.purpose, 'batch');
  assert.equal(await (await client.files.content(done.file.id)).text(), input.toString());

  const batch = await client.batches.create({ input_file_id: done.file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
  const ran = await poll(batch.id);
  assert.equal(ran.status, 'completed');
  assert.deepEqual(ran.request_counts, { total: 3, completed: 3, failed: 0 });
});

test('uploads: a cancelled upload takes no part; a size past the bound is refused', async () => {
  const upload = await client.uploads.create({ bytes: 4, filename: 'x.jsonl', mime_type: 'text/jsonl', purpose: 'batch' });
  const cancelled = await client.uploads.cancel(upload.id);
  assert.equal(cancelled.status, 'cancelled');
  await assert.rejects(client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from('abcd'), 'chunk') }),
    (err) => err instanceof OpenAI.BadRequestError && /cancelled/.test(err.message));
  await assert.rejects(client.uploads.create({ bytes: 2 ** 40, filename: 'big.jsonl', mime_type: 'text/jsonl', purpose: 'batch' }),
    (err) => err instanceof OpenAI.BadRequestError && err.code === 'file_too_large' && err.param === 'bytes');
  await assert.rejects(client.uploads.complete('upload_nope', { part_ids: [] }), (err) => err instanceof OpenAI.NotFoundError);
});
